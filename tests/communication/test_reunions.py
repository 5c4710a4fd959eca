"""Réunions et commissions : planifiées par les agents de l'implantation, les participants
prévenus, les personnes évoquées visibles seulement de ceux qui voient leur dossier."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from charte_iae.enums import Fonction
from charte_iae.models import Notification
from communication.models import Reunion
from tests.communication.factories import PersonneRessourceFactory, ReunionFactory
from tests.factories import PersonneFactory, UtilisateurFactory


def _quand(jours=10):
    return (timezone.localtime() + datetime.timedelta(days=jours)).strftime("%Y-%m-%dT14:00")


def test_le_cpip_planifie_une_commission_et_les_participants_sont_prevenus(client, site, personne):
    ressource = PersonneRessourceFactory(implantation=site.implantation)
    client.force_login(site.cpip)
    assert client.get(reverse("communication:reunion_creer")).status_code == 200
    reponse = client.post(
        reverse("communication:reunion_creer"),
        {
            "implantation": site.implantation.pk,
            "type": "commission_insertion",
            "intitule": "Commission locale d'insertion",
            "debut": _quand(),
            "ordre_du_jour": "Point sur les parcours en cours.",
            "participants": [site.cpip.pk, site.cip.pk, site.dpip.pk],
            "ressources": [ressource.pk],
            "personnes": [personne.pk],
        },
    )
    assert reponse.status_code == 302
    reunion = Reunion.objects.get()
    assert reunion.creee_par == site.cpip and list(reunion.personnes.all()) == [personne]
    prevenus = set(
        Notification.objects.filter(evenement="reunion.planifiee").values_list(
            "destinataire", flat=True
        )
    )
    assert prevenus == {site.cip.pk, site.dpip.pk}
    texte = Notification.objects.filter(destinataire=site.cip).get().texte
    assert personne.nom not in texte and personne.numero_ecrou not in texte
    assert "Commission locale d'insertion" in texte


def test_les_personnes_evoquees_ne_s_affichent_qu_a_ceux_qui_voient_le_dossier(
    client, site, personne
):
    non_prescrite = PersonneFactory(etablissement=site.implantation.etablissement, nom="Invisible")
    reunion = ReunionFactory(implantation=site.implantation, creee_par=site.cpip)
    reunion.personnes.set([personne, non_prescrite])
    url = reverse("communication:reunion", args=[reunion.pk])

    client.force_login(site.cpip)
    html = client.get(url).content.decode()
    assert personne.get_absolute_url() in html and non_prescrite.get_absolute_url() in html
    assert reverse("communication:cahier", args=[non_prescrite.pk]) in html

    client.force_login(site.cip)
    html = client.get(url).content.decode()
    assert personne.get_absolute_url() in html
    assert reverse("communication:cahier", args=[personne.pk]) in html
    assert non_prescrite.get_absolute_url() not in html
    assert "INVISIBLE" not in html and non_prescrite.numero_ecrou not in html
    assert "1 autre personne évoquée, dont vous ne voyez pas le dossier." in html


def test_un_partenaire_invite_voit_la_reunion_sans_les_personnes(client, site, personne):
    conseiller = UtilisateurFactory(fonction=Fonction.CONSEILLER_FRANCE_TRAVAIL)
    reunion = ReunionFactory(implantation=site.implantation, type="france_travail")
    reunion.participants.add(conseiller)
    reunion.personnes.add(personne)
    client.force_login(conseiller)
    reponse = client.get(reverse("communication:reunion", args=[reunion.pk]))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert personne.numero_ecrou not in html and personne.nom.upper() not in html
    assert "Compléter la réunion" not in html
    assert (
        client.get(reverse("communication:reunion_modifier", args=[reunion.pk])).status_code == 403
    )


def test_hors_de_l_implantation_404(client, site, autre_site):
    reunion = ReunionFactory(implantation=site.implantation)
    client.force_login(autre_site.cpip)
    assert client.get(reverse("communication:reunion", args=[reunion.pk])).status_code == 404
    assert (
        client.get(reverse("communication:reunion_modifier", args=[reunion.pk])).status_code == 404
    )
    assert reunion.titre not in client.get(reverse("communication:reunions")).content.decode()
    client.force_login(site.orienteur)
    assert client.get(reverse("communication:reunion", args=[reunion.pk])).status_code == 404
    assert client.get(reverse("communication:reunion_creer")).status_code == 403


def test_anonyme_redirige_vers_la_connexion(client, site):
    reunion = ReunionFactory(implantation=site.implantation)
    for url in (
        reverse("communication:reunions"),
        reverse("communication:reunion_creer"),
        reverse("communication:reunion", args=[reunion.pk]),
        reverse("communication:reunion_modifier", args=[reunion.pk]),
    ):
        assert client.get(url)["Location"].startswith(reverse("connexion"))


def _donnees_modification(reunion, **autres):
    return {
        "type": reunion.type,
        "debut": timezone.localtime(reunion.debut).strftime("%Y-%m-%dT%H:%M"),
        "version": reunion.version,
        "compte_rendu": "Deux parcours examinés.",
        "decisions": "Relancer la Mission locale.",
        **autres,
    }


def test_le_cip_complete_le_compte_rendu_sans_retirer_une_personne_qu_il_ne_voit_pas(
    client, site, personne
):
    non_prescrite = PersonneFactory(etablissement=site.implantation.etablissement)
    reunion = ReunionFactory(implantation=site.implantation, creee_par=site.cpip)
    reunion.personnes.set([personne, non_prescrite])
    client.force_login(site.cip)
    url = reverse("communication:reunion_modifier", args=[reunion.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, _donnees_modification(reunion, participants=[site.et.pk]))
    assert reponse.status_code == 302
    reunion.refresh_from_db()
    assert reunion.compte_rendu == "Deux parcours examinés." and reunion.version == 2
    assert set(reunion.personnes.all()) == {non_prescrite}  # il a retiré la sienne, pas l'autre
    assert Notification.objects.filter(destinataire=site.et, evenement="reunion.planifiee").exists()


def test_une_modification_concurrente_n_ecrase_rien(client, site):
    reunion = ReunionFactory(implantation=site.implantation)
    donnees = _donnees_modification(reunion)
    Reunion.objects.filter(pk=reunion.pk).update(version=2, compte_rendu="Version de Paul")
    client.force_login(site.cpip)
    reponse = client.post(reverse("communication:reunion_modifier", args=[reunion.pk]), donnees)
    assert reponse.status_code == 422
    assert "modifiée entre-temps" in reponse.content.decode()
    reunion.refresh_from_db()
    assert reunion.compte_rendu == "Version de Paul"


@pytest.mark.parametrize("role", ["cpip", "cip"])
def test_les_reunions_a_venir_sur_l_accueil(client, site, role):
    ReunionFactory(implantation=site.implantation, intitule="Commission de décembre")
    ReunionFactory(
        implantation=site.implantation,
        intitule="Commission passée",
        debut=timezone.now() - datetime.timedelta(days=3),
    )
    client.force_login(getattr(site, role))
    html = client.get(reverse("accueil")).content.decode()
    assert "Commission de décembre" in html and "Commission passée" not in html
    passees = client.get(reverse("communication:reunions"), {"passees": "1"}).content.decode()
    assert "Commission passée" in passees
