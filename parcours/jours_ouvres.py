"""Les jours ouvrés : du lundi au vendredi, hors jours fériés légaux en France (code du
travail, art. L3133-1), pour les délais comptés en jours ouvrés (signature du CEP).

Les fêtes mobiles se déduisent de Pâques (lundi de Pâques, Ascension, lundi de Pentecôte).
Les jours fériés propres à l'Alsace-Moselle (Vendredi saint, 26 décembre) ne sont pas
décomptés : le délai y est alors compté au plus juste, jamais trop large.
"""

from __future__ import annotations

import datetime
from functools import cache

from dateutil.easter import easter

_FIXES = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))


@cache
def jours_feries(annee: int) -> frozenset[datetime.date]:
    """Les 11 jours fériés légaux de l'année."""
    paques = easter(annee)
    mobiles = (1, 39, 50)  # lundi de Pâques, Ascension, lundi de Pentecôte
    return frozenset(
        [datetime.date(annee, mois, jour) for mois, jour in _FIXES]
        + [paques + datetime.timedelta(days=n) for n in mobiles]
    )


def est_jour_ouvre(jour: datetime.date) -> bool:
    return jour.weekday() < 5 and jour not in jours_feries(jour.year)


def ajouter_jours_ouvres(jour: datetime.date, nombre: int) -> datetime.date:
    """Le jour ouvré situé ``nombre`` jours ouvrés après ``jour`` (``jour`` lui-même ne compte
    pas : un contrat commencé le vendredi se signe au plus tard le mardi)."""
    while nombre > 0:
        jour += datetime.timedelta(days=1)
        if est_jour_ouvre(jour):
            nombre -= 1
    return jour
