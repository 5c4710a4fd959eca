"""Sur PostgreSQL, avec un jeu généré et des statistiques à jour (ANALYZE), les requêtes des
pages principales passent par des index : aucun parcours séquentiel d'une grande table.
Ignoré sur SQLite (la CI lance aussi la suite sur PostgreSQL, où il s'exécute)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from charte_iae import generation
from communication.models import CahierTransmission
from parcours.models import Orientation, Personne

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
    trouves = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in grandes:
        trouves.append(plan["Relation Name"])
    for sous_plan in plan.get("Plans", []):
        trouves += _parcours_sequentiels(sous_plan, grandes)
    return trouves


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
    grandes = _grandes_tables()
    assert {"parcours_personne", "parcours_personnegroupobjectpermission"} <= grandes
    fautes = []
    for agent, urls in pages.items():
        client.force_login(agent)
        for url in urls:
            for sql in _requetes_de(client, url):
                with connection.cursor() as curseur:
                    curseur.execute("EXPLAIN (FORMAT JSON) " + sql)
                    plan = curseur.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                for table in _parcours_sequentiels(plan[0]["Plan"], grandes):
                    fautes.append(f"{url} : Seq Scan sur {table}\n    {sql[:300]}")
    assert not fautes, "\n".join(fautes)
