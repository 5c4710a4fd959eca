"""Le chef de file d'un domaine vient de la charte en vigueur de l'implantation prescrite
(``charte_iae.charte``) : affichage dans le formulaire et le suivi, notification du chef de
file quand l'auteur n'en est pas."""

import pytest
from django.urls import reverse

from accompagnement import chefs_de_file
from accompagnement.enums import Cote, TypeAction
from charte_iae import versions
from charte_iae.models import Notification
from tests.accompagnement.factories import action
from tests.charte_iae.conftest import remplir

EVENEMENT = "action_domaine_chef_de_file"
# Les autres domaines nationaux : CPIP ; le domaine local : SIAE.
CHEFS = {"logement": "cpip", "formation": "siae", "mobilite": "partage", "sante": "autres"}


@pytest.fixture
def en_vigueur(site):
    """La charte du site, avec un domaine local, soumise et approuvée par les deux parties."""
    version = remplir(versions.creer_version(charte=site.charte, par=site.dpip), site.dpip)
    versions.ajouter_domaine_local(
        version=version, revision=version.revision, libelle="Atelier cuisine", par=site.dpip
    )
    version.refresh_from_db()
    lignes = {
        ligne.pk: {
            "chef_de_file": "siae" if ligne.domaine.local else CHEFS.get(ligne.domaine.code, "cpip")
        }
        for ligne in version.repartition.select_related("domaine")
    }
    version = versions.enregistrer_repartition(
        version=version, revision=version.revision, lignes=lignes, par=site.dpip
    )
    versions.soumettre(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.dpip)
    return versions.approuver(version=version, par=site.direction)


def _domaine_local(site):
    return next(d for d in chefs_de_file.domaines(site.implantation) if d.code not in CHEFS)


def test_le_chef_de_file_vient_de_la_charte_de_l_implantation_prescrite(site, personne, en_vigueur):
    implantation = chefs_de_file.implantation_de(personne)
    assert implantation == site.implantation
    chef = chefs_de_file.chef_de_file(implantation, "logement")
    assert chef.libelle == "CPIP" and chef.mene(Cote.SPIP) and not chef.mene(Cote.SIAE)
    assert chefs_de_file.chef_de_file(implantation, "formation").cotes == {Cote.SIAE}
    assert chefs_de_file.chef_de_file(implantation, "mobilite").cotes == {Cote.SPIP, Cote.SIAE}
    assert chefs_de_file.chef_de_file(implantation, "sante").cotes == frozenset()
    domaines = chefs_de_file.domaines(implantation)
    assert len(domaines) == 9 and all(d.chef is not None for d in domaines)
    assert domaines[-1].libelle == "Atelier cuisine" and domaines[-1].chef.mene(Cote.SIAE)


def test_sans_version_en_vigueur_ni_prescription_aucun_chef_de_file(site, personne):
    assert chefs_de_file.chef_de_file(site.implantation, "logement") is None
    assert chefs_de_file.chef_de_file(None, "logement") is None
    assert all(d.chef is None for d in chefs_de_file.domaines(None))


def test_une_version_en_cours_d_adaptation_ne_compte_pas(site, personne, en_vigueur):
    nouvelle = versions.creer_version(charte=site.charte, par=site.dpip)
    lignes = {
        ligne.pk: {"chef_de_file": "siae"}
        for ligne in nouvelle.repartition.select_related("domaine")
    }
    versions.enregistrer_repartition(
        version=nouvelle, revision=nouvelle.revision, lignes=lignes, par=site.dpip
    )
    assert chefs_de_file.chef_de_file(site.implantation, "logement").mene(Cote.SPIP)


def test_le_formulaire_montre_le_chef_de_file_du_domaine(client, site, personne, en_vigueur):
    client.force_login(site.cip)
    html = client.get(
        reverse("accompagnement:action_nouvelle", args=[personne.pk]) + "?domaine=logement"
    ).content.decode()
    assert "chef de file selon la charte en vigueur" in html
    assert "<strong>CPIP</strong>" in html


def test_le_suivi_montre_le_chef_de_file_et_les_domaines_locaux(client, site, personne, en_vigueur):
    local = _domaine_local(site)
    action(auteur=site.cip, personne=personne, domaine=local.code)
    client.force_login(site.cip)
    html = client.get(reverse("accompagnement:suivi", args=[personne.pk])).content.decode()
    assert "Chef de file" in html and "Permanents de la SIAE (CIP et ET)" in html
    assert "Atelier cuisine" in html


def test_action_de_la_cip_dans_un_domaine_mene_par_le_cpip_previent_le_cpip(
    site, personne, en_vigueur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action(auteur=site.cip, personne=personne, domaine="logement")
    notification = Notification.objects.get(evenement=EVENEMENT)
    assert notification.destinataire == site.cpip
    assert personne.nom not in notification.texte


def test_action_du_cpip_dans_un_domaine_mene_par_la_siae_previent_les_permanents(
    site, personne, en_vigueur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action(auteur=site.cpip, personne=personne, domaine="formation")
    assert set(
        Notification.objects.filter(evenement=EVENEMENT).values_list("destinataire", flat=True)
    ) == {site.cip.pk, site.et.pk}


@pytest.mark.parametrize(
    ("role", "domaine"),
    [("cip", "formation"), ("cpip", "logement"), ("cip", "mobilite"), ("cip", "sante")],
)
def test_pas_de_notification_quand_l_auteur_mene_le_domaine_ou_sans_chef_dans_l_appli(
    site, personne, en_vigueur, django_capture_on_commit_callbacks, role, domaine
):
    with django_capture_on_commit_callbacks(execute=True):
        action(auteur=getattr(site, role), personne=personne, domaine=domaine)
    assert not Notification.objects.filter(evenement=EVENEMENT).exists()


def test_contact_partenaire_dans_un_domaine_du_cpip_une_seule_notification(
    site, personne, en_vigueur, django_capture_on_commit_callbacks
):
    avant = set(Notification.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        action(
            auteur=site.cip,
            personne=personne,
            domaine="logement",
            type=TypeAction.CONTACT_PARTENAIRE,
            partenaire="SIAO",
        )
    nouvelles = Notification.objects.exclude(pk__in=avant)
    assert list(nouvelles.values_list("destinataire", "evenement")) == [
        (site.cpip.pk, "contact_partenaire_siae")
    ]
