"""La page d'accueil par profil : le registre des sections, le portefeuille du CPIP trié par
urgence et filtré, les listes de la SIAE, de l'encadrement, de l'orienteur et de la DISP ;
nombre de requêtes épinglé et constant quand les lignes se multiplient."""

import datetime
import zoneinfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charte_iae import tableaux
from charte_iae.enums import Disp, Fonction, TypeStructure
from charte_iae.roles import Profil
from parcours import alertes
from tests.factories import (
    EntretienRecrutementFactory,
    OrientationFactory,
    ParcoursIAEFactory,
    PersonneFactory,
    PrescriptionFactory,
    StructureFactory,
    UtilisateurFactory,
)
from tests.parcours.siae_outils import avec_livret_finalise

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AUJOURD_HUI = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def horloge():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS), tick=False):
        yield


def _requetes(client, url="/", **params) -> int:
    """Requêtes d'une page, après une première visite (session et caches chauds)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as contexte:
        assert client.get(url, params).status_code == 200
    return len(contexte.captured_queries)


def _suivie(site, **valeurs):
    personne = PersonneFactory(
        etablissement=site.implantation.etablissement, cpip_referent=site.cpip, **valeurs
    )
    OrientationFactory(personne=personne, signalee_par=site.orienteur, avis_favorable=True)
    alertes.recalculer(personne=personne)
    return personne


# --- Registre ----------------------------------------------------------------------------------


def test_une_section_enregistree_s_affiche_et_none_la_masque(client, site):
    @tableaux.section(Profil.PARTENAIRE, gabarit="charte_iae/accueil/_base.html", ordre=1)
    def _essai(request):
        return None

    try:
        assert [s.cle for s in tableaux.sections_de(Profil.PARTENAIRE)][-1].endswith("_essai")
        assert tableaux.sections(None, Profil.PARTENAIRE) == []
    finally:
        tableaux._sections[Profil.PARTENAIRE] = [
            s for s in tableaux._sections[Profil.PARTENAIRE] if not s.cle.endswith("_essai")
        ]


def test_chaque_profil_du_parcours_a_sa_section():
    for p in (
        Profil.CPIP,
        Profil.SIAE,
        Profil.DIRECTION_SIAE,
        Profil.ADMIN_SPIP,
        Profil.ORIENTEUR,
        Profil.ADMIN,
    ):
        assert tableaux.sections_de(p), p


# --- CPIP -------------------------------------------------------------------------------------


def test_le_cpip_voit_d_abord_les_fenetres_qui_se_ferment_et_les_papiers_qui_expirent(client, site):
    tranquille = _suivie(site, nom="Tranquille")
    piece = _suivie(
        site, nom="Papiers", piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=40)
    )
    fenetre = _suivie(
        site,
        nom="Fenetre",
        date_liberation_previsible=AUJOURD_HUI
        + datetime.timedelta(days=10)
        + relativedelta(months=4),
    )
    PersonneFactory(etablissement=site.implantation.etablissement, nom="Collegue")  # pas à moi
    client.force_login(site.cpip)
    html = client.get(reverse("accueil")).content.decode()
    positions = [html.index(p.nom.upper()) for p in (fenetre, piece, tranquille)]
    assert positions == sorted(positions)
    assert "COLLEGUE" not in html
    assert html.index("Mon portefeuille") < html.index('id="titre-notifications"')
    assert (
        "Fenêtre d&#x27;éligibilité qui se ferme" in html
        or "Fenêtre d'éligibilité qui se ferme" in html
    )
    assert "Avis donné, à prescrire" in html


def test_le_portefeuille_se_filtre_par_alerte_et_par_etape(client, site):
    _suivie(site, nom="Tranquille")
    _suivie(
        site, nom="Papiers", piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=40)
    )
    client.force_login(site.cpip)
    html = client.get(reverse("accueil"), {"alerte": "avec"}).content.decode()
    assert "PAPIERS" in html and "TRANQUILLE" not in html
    html = client.get(reverse("accueil"), {"alerte": "fenetre_fermeture"}).content.decode()
    assert "PAPIERS" not in html and "Aucune personne ne correspond" in html
    html = client.get(reverse("accueil"), {"etape": "avis_donne"}).content.decode()
    assert "PAPIERS" in html and "TRANQUILLE" in html
    html = client.get(reverse("accueil"), {"etape": "prescrite"}).content.decode()
    assert "Aucune personne ne correspond" in html


def test_le_portefeuille_garde_le_meme_nombre_de_requetes(client, site, django_assert_num_queries):
    _suivie(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=40))
    client.force_login(site.cpip)
    client.get(reverse("accueil"))
    with django_assert_num_queries(NB_REQUETES_CPIP):
        client.get(reverse("accueil"))
    for _ in range(49):
        _suivie(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=40))
    with django_assert_num_queries(NB_REQUETES_CPIP):
        reponse = client.get(reverse("accueil"))
    assert "50 personnes" in reponse.content.decode()
    assert _requetes(client, reverse("accueil"), page=3) == NB_REQUETES_CPIP


# --- SIAE, encadrement, orienteur, DISP ---------------------------------------------------------


def _en_parcours(site, nom="Parcours", liberation=None):
    prescription = PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__nom=nom,
        personne__date_liberation_previsible=liberation,
    )
    return ParcoursIAEFactory(
        entretien=EntretienRecrutementFactory(prescription=prescription, saisi_par=site.cip)
    )


def test_la_siae_voit_les_personnes_prescrites_requetes_constantes(client, site):
    PrescriptionFactory(
        implantation=site.implantation, prescrite_par=site.cpip, personne__nom="Prescrit"
    )
    _en_parcours(site)
    client.force_login(site.cip)
    une = _requetes(client, reverse("accueil"))
    html = client.get(reverse("accueil")).content.decode()
    assert "PRESCRIT" in html and "personnes prescrites vers la SIAE" in html
    for _ in range(10):
        PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
        _en_parcours(site)
    assert _requetes(client, reverse("accueil")) == une == NB_REQUETES_SIAE
    assert _requetes(client, reverse("accueil"), livrets=2) == NB_REQUETES_SIAE


def test_la_siae_voit_les_livrets_a_finaliser_sorties_proches_d_abord(client, site, autre_site):
    loin = _en_parcours(site, "Loin", AUJOURD_HUI + relativedelta(months=8))
    proche = _en_parcours(site, "Proche", AUJOURD_HUI + datetime.timedelta(days=10))
    _en_parcours(site, "Sansdate")
    fini = _en_parcours(site, "Finalise", AUJOURD_HUI + datetime.timedelta(days=5))
    avec_livret_finalise(site, fini)
    _en_parcours(autre_site, "Ailleurs", AUJOURD_HUI + datetime.timedelta(days=3))
    client.force_login(site.cip)
    html = client.get(reverse("accueil")).content.decode()
    section = html[html.index('id="titre-livrets"') :]
    assert "3 livrets à finaliser" in section
    positions = [section.index(n) for n in ("PROCHE", "LOIN", "SANSDATE")]
    assert positions == sorted(positions)
    assert "FINALISE" not in section and "AILLEURS" not in section
    assert reverse("parcours_siae:livret", args=[proche.pk]) in section
    assert reverse("parcours_siae:livret", args=[loin.pk]) in section
    # Le CPIP n'a pas cette section : les livrets à finaliser lui parviennent par les alertes.
    client.force_login(site.cpip)
    assert 'id="titre-livrets"' not in client.get(reverse("accueil")).content.decode()


def test_le_dpip_voit_son_equipe_et_ses_chiffres_requetes_constantes(client, site):
    _suivie(site, piece_identite_expiration=AUJOURD_HUI + datetime.timedelta(days=40))
    client.force_login(site.dpip)
    une = _requetes(client, reverse("accueil"))
    html = client.get(reverse("accueil")).content.decode()
    assert site.cpip.get_full_name() in html
    assert "Orientations en cours : 1" in html
    assert (
        "Pièce d&#x27;identité à renouveler » : 1" in html
        or "Pièce d'identité à renouveler » : 1" in html
    )
    assert reverse("parcours:statistiques") in html
    for _ in range(10):
        _suivie(site)
        UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    assert _requetes(client, reverse("accueil")) == une == NB_REQUETES_DPIP


def test_l_orienteur_voit_ses_orientations_et_leur_issue(client, site, autre_site):
    personne = PersonneFactory(etablissement=site.implantation.etablissement, nom="Signale")
    OrientationFactory(personne=personne, signalee_par=site.orienteur)
    autre = PersonneFactory(etablissement=site.implantation.etablissement, nom="Pasmoi")
    OrientationFactory(personne=autre, signalee_par=site.cpip)
    client.force_login(site.orienteur)
    une = _requetes(client, reverse("accueil"))
    html = client.get(reverse("accueil")).content.decode()
    assert "SIGNALE" in html and "En attente de l&#x27;avis du SPIP" in html
    assert "PASMOI" not in html
    for _ in range(10):
        PrescriptionFactory(
            implantation=site.implantation,
            prescrite_par=site.cpip,
            orientation__signalee_par=site.orienteur,
        )
    assert _requetes(client, reverse("accueil")) == une
    assert "Parcours IAE prescrit" in client.get(reverse("accueil")).content.decode()


def test_la_disp_voit_des_chiffres_par_etablissement_sans_nom(client, site, autre_site):
    disp = StructureFactory(type=TypeStructure.DISP, disp=Disp.RENNES)
    admin = UtilisateurFactory(fonction=Fonction.ADMIN_DISP, structure=disp)
    personne = _suivie(site, nom="Anonymee")
    client.force_login(admin)
    html = client.get(reverse("accueil")).content.decode()
    assert site.implantation.etablissement.nom in html
    assert autre_site.implantation.etablissement.nom in html
    assert personne.nom.upper() not in html and personne.nom not in html
    assert personne.numero_ecrou not in html


def test_anonyme_renvoye_a_la_connexion(client, db):
    assert client.get(reverse("accueil")).status_code == 302


# Dont 2 pour le bloc de la communication (entrées non lues du cahier, prochaines réunions) ;
# pour la SIAE, dont 2 de plus pour les livrets à finaliser (compte et page de la liste).
NB_REQUETES_CPIP = 12
NB_REQUETES_SIAE = 14
NB_REQUETES_DPIP = 13
