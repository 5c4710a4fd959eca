"""Les alertes du côté de la SIAE et de la sortie : entretien de recrutement qui tarde, CEP
non signé dans les 2 jours ouvrés, passage en milieu ouvert sans réponse, livret à finaliser
avant la libération. Chaque seuil à sa borne, la disparition par le service qui résout la
cause, les bons destinataires, des notifications sans nom."""

import datetime
import html
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from charte_iae.models import Notification
from parcours import alertes, jours_ouvres
from parcours import services_siae as services
from parcours.enums import DecisionEntretien, TypeAlerte
from parcours.models import Alerte, PassageMilieuOuvert, Personne
from tests.factories import EntretienRecrutementFactory, ParcoursIAEFactory
from tests.parcours.siae_outils import avec_livret_finalise, en_parcours, prescrire, sortir

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUJOURD_HUI = datetime.date(2026, 6, 15)  # un lundi


@pytest.fixture(autouse=True)
def horloge():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS), tick=False) as t:
        yield t


def _il_y_a(jours: int) -> datetime.datetime:
    return datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS) - datetime.timedelta(days=jours)


def _actives(personne, type_alerte):
    return list(Alerte.objects.actives().filter(personne=personne, type=type_alerte))


def _notifies(evenement: str) -> dict[int, str]:
    """Destinataire → lien, pour les notifications de cet événement."""
    return dict(
        Notification.objects.filter(evenement=evenement).values_list("destinataire_id", "lien")
    )


def _sans_nom(personne: Personne, evenement: str) -> None:
    textes = list(Notification.objects.filter(evenement=evenement).values_list("texte", flat=True))
    assert textes
    for texte in textes:
        assert personne.nom not in texte and personne.prenom not in texte
        assert personne.numero_ecrou not in texte


# --- Entretien de recrutement -------------------------------------------------------------------


@pytest.mark.parametrize(("jours", "alerte"), [(14, False), (15, False), (16, True)])
def test_prescription_sans_entretien_depuis_plus_de_15_jours(site, jours, alerte):
    prescription = prescrire(site, prescrite_le=_il_y_a(jours))
    alertes.recalculer(personne=prescription.personne)
    trouvees = _actives(prescription.personne, TypeAlerte.ENTRETIEN_EN_ATTENTE)
    assert bool(trouvees) is alerte
    if alerte:
        (a,) = trouvees
        assert a.echeance == AUJOURD_HUI - datetime.timedelta(days=1)
        assert "aucun entretien de recrutement enregistré depuis 16 jours" in a.motif
        assert a.lien == reverse("parcours_siae:entretien_creer", args=[prescription.pk])


def test_entretien_qui_tarde_previent_la_siae_et_le_cpip_sans_nom(
    site, django_capture_on_commit_callbacks
):
    prescription = prescrire(site, prescrite_le=_il_y_a(20))
    personne = prescription.personne
    with django_capture_on_commit_callbacks(execute=True):
        alertes.recalculer(personne=personne)
        alertes.recalculer(personne=personne)
    notifies = _notifies("alerte_entretien_en_attente")
    lien_siae = reverse("parcours_siae:entretien_creer", args=[prescription.pk])
    # La SIAE est envoyée où agir ; le CPIP référent, qui ne mène pas l'entretien, au dossier.
    assert notifies == {
        site.cip.pk: lien_siae,
        site.et.pk: lien_siae,
        site.direction.pk: lien_siae,
        site.cpip.pk: personne.get_absolute_url(),
    }
    assert Notification.objects.filter(evenement="alerte_entretien_en_attente").count() == 4
    _sans_nom(personne, "alerte_entretien_en_attente")


def test_sur_ses_pages_le_spip_est_mene_au_dossier_et_la_siae_au_formulaire(site, client):
    """L'alerte « entretien qui tarde » se traite sur une page de la SIAE : le CPIP, qui n'y a
    pas accès, est mené au dossier depuis son portefeuille et le dossier n'a pas de lien mort."""
    prescription = prescrire(site, prescrite_le=_il_y_a(20))
    personne = prescription.personne
    alertes.recalculer(personne=personne)
    lien_siae = reverse("parcours_siae:entretien_creer", args=[prescription.pk])
    client.force_login(site.cpip)
    accueil = client.get(reverse("accueil")).content.decode()
    assert f'href="{personne.get_absolute_url()}"' in accueil
    assert lien_siae not in accueil
    dossier = client.get(personne.get_absolute_url()).content.decode()
    assert str(TypeAlerte.ENTRETIEN_EN_ATTENTE.label) in html.unescape(dossier)
    assert lien_siae not in dossier
    client.force_login(site.cip)
    assert lien_siae in client.get(personne.get_absolute_url()).content.decode()


def test_l_entretien_enregistre_par_le_service_resout_l_alerte(site):
    prescription = prescrire(site, prescrite_le=_il_y_a(20))
    alertes.recalculer(personne=prescription.personne)
    assert _actives(prescription.personne, TypeAlerte.ENTRETIEN_EN_ATTENTE)
    # Un entretien programmé suffit : la SIAE a pris la prescription en charge.
    services.enregistrer_entretien(
        prescription=prescription,
        auteur=site.cip,
        date=AUJOURD_HUI + datetime.timedelta(days=3),
        interlocuteurs=[site.cip],
        decision=DecisionEntretien.EN_ATTENTE,
    )
    assert not _actives(prescription.personne, TypeAlerte.ENTRETIEN_EN_ATTENTE)
    resolue = Alerte.objects.get(type=TypeAlerte.ENTRETIEN_EN_ATTENTE)
    assert resolue.resolue_le is not None and resolue.resolue_par is None


# --- CEP : 2 jours ouvrés -----------------------------------------------------------------------


def _parcours(site, date_debut: datetime.date, **valeurs):
    prescription = prescrire(site)
    return ParcoursIAEFactory(
        entretien=EntretienRecrutementFactory(
            prescription=prescription, saisi_par=site.cip, date=date_debut
        ),
        date_debut=date_debut,
        **valeurs,
    )


@pytest.mark.parametrize(
    ("jour", "alerte"),
    [
        (datetime.date(2026, 6, 15), False),  # lundi : 1 jour ouvré après le vendredi
        (datetime.date(2026, 6, 16), False),  # mardi : 2 jours ouvrés, dernier jour
        (datetime.date(2026, 6, 17), True),  # mercredi : 3 jours ouvrés, délai dépassé
    ],
)
def test_cep_non_signe_apres_2_jours_ouvres_par_dessus_le_week_end(site, jour, alerte):
    parcours = _parcours(site, datetime.date(2026, 6, 12))  # un vendredi
    alertes.recalculer(personne=parcours.personne, jour=jour)
    trouvees = _actives(parcours.personne, TypeAlerte.CEP_NON_SIGNE)
    assert bool(trouvees) is alerte
    if alerte:
        (a,) = trouvees
        assert a.echeance == datetime.date(2026, 6, 16)
        assert "au plus tard le 16/06/2026 (2 jours ouvrés)" in a.motif
        assert a.lien == parcours.get_absolute_url()


def test_cep_le_jour_ferie_ne_compte_pas(site):
    # Jeudi 7 mai 2026 ; le vendredi 8 mai est férié : la limite est le mardi 12 mai.
    parcours = _parcours(site, datetime.date(2026, 5, 7))
    assert parcours.date_limite_cep == datetime.date(2026, 5, 12)
    alertes.recalculer(personne=parcours.personne, jour=datetime.date(2026, 5, 12))
    assert not _actives(parcours.personne, TypeAlerte.CEP_NON_SIGNE)
    alertes.recalculer(personne=parcours.personne, jour=datetime.date(2026, 5, 13))
    assert _actives(parcours.personne, TypeAlerte.CEP_NON_SIGNE)


def test_jours_feries_de_2026():
    feries = jours_ouvres.jours_feries(2026)
    assert len(feries) == 11
    assert {
        datetime.date(2026, 4, 6),  # lundi de Pâques
        datetime.date(2026, 5, 14),  # Ascension
        datetime.date(2026, 5, 25),  # lundi de Pentecôte
        datetime.date(2026, 7, 14),
        datetime.date(2026, 12, 25),
    } <= feries
    # Lundi 13 juillet : le 14 (mardi) est férié, la limite est le jeudi 16.
    assert jours_ouvres.ajouter_jours_ouvres(datetime.date(2026, 7, 13), 2) == datetime.date(
        2026, 7, 16
    )


def test_cep_non_signe_ne_previent_que_la_siae_et_disparait_a_la_signature(
    site, django_capture_on_commit_callbacks
):
    parcours = _parcours(site, datetime.date(2026, 6, 5))  # limite : mardi 9 juin
    with django_capture_on_commit_callbacks(execute=True):
        alertes.recalculer(personne=parcours.personne)
    assert set(_notifies("alerte_cep_non_signe")) == {site.cip.pk, site.et.pk, site.direction.pk}
    _sans_nom(parcours.personne, "alerte_cep_non_signe")
    # Le CPIP référent la voit pourtant sur son portefeuille (alerte du dossier).
    assert Alerte.objects.for_user(site.cpip).filter(type=TypeAlerte.CEP_NON_SIGNE).exists()

    services.enregistrer_signature_cep(parcours=parcours, auteur=site.cip, signe_le=AUJOURD_HUI)
    assert not _actives(parcours.personne, TypeAlerte.CEP_NON_SIGNE)


def test_cep_signe_a_l_ouverture_du_parcours_pas_d_alerte(site):
    parcours = en_parcours(site)  # par le service, signé le jour même
    alertes.recalculer(personne=parcours.personne, jour=AUJOURD_HUI + datetime.timedelta(days=30))
    assert not _actives(parcours.personne, TypeAlerte.CEP_NON_SIGNE)


def test_parcours_ouvert_par_le_service_sans_signature_l_alerte_vient_du_service(site):
    prescription = prescrire(site, prescrite_le=_il_y_a(10))
    services.enregistrer_entretien(
        prescription=prescription,
        auteur=site.cip,
        date=AUJOURD_HUI - datetime.timedelta(days=7),
        interlocuteurs=[site.cip],
        decision=DecisionEntretien.RETENU,
    )
    parcours = services.commencer_parcours(
        prescription=prescription,
        auteur=site.cip,
        date_debut=AUJOURD_HUI - datetime.timedelta(days=7),  # lundi 8 juin
        activite_support="Conditionnement",
        poste="Opérateur",
        heures_hebdomadaires=24,
    )
    (a,) = _actives(parcours.personne, TypeAlerte.CEP_NON_SIGNE)
    assert a.echeance == datetime.date(2026, 6, 10)


# --- Passage en milieu ouvert -------------------------------------------------------------------


def _passage(site) -> PassageMilieuOuvert:
    parcours = sortir(site, en_parcours(site))
    return services.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )


def _confie_il_y_a(passage: PassageMilieuOuvert, jours: int) -> None:
    PassageMilieuOuvert.objects.filter(pk=passage.pk).update(designe_le=_il_y_a(jours))


@pytest.mark.parametrize(("jours", "alerte"), [(4, False), (5, False), (6, True)])
def test_passage_sans_reponse_depuis_plus_de_5_jours(site, jours, alerte):
    passage = _passage(site)
    assert not _actives(passage.personne, TypeAlerte.PASSAGE_EN_ATTENTE)
    _confie_il_y_a(passage, jours)
    alertes.recalculer(personne=passage.personne)
    trouvees = _actives(passage.personne, TypeAlerte.PASSAGE_EN_ATTENTE)
    assert bool(trouvees) is alerte
    if alerte:
        (a,) = trouvees
        assert a.lien == passage.get_absolute_url()
        assert "sans réponse du CPIP désigné depuis 6 jours" in a.motif
        assert a.echeance == AUJOURD_HUI - datetime.timedelta(days=1)


def test_passage_sans_reponse_previent_le_cpip_designe_et_celui_qui_l_a_confie(
    site, django_capture_on_commit_callbacks
):
    passage = _passage(site)
    _confie_il_y_a(passage, 8)
    with django_capture_on_commit_callbacks(execute=True):
        alertes.recalculer(personne=passage.personne)
    assert _notifies("alerte_passage_en_attente") == {
        site.cpip_mo.pk: passage.get_absolute_url(),
        site.cpip.pk: passage.get_absolute_url(),
    }
    _sans_nom(passage.personne, "alerte_passage_en_attente")


@pytest.mark.parametrize("reponse", ["accepter", "renvoyer"])
def test_la_reponse_au_passage_resout_l_alerte(site, reponse):
    passage = _passage(site)
    _confie_il_y_a(passage, 8)
    alertes.recalculer(personne=passage.personne)
    assert _actives(passage.personne, TypeAlerte.PASSAGE_EN_ATTENTE)
    if reponse == "accepter":
        services.accepter_passage(passage=passage, auteur=site.cpip_mo)
    else:
        services.renvoyer_passage(passage=passage, auteur=site.cpip_mo, motif="Hors secteur.")
    assert not _actives(passage.personne, TypeAlerte.PASSAGE_EN_ATTENTE)


def test_la_nuit_reexamine_les_passages_de_personnes_sorties(site, horloge):
    passage = _passage(site)  # la prescription a pris fin, l'orientation est close
    alertes.recalculer_toutes_les_alertes.enqueue()
    assert not _actives(passage.personne, TypeAlerte.PASSAGE_EN_ATTENTE)
    horloge.shift(datetime.timedelta(days=6))
    alertes.recalculer_toutes_les_alertes.enqueue()
    assert _actives(passage.personne, TypeAlerte.PASSAGE_EN_ATTENTE)


# --- Livret de compétences avant la sortie ------------------------------------------------------


def _en_parcours_liberable_dans(site, jours: int):
    parcours = en_parcours(site)
    Personne.objects.filter(pk=parcours.personne_id).update(
        date_liberation_previsible=AUJOURD_HUI + datetime.timedelta(days=jours)
    )
    return parcours


@pytest.mark.parametrize(
    ("jours", "texte"),
    [
        (14, "le 29/06/2026 (dans 14 jours)"),
        (15, "le 30/06/2026 (dans 15 jours)"),
        (16, None),
        (0, "aujourd'hui (15/06/2026)"),
        (-2, "était prévue le 13/06/2026"),
    ],
)
def test_livret_non_finalise_15_jours_avant_la_liberation(site, jours, texte):
    parcours = _en_parcours_liberable_dans(site, jours)
    alertes.recalculer(personne=parcours.personne)
    trouvees = _actives(parcours.personne, TypeAlerte.LIVRET_A_FINALISER)
    assert bool(trouvees) is (texte is not None)
    if texte:
        (a,) = trouvees
        assert texte in a.motif
        assert a.echeance == AUJOURD_HUI + datetime.timedelta(days=jours)
        assert a.lien == reverse("parcours_siae:livret", args=[parcours.pk])


def test_livret_a_finaliser_previent_la_siae_et_le_cpip(site, django_capture_on_commit_callbacks):
    parcours = _en_parcours_liberable_dans(site, 10)
    with django_capture_on_commit_callbacks(execute=True):
        alertes.recalculer(personne=parcours.personne)
    assert set(_notifies("alerte_livret_a_finaliser")) == {
        site.cip.pk,
        site.et.pk,
        site.direction.pk,
        site.cpip.pk,
    }
    _sans_nom(parcours.personne, "alerte_livret_a_finaliser")


def test_la_finalisation_du_livret_resout_l_alerte_et_une_correction_ne_la_rouvre_pas(site):
    parcours = _en_parcours_liberable_dans(site, 10)
    alertes.recalculer(personne=parcours.personne)
    assert _actives(parcours.personne, TypeAlerte.LIVRET_A_FINALISER)
    livret = avec_livret_finalise(site, parcours)
    assert not _actives(parcours.personne, TypeAlerte.LIVRET_A_FINALISER)
    services.corriger_livret(livret=livret, auteur=site.cip)  # nouveau brouillon
    alertes.recalculer(personne=parcours.personne)
    assert not _actives(parcours.personne, TypeAlerte.LIVRET_A_FINALISER)


def test_la_sortie_du_parcours_resout_les_alertes_du_parcours(site):
    parcours = _en_parcours_liberable_dans(site, 10)
    alertes.recalculer(personne=parcours.personne)
    assert _actives(parcours.personne, TypeAlerte.LIVRET_A_FINALISER)
    sortir(site, parcours)
    assert not Alerte.objects.actives().filter(personne=parcours.personne).exists()


def test_les_alertes_de_la_siae_s_affichent_sur_ses_pages_d_accueil(site, client):
    prescription = prescrire(site, prescrite_le=_il_y_a(20))
    alertes.recalculer(personne=prescription.personne)
    client.force_login(site.cip)
    html = client.get(reverse("accueil")).content.decode()
    assert "Entretien de recrutement en attente" in html
    client.force_login(site.cpip)
    html = client.get(reverse("accueil")).content.decode()
    assert "Entretien de recrutement en attente" in html
