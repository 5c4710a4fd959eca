"""L'entonnoir jusqu'à la sortie (entretien mené, retenue, en parcours, sortie) et les motifs
de non-recrutement et de sortie, par établissement, sur un jeu de données connu : chiffres
exacts dans le calcul, la page, le graphique et le CSV ; aucun nom pour la DISP."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from charte_iae.enums import Disp, Fonction, TypeStructure
from parcours import statistiques
from parcours.enums import (
    AvisSpip,
    DecisionEntretien,
    MotifAvis,
    MotifCloture,
    MotifNonRetenu,
    MotifSortie,
    SituationSortie,
)
from tests.factories import (
    EntretienRecrutementFactory,
    OrientationFactory,
    ParcoursIAEFactory,
    PersonneFactory,
    PrescriptionFactory,
    StructureFactory,
    UtilisateurFactory,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DU, AU = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def _le(mois: int, jour: int) -> datetime.datetime:
    return datetime.datetime(2026, mois, jour, 10, 0, tzinfo=PARIS)


def _j(mois: int, jour: int) -> datetime.date:
    return datetime.date(2026, mois, jour)


@pytest.fixture(autouse=True)
def horloge():
    with time_machine.travel(_le(6, 15), tick=False):
        yield


def _suivre(
    s, nom, *, oriente, avis=None, avis_le=None, motif_avis="", prescrite=None, entretien=None
):
    """Une personne de l'établissement du site ``s`` menée jusqu'où on le dit.
    ``entretien`` : (date, décision, décidé le, motif)."""
    personne = PersonneFactory(etablissement=s.implantation.etablissement, nom=nom)
    valeurs = {"avis": avis, "avis_le": _le(*avis_le)} if avis else {}
    if avis == AvisSpip.DEFAVORABLE:
        valeurs |= {"cloturee_le": _le(*avis_le), "motif_cloture": MotifCloture.AVIS_DEFAVORABLE}
        valeurs |= {"avis_motif_principal": motif_avis}
    orientation = OrientationFactory(
        personne=personne, signalee_par=s.orienteur, signalee_le=_j(*oriente), **valeurs
    )
    if prescrite is None:
        return personne, None
    prescription = PrescriptionFactory(
        implantation=s.implantation,
        personne=personne,
        orientation=orientation,
        prescrite_par=s.cpip,
        prescrite_le=_le(*prescrite),
    )
    if entretien is None:
        return personne, None
    date, decision, decide_le, motif = entretien
    return personne, EntretienRecrutementFactory(
        prescription=prescription,
        saisi_par=s.cip,
        date=date,
        decision=decision,
        decide_le=_le(*decide_le) if decide_le else None,
        decide_par=s.cip if decide_le else None,
        motif_non_retenu=motif,
    )


@pytest.fixture
def jeu(site, autre_site):
    """Établissement A (site) : A1 et A3 vont jusqu'à la sortie, A2 n'est pas retenue, A4 a un
    avis défavorable, A5 a un entretien programmé en juillet (pas encore mené). Établissement
    B (autre site) : B1 est en parcours, B2 n'est pas retenue. Cohorte du 1er trimestre : 7."""
    a, b = site.implantation.etablissement, autre_site.implantation.etablissement
    a.nom, b.nom = "Centre A", "Maison B"
    a.save()
    b.save()
    retenu, non_retenu = DecisionEntretien.RETENU, DecisionEntretien.NON_RETENU
    fav = AvisSpip.FAVORABLE
    a1, e1 = _suivre(
        site, "Alpha", oriente=(1, 5), avis=fav, avis_le=(1, 10), prescrite=(1, 15),
        entretien=(_j(1, 25), retenu, (1, 26), ""),
    )  # fmt: skip
    ParcoursIAEFactory(
        entretien=e1, date_debut=_j(2, 2), date_sortie=_j(4, 30),
        motif_sortie=MotifSortie.FIN_CONTRAT, situation_sortie=SituationSortie.EMPLOI,
    )  # fmt: skip
    a2, _ = _suivre(
        site, "Bravo", oriente=(1, 12), avis=fav, avis_le=(1, 20), prescrite=(2, 1),
        entretien=(_j(2, 5), non_retenu, (2, 5), MotifNonRetenu.PAS_DE_POSTE),
    )  # fmt: skip
    a3, e3 = _suivre(
        site, "Charlie", oriente=(2, 1), avis=fav, avis_le=(2, 3), prescrite=(2, 10),
        entretien=(_j(2, 20), retenu, (2, 20), ""),
    )  # fmt: skip
    ParcoursIAEFactory(
        entretien=e3, date_debut=_j(3, 2), date_sortie=_j(5, 15),
        motif_sortie=MotifSortie.AMENAGEMENT, situation_sortie=SituationSortie.AMENAGEMENT,
    )  # fmt: skip
    a4, _ = _suivre(
        site, "Delta", oriente=(2, 15), avis=AvisSpip.DEFAVORABLE, avis_le=(2, 20),
        motif_avis=MotifAvis.SITUATION_PENALE,
    )  # fmt: skip
    a5, _ = _suivre(
        site, "Echo", oriente=(3, 1), avis=fav, avis_le=(3, 5), prescrite=(3, 10),
        entretien=(_j(7, 1), DecisionEntretien.EN_ATTENTE, None, ""),
    )  # fmt: skip
    b1, eb1 = _suivre(
        autre_site, "Foxtrot", oriente=(1, 8), avis=fav, avis_le=(1, 9), prescrite=(1, 20),
        entretien=(_j(1, 30), retenu, (2, 1), ""),
    )  # fmt: skip
    ParcoursIAEFactory(entretien=eb1, date_debut=_j(2, 10), cree_par=autre_site.cip)
    b2, _ = _suivre(
        autre_site, "Golf", oriente=(2, 2), avis=fav, avis_le=(2, 4), prescrite=(2, 6),
        entretien=(_j(2, 16), non_retenu, (2, 16), MotifNonRetenu.MOTIVATION),
    )  # fmt: skip
    return [a1, a2, a3, a4, a5, b1, b2]


def _calculer(*sites):
    ids = {s.implantation.etablissement_id for s in sites}
    return statistiques.calculer(etablissement_ids=ids, du=DU, au=AU)


def test_entonnoir_jusqu_a_la_sortie_taux_et_delais_exacts(site, autre_site, jeu):
    stats = _calculer(site, autre_site)
    assert stats.cohorte == 7
    assert [
        (e.code, e.effectif, e.taux_passage, e.part_cohorte, e.delai_median_jours)
        for e in stats.entonnoir
    ] == [
        ("informee", 0, None, 0.0, None),
        ("orientee", 7, None, 100.0, None),
        ("avis_favorable", 6, 85.7, 85.7, 3.0),  # délais 1, 2, 2, 4, 5, 8
        ("prescrite", 6, 100.0, 85.7, 6.0),  # 2, 5, 5, 7, 11, 12
        ("entretien", 5, 83.3, 71.4, 10),  # 4, 10, 10, 10, 10 (A5 : programmé en juillet)
        ("retenue", 3, 60.0, 42.9, 1),  # 0, 1, 2
        ("en_parcours", 3, 100.0, 42.9, 9),  # 7, 9, 10
        ("sortie", 2, 66.7, 28.6, 80.5),  # 74, 87 : durée du parcours
    ]
    a, b = stats.par_etablissement
    assert (a.etablissement.nom, a.cohorte, a.effectifs) == (
        "Centre A",
        5,
        [0, 5, 4, 4, 3, 2, 2, 2],
    )
    assert (b.etablissement.nom, b.cohorte, b.effectifs) == (
        "Maison B",
        2,
        [0, 2, 2, 2, 2, 1, 1, 0],
    )


def test_motifs_de_non_recrutement_et_de_sortie_par_etablissement(site, autre_site, jeu):
    avis, non_retenues, sorties, situations = _calculer(site, autre_site).motifs
    assert avis.titre == "Motifs principaux des avis réservés ou défavorables du SPIP"
    assert [(m.libelle, m.total, m.par_etablissement) for m in avis.lignes] == [
        ("Situation pénale (procédure en cours, transfert prévu)", 1, [1, 0]),
    ]
    assert situations.titre == "Situation des personnes à la sortie du parcours"
    assert [(m.libelle, m.total, m.par_etablissement) for m in situations.lignes] == [
        ("Emploi (CDI, CDD, intérim)", 1, [1, 0]),
        ("Aménagement de peine avec activité (emploi, formation)", 1, [1, 0]),
    ]
    assert non_retenues.titre == "Motifs de non-recrutement par la SIAE"
    assert [(m.libelle, m.total, m.par_etablissement) for m in non_retenues.lignes] == [
        ("Pas de poste disponible", 1, [1, 0]),
        ("Motivation insuffisante à ce stade", 1, [0, 1]),
    ]
    assert [(m.libelle, m.total, m.par_etablissement) for m in sorties.lignes] == [
        ("Aménagement de peine", 1, [1, 0]),
        ("Fin de contrat", 1, [1, 0]),
    ]
    assert (non_retenues.total, sorties.total) == (2, 2)


def test_un_seul_etablissement_et_une_autre_periode(site, autre_site, jeu):
    stats = _calculer(site)
    assert stats.cohorte == 5
    assert [m.par_etablissement for m in stats.motifs[1].lignes] == [[1]]
    fevrier = statistiques.calculer(
        etablissement_ids={
            site.implantation.etablissement_id,
            autre_site.implantation.etablissement_id,
        },
        du=_j(2, 1),
        au=_j(2, 28),
    )
    # A3, A4 et B2 sont entrées en février.
    assert fevrier.cohorte == 3
    assert [e.effectif for e in fevrier.entonnoir] == [0, 3, 2, 2, 2, 1, 1, 1]
    assert [(m.libelle, m.total) for m in fevrier.motifs[1].lignes] == [
        ("Motivation insuffisante à ce stade", 1)
    ]


@pytest.fixture
def admin_disp(db):
    disp = StructureFactory(type=TypeStructure.DISP, disp=Disp.RENNES, nom="DISP de Rennes")
    return UtilisateurFactory(fonction=Fonction.ADMIN_DISP, structure=disp)


def test_la_disp_voit_les_motifs_et_le_graphique_sans_aucun_nom(
    client, site, autre_site, jeu, admin_disp
):
    client.force_login(admin_disp)
    reponse = client.get(reverse("parcours:statistiques"), {"du": DU, "au": AU})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    for p in jeu:
        assert p.nom not in html and p.nom.upper() not in html
        assert p.numero_ecrou not in html
    for agent in (site.cip, autre_site.cip, site.cpip):
        assert agent.get_full_name() not in html
    assert "Motifs de sortie du parcours" in html
    assert "Entretiens de la cohorte : 2, par motif et par établissement" in html
    titres = [g.titre for g in reponse.context["graphiques"]]
    assert titres[2:] == [
        "Motifs principaux des avis réservés ou défavorables du SPIP (avis)",
        "Motifs de non-recrutement par la SIAE (entretiens)",
        "Motifs de sortie du parcours (sorties)",
        "Situation des personnes à la sortie du parcours (sorties)",
    ]
    entonnoir = reponse.context["graphiques"][0]
    assert [b.valeur_affichee for b in entonnoir.barres] == ["0", "7", "6", "6", "5", "3", "3", "2"]
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    assert "style=" not in svg and "Sortie du parcours" in svg


def test_export_csv_des_nouvelles_etapes_et_des_motifs(client, site, autre_site, jeu, admin_disp):
    client.force_login(admin_disp)
    reponse = client.get(reverse("parcours:statistiques_csv"), {"du": DU, "au": AU})
    contenu = reponse.content.decode("utf-8-sig")
    for p in jeu:
        assert p.nom not in contenu and p.numero_ecrou not in contenu
    lignes = contenu.splitlines()
    assert "Entretien de recrutement mené;5;83,3;71,4;10" in lignes
    assert "Retenue par la SIAE;3;60;42,9;1" in lignes
    assert "En parcours (début du CEP);3;100;42,9;9" in lignes
    assert "Sortie du parcours;2;66,7;28,6;80,5" in lignes
    assert "Motifs de sortie du parcours;Sorties (total);Centre A;Maison B" in lignes
    assert "Aménagement de peine;1;1;0" in lignes
    assert "Motivation insuffisante à ce stade;1;0;1" in lignes
    assert "Emploi (CDI, CDD, intérim);1;1;0" in lignes
    assert "Situation pénale (procédure en cours, transfert prévu);1;1;0" in lignes
