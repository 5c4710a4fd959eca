"""L'orientation : signalement par un orienteur (qui ne voit que ses orientations), avis du
SPIP, clôture avec motif, notifications sans nom."""

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from charte_iae import acces
from charte_iae.models import Notification
from parcours import services
from parcours.enums import AvisSpip, MotifCloture
from parcours.exceptions import TransitionInterdite
from parcours.models import Orientation, Personne
from tests.factories import OrientationFactory, PersonneFactory, UtilisateurFactory

SIGNALER = reverse("parcours:signaler")


@pytest.fixture
def personne(site):
    return PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)


def signalement(site, personne, **valeurs):
    return {
        "etablissement": site.implantation.etablissement.pk,
        "numero_ecrou": personne.numero_ecrou,
        "nom": personne.nom.lower(),
        "prenom": personne.prenom,
        "date_naissance": personne.date_naissance.isoformat(),
        "signalee_le": timezone.localdate().isoformat(),
        "motif": "Souhaite travailler en atelier.",
        **valeurs,
    }


def test_l_orienteur_signale_et_le_cpip_referent_est_prevenu_sans_nom(
    site, client, personne, django_capture_on_commit_callbacks
):
    client.force_login(site.orienteur)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(SIGNALER, signalement(site, personne))
    orientation = Orientation.objects.get()
    assert reponse.url == orientation.get_absolute_url()
    assert orientation.personne == personne and orientation.signalee_par == site.orienteur
    notification = Notification.objects.get()
    assert notification.destinataire == site.cpip
    assert personne.nom not in notification.texte and personne.prenom not in notification.texte
    assert notification.lien == orientation.get_absolute_url()
    assert acces.reconcilier().total.total == 0


def test_sans_referent_les_cpip_de_l_etablissement_sont_prevenus(
    site, personne, django_capture_on_commit_callbacks
):
    Personne.objects.filter(pk=personne.pk).update(cpip_referent=None)
    personne.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.signaler(
            personne=personne, auteur=site.orienteur, motif="m", signalee_le=timezone.localdate()
        )
    assert set(Notification.objects.values_list("destinataire", flat=True)) == {site.cpip.pk}


def test_signaler_une_personne_inconnue_ouvre_un_dossier_minimal(site, client):
    client.force_login(site.orienteur)
    valeurs = {
        "etablissement": site.implantation.etablissement.pk,
        "numero_ecrou": "777001",
        "nom": "Nouveau",
        "prenom": "Arrivant",
        "date_naissance": "1995-05-05",
        "signalee_le": timezone.localdate().isoformat(),
        "motif": "Rencontré au quartier arrivant.",
    }
    assert client.post(SIGNALER, valeurs).status_code == 302
    personne = Personne.objects.get(numero_ecrou="777001")
    assert personne.statut_penal == ""
    assert list(Personne.objects.for_user(site.cpip)) == [personne]
    assert not Personne.objects.for_user(site.orienteur).exists()
    assert acces.reconcilier().total.total == 0


def test_identite_qui_ne_correspond_pas_a_l_ecrou_refusee(site, client, personne):
    client.force_login(site.orienteur)
    reponse = client.post(SIGNALER, signalement(site, personne, nom="Autre"))
    assert "ne correspondent pas" in html.unescape(reponse.content.decode())
    assert not Orientation.objects.exists()


def test_date_de_signalement_a_venir_refusee(site, client, personne):
    client.force_login(site.orienteur)
    demain = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    reponse = client.post(SIGNALER, signalement(site, personne, signalee_le=demain))
    assert "ne peut être à venir" in html.unescape(reponse.content.decode())
    assert not Orientation.objects.exists()


def test_orienteur_d_un_autre_etablissement_ne_signale_pas_ici(site, autre_site, personne):
    with pytest.raises(PermissionDenied):
        services.signaler(
            personne=personne,
            auteur=autre_site.orienteur,
            motif="m",
            signalee_le=timezone.localdate(),
        )


@pytest.mark.parametrize("role", ["cip", "et", "direction", "cpip_mo"])
def test_la_siae_et_le_milieu_ouvert_ne_signalent_pas(site, client, role):
    client.force_login(getattr(site, role))
    assert client.get(SIGNALER).status_code == 403


def test_l_orienteur_voit_l_issue_de_son_orientation_mais_pas_le_dossier(site, client, personne):
    orientation = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    services.donner_avis(
        orientation=orientation,
        auteur=site.cpip,
        avis=AvisSpip.RESERVE,
        motifs="Motif interne",
        motif_principal="adhesion",
    )
    client.force_login(site.orienteur)
    page = client.get(orientation.get_absolute_url()).content.decode()
    assert "Avis du SPIP" in page and "Réservé" in page
    assert "Motif interne" not in page
    assert personne.get_absolute_url() not in page
    assert client.get(personne.get_absolute_url()).status_code == 404
    liste = client.get(reverse("parcours:orientations") + "?etat=toutes").content.decode()
    assert orientation.get_absolute_url() in liste


def test_l_orienteur_ne_voit_pas_l_orientation_d_un_autre(site, client, personne):
    autre = OrientationFactory(personne=personne, signalee_par=site.cpip)
    collegue = UtilisateurFactory(orienteur=True, structure=site.service_etablissement)
    client.force_login(collegue)
    assert client.get(autre.get_absolute_url()).status_code == 404


# --- Avis du SPIP -----------------------------------------------------------------------------


def test_le_cpip_donne_l_avis_date_et_attribue(site, client, personne):
    orientation = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    client.force_login(site.cpip)
    url = reverse("parcours:avis", args=[orientation.pk])
    assert client.post(url, {"avis": "favorable"}).status_code == 302
    orientation.refresh_from_db()
    assert orientation.avis == AvisSpip.FAVORABLE
    assert orientation.avis_par == site.cpip and orientation.avis_le is not None
    reponse = client.post(
        url,
        {"avis": "defavorable", "avis_motifs": "x", "avis_motif_principal": "autre"},
        follow=True,
    )
    assert "déjà été donné" in html.unescape(reponse.content.decode())
    orientation.refresh_from_db()
    assert orientation.avis == AvisSpip.FAVORABLE


def test_avis_defavorable_sans_motif_principal_refuse_puis_accepte(site, client, personne):
    orientation = OrientationFactory(personne=personne)
    client.force_login(site.cpip)
    url = reverse("parcours:avis", args=[orientation.pk])
    reponse = client.post(url, {"avis": "defavorable", "avis_motifs": "Transfert prévu."})
    assert reponse.status_code == 200
    assert "Choisissez le motif principal" in html.unescape(reponse.content.decode())
    orientation.refresh_from_db()
    assert orientation.avis == ""
    donnees = {
        "avis": "defavorable",
        "avis_motifs": "Transfert prévu.",
        "avis_motif_principal": "situation_penale",
    }
    assert client.post(url, donnees).status_code == 302
    orientation.refresh_from_db()
    assert orientation.avis_motif_principal == "situation_penale"


def test_le_service_exige_le_motif_principal_et_l_efface_pour_un_avis_favorable(site):
    orientation = OrientationFactory(
        personne=PersonneFactory(etablissement=site.implantation.etablissement)
    )
    with pytest.raises(ValidationError) as erreur:
        services.donner_avis(
            orientation=orientation, auteur=site.cpip, avis="reserve", motifs="À affiner."
        )
    assert "avis_motif_principal" in erreur.value.message_dict
    services.donner_avis(
        orientation=orientation,
        auteur=site.cpip,
        avis="favorable",
        motifs="",
        motif_principal="sante",
    )
    orientation.refresh_from_db()
    assert orientation.avis_motif_principal == ""


def test_avis_defavorable_sans_motif_refuse(site, client, personne):
    orientation = OrientationFactory(personne=personne)
    client.force_login(site.cpip)
    reponse = client.post(reverse("parcours:avis", args=[orientation.pk]), {"avis": "defavorable"})
    assert "Précisez les motifs" in reponse.content.decode()
    orientation.refresh_from_db()
    assert orientation.avis_le is None


@pytest.mark.parametrize("role", ["cip", "orienteur"])
def test_seul_le_spip_donne_l_avis(site, personne, role):
    orientation = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    with pytest.raises(PermissionDenied):
        services.donner_avis(
            orientation=orientation, auteur=getattr(site, role), avis="favorable", motifs=""
        )


def test_l_orienteur_recoit_403_sur_la_page_d_avis(site, client, personne):
    orientation = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    client.force_login(site.orienteur)
    assert (
        client.post(
            reverse("parcours:avis", args=[orientation.pk]), {"avis": "favorable"}
        ).status_code
        == 403
    )


def test_avis_hors_perimetre_404_et_anonyme_redirige(site, autre_site, client, personne):
    orientation = OrientationFactory(personne=personne)
    url = reverse("parcours:avis", args=[orientation.pk])
    client.force_login(autre_site.cpip)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).url.startswith(reverse("connexion"))


# --- Clôture ----------------------------------------------------------------------------------


def test_clore_garde_le_motif_et_l_auteur(site, client, personne):
    orientation = OrientationFactory(personne=personne)
    client.force_login(site.cpip)
    url = reverse("parcours:cloturer", args=[orientation.pk])
    assert (
        client.post(
            url, {"motif_cloture": "refus_personne", "commentaire": "Ne souhaite plus"}
        ).status_code
        == 302
    )
    orientation.refresh_from_db()
    assert orientation.motif_cloture == MotifCloture.REFUS_PERSONNE
    assert orientation.cloturee_par == site.cpip
    with pytest.raises(TransitionInterdite, match="close"):
        services.donner_avis(orientation=orientation, auteur=site.cpip, avis="favorable", motifs="")


def test_clore_sans_motif_refuse(site, personne):
    orientation = OrientationFactory(personne=personne)
    with pytest.raises(ValidationError):
        services.cloturer_orientation(orientation=orientation, auteur=site.cpip, motif="")
