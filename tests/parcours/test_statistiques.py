"""Les statistiques de pilotage sur un jeu de données connu : chiffres exacts, périmètre,
aucun nom (DISP comprise), graphiques sans style en ligne, export CSV neutralisé."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from charte_iae.enums import Disp, Fonction, TypeStructure
from parcours import statistiques
from parcours.enums import AvisSpip, CanalInformation, MotifCloture
from parcours.models import InformationIAE
from tests.factories import (
    OrientationFactory,
    PersonneFactory,
    PrescriptionFactory,
    StructureFactory,
    UtilisateurFactory,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DU, AU = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def _le(mois: int, jour: int, annee: int = 2026) -> datetime.datetime:
    return datetime.datetime(annee, mois, jour, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def horloge():
    with time_machine.travel(_le(6, 15), tick=False):
        yield


@pytest.fixture
def jeu(site, autre_site):
    """P1 à P4 forment la cohorte du 1er trimestre de l'établissement de « site » ; P5 est
    entrée avant (décembre), P6 est dans un autre établissement de la même DISP."""
    etab = site.implantation.etablissement

    def personne(nom):
        return PersonneFactory(etablissement=etab, nom=nom, prenom="Témoin")

    def informer(p, le):
        InformationIAE.objects.create(
            personne=p, date=le, canal=CanalInformation.ENTRETIEN_ARRIVANT, donnee_par=site.cpip
        )

    def orienter(p, le, **valeurs):
        return OrientationFactory(
            personne=p, signalee_par=site.orienteur, signalee_le=le, **valeurs
        )

    p1, p2, p3, p4, p5 = (personne(n) for n in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"))
    informer(p1, datetime.date(2026, 1, 10))
    o1 = orienter(p1, datetime.date(2026, 1, 15), avis=AvisSpip.FAVORABLE, avis_le=_le(1, 20))
    PrescriptionFactory(
        implantation=site.implantation,
        personne=p1,
        orientation=o1,
        prescrite_par=site.cpip,
        prescrite_le=_le(2, 1),
    )
    informer(p2, datetime.date(2026, 2, 1))
    orienter(p2, datetime.date(2026, 2, 11), avis=AvisSpip.FAVORABLE, avis_le=_le(2, 25))
    orienter(
        p3,
        datetime.date(2026, 3, 1),
        avis=AvisSpip.DEFAVORABLE,
        avis_motifs="Projet non mûr.",
        avis_le=_le(3, 5),
        cloturee_le=_le(3, 6),
        motif_cloture=MotifCloture.AVIS_DEFAVORABLE,
    )
    informer(p4, datetime.date(2026, 3, 10))
    informer(p5, datetime.date(2025, 12, 20))
    orienter(p5, datetime.date(2026, 1, 5))
    p6 = PersonneFactory(etablissement=autre_site.implantation.etablissement, nom="Foxtrot")
    OrientationFactory(personne=p6, signalee_par=autre_site.orienteur, signalee_le=DU)
    return [p1, p2, p3, p4, p5, p6]


def test_entonnoir_taux_et_delais_exacts(site, jeu):
    stats = statistiques.calculer(
        etablissement_ids={site.implantation.etablissement_id}, du=DU, au=AU
    )
    assert stats.cohorte == 4
    assert [
        (e.code, e.effectif, e.taux_passage, e.part_cohorte, e.delai_median_jours)
        for e in stats.entonnoir
    ] == [
        ("informee", 3, None, 75.0, None),
        ("orientee", 3, 100.0, 75.0, 7.5),
        ("avis_favorable", 2, 66.7, 50.0, 9.5),
        ("prescrite", 1, 50.0, 25.0, 12),
        ("entretien", 0, 0.0, 0.0, None),
        ("retenue", 0, None, 0.0, None),
        ("en_parcours", 0, None, 0.0, None),
        ("sortie", 0, None, 0.0, None),
    ]
    assert stats.avis == [("Favorable", 2), ("Défavorable", 1)]
    assert stats.clotures == [("Avis défavorable du SPIP", 1)]
    (ligne,) = stats.par_etablissement
    assert (ligne.cohorte, ligne.effectifs) == (4, [3, 3, 2, 1, 0, 0, 0, 0])


def test_la_periode_choisit_la_cohorte_par_son_entree(site, jeu):
    stats = statistiques.calculer(
        etablissement_ids={site.implantation.etablissement_id},
        du=datetime.date(2025, 12, 1),
        au=datetime.date(2025, 12, 31),
    )
    assert stats.cohorte == 1
    assert [e.effectif for e in stats.entonnoir] == [1, 1, 0, 0, 0, 0, 0, 0]


def test_le_dpip_voit_son_etablissement_et_pas_les_noms(client, site, jeu):
    client.force_login(site.dpip)
    reponse = client.get(reverse("parcours:statistiques"), {"du": DU, "au": AU})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Cohorte : 4 personnes" in html
    assert "66.7 %" in html or "66,7 %" in html
    for p in jeu:
        assert p.nom not in html
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    assert "style=" not in svg
    assert 'role="img"' in svg


def test_un_etablissement_hors_perimetre_ne_fuit_pas(client, site, autre_site, jeu):
    client.force_login(site.dpip)
    reponse = client.get(
        reverse("parcours:statistiques"),
        {"du": DU, "au": AU, "etablissement": autre_site.implantation.etablissement_id},
    )
    assert reponse.status_code == 200
    assert "etablissement" in reponse.context["form"].errors
    assert [ligne.etablissement for ligne in reponse.context["stats"].par_etablissement] == [
        site.implantation.etablissement
    ]
    assert autre_site.implantation.etablissement.nom not in reponse.content.decode()


def test_la_direction_de_la_siae_voit_son_etablissement(client, site, jeu):
    client.force_login(site.direction)
    reponse = client.get(reverse("parcours:statistiques"), {"du": DU, "au": AU})
    assert reponse.status_code == 200
    assert reponse.context["stats"].cohorte == 4


@pytest.fixture
def admin_disp(db):
    disp = StructureFactory(type=TypeStructure.DISP, disp=Disp.RENNES, nom="DISP de Rennes")
    return UtilisateurFactory(fonction=Fonction.ADMIN_DISP, structure=disp)


def test_la_disp_voit_ses_etablissements_sans_aucun_nom(client, site, autre_site, jeu, admin_disp):
    client.force_login(admin_disp)
    for url in (reverse("parcours:statistiques"), reverse("parcours:statistiques_csv")):
        reponse = client.get(url, {"du": DU, "au": AU})
        assert reponse.status_code == 200
        contenu = reponse.content.decode()
        for p in jeu:
            assert p.nom not in contenu
            assert p.numero_ecrou not in contenu
        assert site.implantation.etablissement.nom in contenu
        assert autre_site.implantation.etablissement.nom in contenu
    accueil = client.get(reverse("accueil")).content.decode()
    for p in jeu:
        assert p.nom not in accueil


def test_export_csv_exact_et_neutralise(client, site, jeu):
    etab = site.implantation.etablissement
    etab.nom = '=HYPERLINK("http://piege.example")'
    etab.save()
    client.force_login(site.dpip)
    reponse = client.get(reverse("parcours:statistiques_csv"), {"du": DU, "au": AU})
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in reponse["Content-Disposition"]
    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert "Orientée;3;100;75;7,5" in lignes
    assert "Avis favorable du SPIP;2;66,7;50;9,5" in lignes
    assert "Parcours IAE prescrit;1;50;25;12" in lignes
    assert any(ligne.startswith("\"'=HYPERLINK") for ligne in lignes)
    assert not any(ligne.startswith("=") for ligne in lignes)


@pytest.mark.parametrize("valeur", ["=1+1", "+33", "-2", "@SOMME(A1)", "\tx"])
def test_cellule_csv_neutralise_les_formules(valeur):
    assert statistiques.cellule_csv(valeur) == "'" + valeur


def test_cellule_csv_laisse_le_reste():
    assert statistiques.cellule_csv("Orientée") == "Orientée"
    assert statistiques.cellule_csv(3) == 3
    assert statistiques.cellule_csv(7.5) == "7,5"
    assert statistiques.cellule_csv(None) == ""


@pytest.mark.parametrize("role", ["cpip", "cip", "et", "orienteur", "cpip_mo"])
def test_les_autres_agents_n_ont_pas_les_statistiques(client, site, role):
    client.force_login(getattr(site, role))
    assert client.get(reverse("parcours:statistiques")).status_code == 403
    assert client.get(reverse("parcours:statistiques_csv")).status_code == 403


def test_anonyme_est_renvoye_a_la_connexion(client, db):
    reponse = client.get(reverse("parcours:statistiques"))
    assert reponse.status_code == 302
    assert reverse("connexion") in reponse["Location"]


def test_periode_invalide_message_a_cote_du_champ(client, site):
    client.force_login(site.dpip)
    reponse = client.get(reverse("parcours:statistiques"), {"du": AU, "au": DU})
    assert reponse.status_code == 200
    assert "La fin de la période doit suivre son début." in reponse.content.decode()


def test_le_graphique_est_proportionnel():
    g = statistiques.graphique_barres(titre="T", valeurs=[("A", 4), ("B", 2), ("C", None)])
    assert [b.largeur for b in g.barres] == [
        statistiques.LARGEUR_BARRES,
        statistiques.LARGEUR_BARRES // 2,
        0,
    ]
    assert [b.valeur_affichee for b in g.barres] == ["4", "2", "—"]
