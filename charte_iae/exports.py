"""Exports CSV sûrs : une cellule qui commence par ``= + - @`` (ou une tabulation, un retour
chariot) serait lue comme une formule par un tableur (injection CSV, OWASP). Elle est préfixée
d'une apostrophe. Les nombres restent des nombres (un -3 n'est pas une formule)."""

from __future__ import annotations

import csv
import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def neutraliser_cellule(valeur: Any) -> Any:
    """La valeur telle qu'un tableur l'affichera sans jamais l'évaluer."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool | int | float | decimal.Decimal | datetime.date):
        return valeur
    texte = str(valeur)
    if texte.startswith(DEBUTS_DANGEREUX):
        return "'" + texte
    return texte


def neutraliser_ligne(ligne: Iterable[Any]) -> list[Any]:
    return [neutraliser_cellule(v) for v in ligne]


def reponse_csv(
    nom_fichier: str, entetes: Iterable[str], lignes: Iterable[Iterable[Any]]
) -> HttpResponse:
    """Une réponse CSV (UTF-8 avec BOM pour les tableurs, séparateur « ; » à la française),
    cellules neutralisées, en pièce jointe."""
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    reponse.write("\ufeff")
    ecrivain = csv.writer(reponse, delimiter=";")
    ecrivain.writerow(neutraliser_ligne(entetes))
    for ligne in lignes:
        ecrivain.writerow(neutraliser_ligne(ligne))
    return reponse
