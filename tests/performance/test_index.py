"""Sur PostgreSQL, avec un jeu généré et des statistiques à jour (ANALYZE), les requêtes des
pages principales passent par des index : aucun parcours séquentiel d'une grande table.
Ignoré sur SQLite (la CI lance aussi la suite sur PostgreSQL, où il s'exécute).

À 6 000 personnes, une table tient en une centaine de pages : le planificateur y préfère
souvent un parcours séquentiel, moins cher *à cette taille*, même quand un index convient.
Les plans sont donc demandés avec ``enable_seqscan = off`` : un parcours séquentiel ne reste
choisi que si aucun index ne peut servir la requête, c'est-à-dire quand il en manque un — ce
qu'on veut détecter avant la montée à l'échelle nationale."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from accompagnement.models import ActionAccompagnement, LiaisonJAP, ProjetAmenagement
from charte_iae import generation
from communication.models import CahierTransmission
from parcours.models import Orientation, ParcoursIAE, PassageMilieuOuvert, Personne

# EXPLAIN et planificateur de PostgreSQL : écarté de la collecte sur SQLite (tests/conftest.py).
pytestmark = pytest.mark.postgresql

PERSONNES = 6000
# Au-delà, une table est « grande » : la parcourir en entier coûterait à l'échelle nationale.
GRANDE_TABLE = 2000


@pytest.fixture
def jeu(db):
    autodiscover_modules("generation")
    ctx = generation.generer(personnes=PERSONNES, etablissements=12, seed=7, journal=lambda _: None)
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")
    return ctx


def _grandes_tables() -> set[str]:
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s",
            [GRANDE_TABLE],
        )
        return {ligne[0] for ligne in curseur.fetchall()}


def _parcours_sequentiels(plan: dict, grandes: set[str]) -> list[str]:
    """Les grandes tables lues par un parcours séquentiel alors qu'il est désactivé : aucun
    index ne sert la requête. (Un parcours complet d'index, que le planificateur prend alors
    faute de mieux, n'est pas signalé : à cette taille il le préfère à une recherche par
    index, même quand celle-ci existe ; c'est le banc à 100 000 personnes qui le juge.)"""
    trouves = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in grandes:
        trouves.append(f"Seq Scan sur {plan['Relation Name']}")
    for sous_plan in plan.get("Plans", []):
        trouves += _parcours_sequentiels(sous_plan, grandes)
    return trouves


def _plan_sans_index(sql: str, grandes: set[str]) -> list[str]:
    with connection.cursor() as curseur:
        curseur.execute("SET enable_seqscan = off")
        curseur.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = curseur.fetchone()[0]
        curseur.execute("RESET enable_seqscan")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return _parcours_sequentiels(plan[0]["Plan"], grandes)


def _requetes_de(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as capture:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in capture.captured_queries if q["sql"].lstrip().startswith("SELECT")]


def test_les_pages_principales_n_utilisent_que_des_index(jeu, client):
    site = next(s for s in jeu.sites if not s.demo and s.personnes > 300)
    cpip = site.cpips[0]
    personne = Personne.objects.filter(cpip_referent=cpip, orientations__isnull=False).first()
    orientation = Orientation.objects.filter(personne__etablissement=site.etablissement).first()
    cahier = CahierTransmission.objects.filter(
        personne__cpip_referent=cpip,
        personne__prescriptions__fin_le__isnull=True,
        personne__prescriptions__implantation=site.implantation,
    ).first()
    assert personne is not None and orientation is not None and cahier is not None
    pages = {
        site.cpips[0]: [
            reverse("accueil"),
            reverse("parcours:personnes"),
            reverse("parcours:personnes") + "?suivi=tous&statut_penal=condamne&q=martin",
            reverse("parcours:personnes") + f"?q={personne.numero_ecrou}",
            reverse("parcours:eligibles"),
            reverse("parcours:personne", args=[personne.pk]),
            reverse("parcours:orientations"),
            reverse("parcours:orientations") + "?suivi=tous",
            reverse("parcours:orientation", args=[orientation.pk]),
            reverse("parcours:sessions_cpu"),
            reverse("communication:cahiers"),
            reverse("communication:cahier", args=[cahier.personne_id]),
            reverse("communication:notifications"),
        ],
        site.cips[0]: [
            reverse("accueil"),
            reverse("parcours:personnes"),
            reverse("communication:cahiers"),
            reverse("communication:cahier", args=[cahier.personne_id]),
        ],
        site.dpip: [reverse("accueil"), reverse("parcours:statistiques")],
        site.direction: [
            reverse("accueil"),
            reverse("charte_detail", args=[site.implantation.charte.pk]),
        ],
    }
    for agent, urls in _pages_siae_et_accompagnement(site).items():
        pages.setdefault(agent, []).extend(urls)
    grandes = _grandes_tables()
    assert {"parcours_personne", "parcours_personnegroupobjectpermission"} <= grandes
    assert "accompagnement_actionaccompagnement" in grandes
    # Le contrôle sait échouer : une recherche sur une colonne sans index est signalée.
    sans_index = "SELECT id FROM parcours_personne WHERE statut_penal = 'prevenu'"
    assert _plan_sans_index(sans_index, grandes) == ["Seq Scan sur parcours_personne"]
    fautes = []
    for agent, urls in pages.items():
        client.force_login(agent)
        for url in urls:
            for sql in _requetes_de(client, url):
                for table in _plan_sans_index(sql, grandes):
                    fautes.append(f"{url} : {table}\n    {sql[:300]}")
    assert not fautes, "\n".join(fautes)


def _pages_siae_et_accompagnement(site) -> dict:
    """Parcours côté SIAE, sortie et accompagnement : chaque page vue par l'agent qui s'en sert."""
    parcours = ParcoursIAE.objects.filter(
        implantation=site.implantation, date_sortie__isnull=True
    ).first()
    sorti = ParcoursIAE.objects.filter(
        implantation=site.implantation, date_sortie__isnull=False
    ).first()
    passage = PassageMilieuOuvert.objects.select_related("cpip_mo").first()
    liaison = LiaisonJAP.objects.select_related("auteur").first()
    projet = ProjetAmenagement.objects.first()
    suivi = ActionAccompagnement.objects.filter(
        personne__etablissement=site.etablissement, cote="siae"
    ).first()
    assert None not in (parcours, sorti, passage, liaison, projet, suivi)
    cpip_jap = liaison.auteur
    return {
        site.cips[1]: [
            reverse("parcours_siae:a_recevoir"),
            reverse("parcours_siae:en_parcours"),
            reverse("parcours_siae:sortis"),
            reverse("parcours_siae:parcours", args=[parcours.pk]),
            reverse("parcours_siae:parcours", args=[sorti.pk]),
            reverse("parcours_siae:livret", args=[parcours.pk]),
            reverse("accompagnement:suivi", args=[suivi.personne_id]),
        ],
        passage.cpip_mo: [
            reverse("parcours_siae:passages_a_recevoir"),
            reverse("parcours_siae:passage", args=[passage.pk]),
        ],
        cpip_jap: [
            reverse("accompagnement:suivi", args=[liaison.personne_id]),
            reverse("accompagnement:liaisons_jap", args=[liaison.personne_id]),
            reverse("accompagnement:liaison_jap", args=[liaison.pk]),
            reverse("accompagnement:amenagement", args=[liaison.projet_id or projet.pk]),
            reverse("accompagnement:contacts_partenaires"),
        ],
    }
