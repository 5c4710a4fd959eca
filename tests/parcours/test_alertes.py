"""Les alertes : chaque seuil à sa borne, la disparition une fois la cause résolue, la
notification sans nom, le recalcul par les services et par la tâche de nuit."""

import datetime
import zoneinfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse

from charte_iae.models import Notification
from parcours import alertes, eligibilite, services
from parcours.enums import AvisSpip, TypeAlerte
from parcours.models import Alerte
from tests.factories import OrientationFactory, PersonneFactory, PrescriptionFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUJOURD_HUI = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def horloge():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS), tick=False) as t:
        yield t


def _personne(site, **valeurs):
    return PersonneFactory(
        etablissement=site.implantation.etablissement, cpip_referent=site.cpip, **valeurs
    )


def _orientee(site, **valeurs):
    personne = _personne(site, **valeurs)
    OrientationFactory(personne=personne, signalee_par=site.orienteur, avis_favorable=True)
    return personne


def _actives(personne, type_alerte):
    return list(Alerte.objects.actives().filter(personne=personne, type=type_alerte))


def _dlp_fenetre_fermant_dans(jours: int) -> datetime.date:
    dlp = AUJOURD_HUI + datetime.timedelta(days=jours) + relativedelta(months=4)
    assert eligibilite.fenetre(dlp).fin == AUJOURD_HUI + datetime.timedelta(days=jours)
    return dlp


# --- Fenêtre d'éligibilité ------------------------------------------------------------------------


@pytest.mark.parametrize(("jours", "alerte"), [(0, True), (29, True), (30, True), (31, False)])
def test_fenetre_qui_se_ferme_a_30_jours_pile(site, jours, alerte):
    personne = _orientee(site, date_liberation_previsible=_dlp_fenetre_fermant_dans(jours))
    alertes.recalculer(personne=personne)
    trouvees = _actives(personne, TypeAlerte.FENETRE_FERMETURE)
    assert bool(trouvees) is alerte
    if alerte:
        assert trouvees[0].echeance == AUJOURD_HUI + datetime.timedelta(days=jours)
        assert "Dernier jour pour prescrire" in trouvees[0].motif
        assert trouvees[0].lien == personne.orientations.get().get_absolute_url()


def test_fenetre_deja_fermee_ou_personne_non_orientee_pas_d_alerte(site):
    fermee = _orientee(site, date_liberation_previsible=AUJOURD_HUI + relativedelta(months=3))
    non_orientee = _personne(site, date_liberation_previsible=_dlp_fenetre_fermant_dans(10))
    for personne in (fermee, non_orientee):
        alertes.recalculer(personne=personne)
    assert not Alerte.objects.exists()


def test_fenetre_l_alerte_disparait_une_fois_prescrit_et_notifie_une_seule_fois(
    site, django_capture_on_commit_callbacks
):
    personne = _orientee(site, date_liberation_previsible=_dlp_fenetre_fermant_dans(20))
    with django_capture_on_commit_callbacks(execute=True):
        alertes.recalculer(personne=personne)
        alertes.recalculer(personne=personne)
    notifications = Notification.objects.filter(
        destinataire=site.cpip, evenement="alerte_fenetre_fermeture"
    )
    assert notifications.count() == 1
    assert personne.nom not in notifications.get().texte
    assert personne.prenom not in notifications.get().texte

    PrescriptionFactory(
        implantation=site.implantation,
        personne=personne,
        orientation=personne.orientations.get(),
        prescrite_par=site.cpip,
    )
    alertes.recalculer(personne=personne)
    assert not _actives(personne, TypeAlerte.FENETRE_FERMETURE)
    resolue = Alerte.objects.get(personne=personne, type=TypeAlerte.FENETRE_FERMETURE)
    assert resolue.resolue_le is not None and resolue.resolue_par is None


# --- Pièce d'identité -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jours", "texte"),
    [
        (90, "expire le 13/09/2026 (dans 90 jours)"),
        (1, "dans 1 jour"),
        (0, "expire aujourd'hui"),
        (-1, "a expiré le 14/06/2026"),
    ],
)
def test_piece_qui_expire_dans_90_jours_ou_expiree(site, jours, texte):
    personne = _orientee(
        site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=jours)
    )
    alertes.recalculer(personne=personne)
    (alerte,) = _actives(personne, TypeAlerte.PIECE_IDENTITE)
    assert texte in alerte.motif


def test_piece_valable_91_jours_pas_d_alerte(site):
    personne = _orientee(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=91))
    alertes.recalculer(personne=personne)
    assert not _actives(personne, TypeAlerte.PIECE_IDENTITE)


def test_piece_renouvelee_par_le_dossier_l_alerte_disparait(site):
    personne = _orientee(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=5))
    alertes.recalculer(personne=personne)
    assert _actives(personne, TypeAlerte.PIECE_IDENTITE)
    personne.piece_identite_expiration = AUJOURD_HUI + relativedelta(years=10)
    services.modifier_personne(personne=personne, auteur=site.cpip, version_lue=personne.version)
    assert not _actives(personne, TypeAlerte.PIECE_IDENTITE)


def test_la_nuit_suivante_l_alerte_de_piece_apparait(site, horloge):
    personne = _orientee(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=91))
    alertes.recalculer_toutes_les_alertes.enqueue()
    assert not _actives(personne, TypeAlerte.PIECE_IDENTITE)
    horloge.shift(datetime.timedelta(days=1))
    alertes.recalculer_toutes_les_alertes.enqueue()
    assert _actives(personne, TypeAlerte.PIECE_IDENTITE)


# --- Avis du SPIP -------------------------------------------------------------------------------


@pytest.mark.parametrize(("jours", "alerte"), [(15, False), (16, True)])
def test_avis_en_attente_plus_de_15_jours(site, jours, alerte):
    personne = _personne(site)
    orientation = OrientationFactory(
        personne=personne,
        signalee_par=site.orienteur,
        signalee_le=AUJOURD_HUI - datetime.timedelta(days=jours),
    )
    alertes.recalculer(personne=personne)
    trouvees = _actives(personne, TypeAlerte.AVIS_EN_ATTENTE)
    assert bool(trouvees) is alerte
    if alerte:
        assert trouvees[0].lien == orientation.get_absolute_url()
        assert f"depuis {jours} jours" in trouvees[0].motif


def test_avis_donne_par_le_service_l_alerte_disparait(site):
    personne = _personne(site)
    orientation = OrientationFactory(
        personne=personne,
        signalee_par=site.orienteur,
        signalee_le=AUJOURD_HUI - datetime.timedelta(days=20),
    )
    alertes.recalculer(personne=personne)
    assert _actives(personne, TypeAlerte.AVIS_EN_ATTENTE)
    services.donner_avis(
        orientation=orientation, auteur=site.cpip, avis=AvisSpip.FAVORABLE, motifs=""
    )
    assert not _actives(personne, TypeAlerte.AVIS_EN_ATTENTE)


def test_signalement_par_le_service_calcule_les_alertes(site):
    personne = _personne(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=3))
    services.signaler(
        personne=personne,
        auteur=site.orienteur,
        motif="Souhaite travailler.",
        signalee_le=AUJOURD_HUI,
    )
    assert _actives(personne, TypeAlerte.PIECE_IDENTITE)


# --- Libération sous contrainte -----------------------------------------------------------------


@pytest.mark.parametrize(("jours", "alerte"), [(29, True), (30, True), (31, False)])
def test_seuil_de_liberation_sous_contrainte_pour_une_personne_prescrite(
    site, jours, alerte, django_capture_on_commit_callbacks
):
    seuil = AUJOURD_HUI + datetime.timedelta(days=jours)
    personne = _personne(site, date_liberation_previsible=seuil + relativedelta(months=3))
    PrescriptionFactory(implantation=site.implantation, personne=personne, prescrite_par=site.cpip)
    with django_capture_on_commit_callbacks(execute=True):
        alertes.recalculer(personne=personne)
    trouvees = _actives(personne, TypeAlerte.LIBERATION_SOUS_CONTRAINTE)
    assert bool(trouvees) is alerte
    if alerte:
        assert trouvees[0].echeance == seuil
        # La SIAE, qui accompagne la personne, est prévenue aussi (sans nom).
        assert Notification.objects.filter(destinataire=site.cip, evenement="alerte_lsc").exists()


def test_seuil_de_lsc_ignore_une_personne_seulement_orientee(site):
    personne = _orientee(site, date_liberation_previsible=AUJOURD_HUI + relativedelta(months=3))
    alertes.recalculer(personne=personne)
    assert not _actives(personne, TypeAlerte.LIBERATION_SOUS_CONTRAINTE)


# --- Date de libération qui change le verdict ---------------------------------------------------


def test_nouvelle_date_qui_change_l_eligibilite_alerte_puis_prise_en_compte(site, client):
    personne = _orientee(site)
    personne.date_liberation_previsible = AUJOURD_HUI + relativedelta(months=3)
    services.modifier_personne(personne=personne, auteur=site.cpip, version_lue=personne.version)
    (alerte,) = _actives(personne, TypeAlerte.DATE_LIBERATION_VERDICT)
    assert "« Éligible » devenue « Non éligible »" in alerte.motif

    client.force_login(site.cpip)
    page = client.get(reverse("parcours:personne", args=[personne.pk]))
    assert alerte.motif in page.content.decode()
    url = reverse("parcours:alerte_prendre_en_compte", args=[alerte.pk])
    reponse = client.post(url, {"suivant": "https://ailleurs.example/"})
    assert reponse.status_code == 302
    assert reponse["Location"] == personne.get_absolute_url()
    alerte.refresh_from_db()
    assert alerte.resolue_par == site.cpip
    alertes.recalculer(personne=personne)
    assert not _actives(personne, TypeAlerte.DATE_LIBERATION_VERDICT)


def test_nouvelle_date_sans_changement_de_verdict_pas_d_alerte(site):
    personne = _orientee(site)
    personne.date_liberation_previsible = AUJOURD_HUI + relativedelta(months=20)
    services.modifier_personne(personne=personne, auteur=site.cpip, version_lue=personne.version)
    assert not _actives(personne, TypeAlerte.DATE_LIBERATION_VERDICT)


def test_prise_en_compte_refusee_hors_spip_et_hors_perimetre(site, autre_site, client):
    personne = _orientee(site)
    personne.date_liberation_previsible = AUJOURD_HUI + relativedelta(months=3)
    services.modifier_personne(personne=personne, auteur=site.cpip, version_lue=personne.version)
    alerte = Alerte.objects.get(type=TypeAlerte.DATE_LIBERATION_VERDICT)
    url = reverse("parcours:alerte_prendre_en_compte", args=[alerte.pk])
    PrescriptionFactory(
        implantation=site.implantation,
        personne=personne,
        orientation=personne.orientations.get(),
        prescrite_par=site.cpip,
    )
    client.force_login(site.cip)  # voit le dossier (prescrit), ne le tient pas
    assert client.post(url).status_code == 403
    client.force_login(autre_site.cpip)
    assert client.post(url).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302
    assert Alerte.objects.get(pk=alerte.pk).resolue_le is None


def test_la_commande_de_nuit_met_le_recalcul_en_file(site, capsys):
    personne = _orientee(site, piece_identite_expiration=AUJOURD_HUI)
    call_command("recalculer_alertes")
    assert "mis en file" in capsys.readouterr().out
    assert _actives(personne, TypeAlerte.PIECE_IDENTITE)
