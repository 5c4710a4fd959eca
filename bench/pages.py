"""Écrit la liste des pages du banc (JSON) à partir de la base : chemins réels, agents de démo.

Les pages principales de chaque rôle (accueils, dossier, listes filtrées, cahier, charte,
statistiques) ; ``genre`` dit l'objectif : ``detail`` ≥ 0,5 × le témoin, ``liste`` ≥ 0,3 ×.
``--dossier-seulement`` : le témoin et le dossier (comparaison à 1 000 et 100 000 personnes)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charte_iae.settings")

import django

django.setup()

from django.urls import reverse  # noqa: E402

from accompagnement.models import ActionAccompagnement  # noqa: E402
from charte_iae.models import Charte, Etablissement  # noqa: E402
from parcours.models import ParcoursIAE, Personne  # noqa: E402

etablissement = Etablissement.objects.get(code="DEMO-VALMONT")
charte = Charte.objects.get(implantation__etablissement=etablissement)
# La personne de démonstration la plus avancée (classée après CPU) : le dossier le plus riche.
dossier = Personne.objects.get(etablissement=etablissement, numero_ecrou="D-1004")
prescrite = Personne.objects.get(etablissement=etablissement, numero_ecrou="D-1003")


def page(nom: str, chemin: str, email: str, genre: str = "liste", **extra) -> dict:
    return {"nom": nom, "chemin": chemin, "email": email, "genre": genre, **extra}


temoin = page(
    "témoin (1 requête par clé)",
    reverse("temoin", args=[etablissement.pk]),
    "cpip@demo.test",
    "detail",
    temoin=True,
)
fiche = page(
    "dossier de la personne", reverse("parcours:personne", args=[dossier.pk]), "cpip@demo.test"
)
fiche["genre"] = "detail"
if "--dossier-seulement" in sys.argv:
    json.dump([temoin, fiche], sys.stdout, ensure_ascii=False, indent=2)
    sys.exit(0)

personnes = reverse("parcours:personnes")
pages = [
    temoin,
    page("accueil CPIP", reverse("accueil"), "cpip@demo.test"),
    fiche,
    page("mes personnes (CPIP)", personnes, "cpip@demo.test"),
    page(
        "personnes filtrées",
        personnes + "?suivi=tous&statut_penal=condamne&q=ma",
        "cpip@demo.test",
    ),
    page("éligibles sans prescription", reverse("parcours:eligibles"), "cpip@demo.test"),
    page("orientations en attente d'avis", reverse("parcours:orientations"), "cpip@demo.test"),
    page("cahiers (CPIP)", reverse("communication:cahiers"), "cpip@demo.test"),
    page(
        "cahier d'une personne (SIAE)",
        reverse("communication:cahier", args=[prescrite.pk]),
        "cip@demo.test",
        "detail",
    ),
    page("accueil SIAE", reverse("accueil"), "cip@demo.test"),
    page("personnes (SIAE)", personnes, "cip@demo.test"),
    page("accueil direction SIAE", reverse("accueil"), "direction@demo.test"),
    page(
        "charte (page)", reverse("charte_detail", args=[charte.pk]), "direction@demo.test", "detail"
    ),
    page("statistiques (DPIP)", reverse("parcours:statistiques"), "dpip@demo.test"),
    page("notifications", reverse("communication:notifications"), "cip@demo.test"),
    page("en parcours (SIAE)", reverse("parcours_siae:en_parcours"), "cip@demo.test"),
]
# Parcours côté SIAE et accompagnement : le parcours de démonstration le plus avancé encore en
# cours (livret), et le suivi d'une personne accompagnée par les deux côtés.
parcours = (
    ParcoursIAE.objects.filter(
        implantation__etablissement=etablissement,
        date_sortie__isnull=True,
        personne__numero_ecrou__startswith="S-",
    )
    .order_by("pk")
    .last()
)
if parcours is not None:
    pages += [
        page(
            "parcours IAE (SIAE)",
            reverse("parcours_siae:parcours", args=[parcours.pk]),
            "cip@demo.test",
            "detail",
        ),
        page(
            "livret de compétences (SIAE)",
            reverse("parcours_siae:livret", args=[parcours.pk]),
            "cip@demo.test",
            "detail",
        ),
    ]
action = (
    ActionAccompagnement.objects.filter(personne__etablissement=etablissement)
    .order_by("pk")
    .first()
)
if action is not None:
    pages += [
        page(
            "accompagnement d'une personne (CPIP)",
            reverse("accompagnement:suivi", args=[action.personne_id]),
            "cpip@demo.test",
            "detail",
        ),
        page(
            "échanges avec le JAP (CPIP)",
            reverse("accompagnement:liaisons_jap", args=[action.personne_id]),
            "cpip@demo.test",
            "detail",
        ),
    ]
json.dump(pages, sys.stdout, ensure_ascii=False, indent=2)
