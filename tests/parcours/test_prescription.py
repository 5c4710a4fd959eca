"""La prescription : seul le SPIP de l'établissement prescrit, seulement une personne éligible,
une seule fois ; la SIAE reçoit l'accès et est prévenue. Chaque porte d'entrée est essayée."""

import datetime
import html

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charte_iae import acces
from charte_iae import services as services_noyau
from charte_iae.models import Notification
from parcours import services
from parcours.enums import AvisSpip, MotifCloture, StatutPenal
from parcours.exceptions import TransitionInterdite
from parcours.models import Personne, Prescription
from parcours.permissions import can_prescribe
from tests.factories import (
    OrientationFactory,
    PersonneFactory,
    PrescriptionFactory,
    UtilisateurFactory,
)


@pytest.fixture
def orientation(site):
    personne = PersonneFactory(
        etablissement=site.implantation.etablissement, cpip_referent=site.cpip
    )
    return OrientationFactory(personne=personne, signalee_par=site.orienteur, avis_favorable=True)


def prescrire(orientation, implantation, auteur, **options):
    return services.prescrire(
        orientation=orientation,
        implantation=implantation,
        auteur=auteur,
        criteres_locaux=options.pop("criteres_locaux", []),
        criteres_confirmes=options.pop("criteres_confirmes", []),
        **options,
    )


def url(orientation):
    return reverse("parcours:prescrire", args=[orientation.pk])


# --- Le SPIP prescrit --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["cpip", "dpip"])
def test_le_cpip_ou_le_dpip_de_l_etablissement_prescrit(site, orientation, role, client):
    client.force_login(getattr(site, role))
    reponse = client.post(url(orientation), {"implantation": site.implantation.pk})
    assert reponse.status_code == 302
    prescription = Prescription.objects.get()
    assert prescription.prescrite_par == getattr(site, role)
    assert prescription.implantation == site.implantation
    assert prescription.eligibilite["eligible"] is True
    assert prescription.eligibilite["jour"] == timezone.localdate().isoformat()
    assert acces.reconcilier().total.total == 0


def test_la_prescription_ouvre_le_dossier_a_la_siae_et_la_previent(
    site, orientation, django_capture_on_commit_callbacks
):
    assert not Personne.objects.for_user(site.cip).exists()
    with django_capture_on_commit_callbacks(execute=True):
        prescrire(orientation, site.implantation, site.cpip)
    assert list(Personne.objects.for_user(site.cip)) == [orientation.personne]
    assert list(Personne.objects.for_user(site.et)) == [orientation.personne]
    destinataires = set(Notification.objects.values_list("destinataire", flat=True))
    assert destinataires == {site.cip.pk, site.et.pk, site.direction.pk}
    for notification in Notification.objects.all():
        assert orientation.personne.nom not in notification.texte
        assert notification.lien == orientation.personne.get_absolute_url()
    assert acces.reconcilier().total.total == 0


def test_clore_l_orientation_retire_l_acces_a_la_siae(site, orientation):
    prescription = prescrire(orientation, site.implantation, site.cpip)
    services.cloturer_orientation(
        orientation=orientation, auteur=site.cpip, motif=MotifCloture.REFUS_PERSONNE
    )
    prescription.refresh_from_db()
    assert prescription.fin_le is not None and prescription.fin_par == site.cpip
    assert not Personne.objects.for_user(site.cip).exists()
    assert acces.reconcilier().total.total == 0


# --- Personne non éligible ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valeurs", "attendu"),
    [
        ({"statut_penal": StatutPenal.PREVENU}, "prévenue"),
        ({"statut_penal": StatutPenal.MIXTE}, "Statut mixte"),
        ({"date_liberation_previsible_mois": 3}, "inférieur à 4 mois"),
        ({"date_liberation_previsible_mois": 40}, "supérieur à 36 mois"),
        ({"piece_identite_expiration_jours": -1}, "expiré"),
        ({"piece_identite_expiration": None}, "date d'expiration n'est pas renseignée"),
    ],
)
def test_une_personne_non_eligible_ne_peut_pas_etre_prescrite(site, client, valeurs, attendu):
    jour = timezone.localdate()
    if mois := valeurs.pop("date_liberation_previsible_mois", None):
        valeurs["date_liberation_previsible"] = jour + relativedelta(months=mois)
    if (jours := valeurs.pop("piece_identite_expiration_jours", None)) is not None:
        valeurs["piece_identite_expiration"] = jour + datetime.timedelta(days=jours)
    personne = PersonneFactory(etablissement=site.implantation.etablissement, **valeurs)
    orientation = OrientationFactory(personne=personne, avis_favorable=True)
    with pytest.raises(TransitionInterdite, match=attendu):
        prescrire(orientation, site.implantation, site.cpip)
    client.force_login(site.cpip)
    page = client.get(personne.get_absolute_url()).content.decode()
    assert url(orientation) not in page, "pas de bouton pour une personne non éligible"
    reponse = client.post(url(orientation), {"implantation": site.implantation.pk}, follow=True)
    assert attendu in html.unescape(reponse.content.decode())
    assert not Prescription.objects.exists()


def test_les_criteres_locaux_doivent_tous_etre_confirmes(site, orientation):
    locaux = ["Aptitude au port de charges validée", "Volontaire pour l'atelier"]
    with pytest.raises(TransitionInterdite, match="charte locale"):
        prescrire(
            orientation,
            site.implantation,
            site.cpip,
            criteres_locaux=locaux,
            criteres_confirmes=locaux[:1],
        )
    prescription = prescrire(
        orientation, site.implantation, site.cpip, criteres_locaux=locaux, criteres_confirmes=locaux
    )
    assert prescription.criteres_locaux_confirmes == sorted(locaux)
    assert len(prescription.eligibilite["criteres"]) == 5


def test_critere_local_confirme_dans_la_page(site, orientation, client, monkeypatch):
    monkeypatch.setattr(
        services, "criteres_locaux_pour", lambda implantation: ["Volontaire pour l'atelier"]
    )
    client.force_login(site.cpip)
    assert "Volontaire pour l&#x27;atelier" in client.get(url(orientation)).content.decode()
    reponse = client.post(url(orientation), {"implantation": site.implantation.pk})
    assert "Confirmez chacun des critères locaux" in reponse.content.decode()
    assert not Prescription.objects.exists()
    client.post(
        url(orientation),
        {"implantation": site.implantation.pk, "criteres_confirmes": ["Volontaire pour l'atelier"]},
    )
    assert Prescription.objects.get().criteres_locaux_confirmes == ["Volontaire pour l'atelier"]


def test_sans_avis_du_spip_pas_de_prescription(site):
    orientation = OrientationFactory(personne__etablissement=site.implantation.etablissement)
    with pytest.raises(TransitionInterdite, match="avis du SPIP"):
        prescrire(orientation, site.implantation, site.cpip)


def test_avis_defavorable_pas_de_prescription(site):
    orientation = OrientationFactory(personne__etablissement=site.implantation.etablissement)
    services.donner_avis(
        orientation=orientation,
        auteur=site.cpip,
        avis=AvisSpip.DEFAVORABLE,
        motifs="Non.",
        motif_principal="reliquat",
    )
    with pytest.raises(TransitionInterdite, match="défavorable"):
        prescrire(orientation, site.implantation, site.cpip)


def test_vers_une_siae_d_un_autre_etablissement_refuse(site, autre_site, orientation):
    with pytest.raises(ValidationError):
        prescrire(orientation, autre_site.implantation, site.cpip)
    assert not Prescription.objects.exists()


# --- Une seule prescription ---------------------------------------------------------------------


def test_double_envoi_ne_cree_qu_une_prescription(site, orientation, client):
    client.force_login(site.cpip)
    premier = client.post(url(orientation), {"implantation": site.implantation.pk})
    second = client.post(url(orientation), {"implantation": site.implantation.pk}, follow=True)
    assert premier.status_code == 302
    assert second.status_code == 200
    assert "déjà" in second.content.decode()
    assert Prescription.objects.count() == 1


def test_deux_cpip_sur_deux_orientations_de_la_meme_personne_une_seule_prescription(site):
    collegue = UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    personne = PersonneFactory(etablissement=site.implantation.etablissement)
    premiere = OrientationFactory(personne=personne, avis_favorable=True)
    seconde = OrientationFactory(personne=personne, avis_favorable=True)
    prescrire(premiere, site.implantation, site.cpip)
    with pytest.raises(TransitionInterdite, match="déjà un parcours IAE prescrit"):
        prescrire(seconde, site.implantation, collegue)
    assert Prescription.objects.count() == 1


def test_la_base_refuse_deux_prescriptions_actives_pour_une_personne(site):
    prescription = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    autre = OrientationFactory(personne=prescription.personne, avis_favorable=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.create(
            personne=prescription.personne,
            orientation=autre,
            implantation=site.implantation,
            prescrite_par=site.cpip,
        )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_deux_cpip_au_meme_instant_une_seule_prescription(request):
    """Deux transactions concurrentes (PostgreSQL) : le verrou sur la personne les sérialise."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from tests.conftest import construire_site

    site = construire_site()
    collegue = UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    personne = PersonneFactory(etablissement=site.implantation.etablissement)
    orientations = [
        OrientationFactory(personne=personne, avis_favorable=True),
        OrientationFactory(personne=personne, avis_favorable=True),
    ]

    def essayer(args):
        orientation, auteur = args
        try:
            prescrire(orientation, site.implantation, auteur)
            return "ok"
        except TransitionInterdite:
            return "refus"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        resultats = sorted(pool.map(essayer, zip(orientations, [site.cpip, collegue], strict=True)))
    assert resultats == ["ok", "refus"]
    assert Prescription.objects.count() == 1


# --- Personne d'autre que le SPIP ne prescrit, par aucune porte ----------------------------------


@pytest.mark.parametrize("role", ["cip", "et", "direction", "orienteur", "cpip_mo"])
def test_le_service_refuse_tout_auteur_hors_spip(site, orientation, role):
    with pytest.raises(PermissionDenied, match="Seul un CPIP"):
        prescrire(orientation, site.implantation, getattr(site, role))
    assert not Prescription.objects.exists()


def test_le_service_refuse_le_cpip_d_un_autre_etablissement(site, autre_site, orientation):
    with pytest.raises(PermissionDenied):
        prescrire(orientation, site.implantation, autre_site.cpip)


def test_le_service_refuse_un_superutilisateur(site, orientation):
    admin = UtilisateurFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        prescrire(orientation, site.implantation, admin)


def test_le_service_refuse_un_cpip_dont_l_affectation_est_terminee(site, orientation):
    services_noyau.terminer_affectation(affectation=site.cpip.affectations.get())
    cpip = type(site.cpip).objects.get(pk=site.cpip.pk)
    with pytest.raises(PermissionDenied):
        prescrire(orientation, site.implantation, cpip)


@pytest.mark.parametrize("role", ["cip", "et", "direction"])
def test_la_siae_qui_voit_le_dossier_recoit_403_en_forgeant_un_post(site, role, client):
    # Une première prescription (close) a donné à la SIAE l'accès à l'orientation : dans le
    # périmètre, le refus est un 403 ; et rien n'est créé.
    prescription = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    personne = prescription.personne
    nouvelle = OrientationFactory(personne=personne, avis_favorable=True)
    client.force_login(getattr(site, role))
    assert client.get(personne.get_absolute_url()).status_code == 200
    for cible in (prescription.orientation, nouvelle):
        reponse = client.post(url(cible), {"implantation": site.implantation.pk})
        assert reponse.status_code in {403, 404}
    reponse = client.post(url(prescription.orientation), {"implantation": site.implantation.pk})
    assert reponse.status_code == 403
    assert "Seul un CPIP" in reponse.content.decode()
    assert Prescription.objects.count() == 1
    assert not can_prescribe(getattr(site, role), personne)


def test_la_siae_ne_voit_pas_de_bouton_prescrire(site, client):
    prescription = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    client.force_login(site.cip)
    for page in (
        prescription.personne.get_absolute_url(),
        prescription.orientation.get_absolute_url(),
    ):
        contenu = client.get(page).content.decode()
        assert "Prescrire" not in contenu
        assert url(prescription.orientation) not in contenu


def test_l_orienteur_recoit_403_sur_sa_propre_orientation(site, orientation, client):
    client.force_login(site.orienteur)
    page = client.get(orientation.get_absolute_url())
    assert page.status_code == 200
    assert url(orientation) not in page.content.decode()
    reponse = client.post(url(orientation), {"implantation": site.implantation.pk})
    assert reponse.status_code == 403
    assert not Prescription.objects.exists()


def test_hors_perimetre_404(site, autre_site, orientation, client):
    for agent in (autre_site.cpip, autre_site.cip, site.cip, UtilisateurFactory(orienteur=True)):
        client.force_login(agent)
        assert (
            client.post(url(orientation), {"implantation": site.implantation.pk}).status_code == 404
        )
        assert client.get(url(orientation)).status_code == 404
    assert not Prescription.objects.exists()


def test_anonyme_redirige_vers_la_connexion(orientation, client):
    reponse = client.post(url(orientation), {"implantation": 1})
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("connexion"))


def test_l_administration_n_offre_aucune_porte_pour_prescrire(site, orientation, client):
    admin = UtilisateurFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/parcours/prescription/add/").status_code == 404
    assert (
        client.post(
            "/admin/parcours/prescription/add/",
            {"orientation": orientation.pk, "implantation": site.implantation.pk},
        ).status_code
        == 404
    )
    assert not Prescription.objects.exists()
