"""Les sections de la page d'accueil, par profil : chaque application y contribue depuis son
module ``tableaux.py`` (découvert au démarrage, comme l'admin), sans que le noyau la connaisse.

    from charte_iae import tableaux
    from charte_iae.roles import Profil

    @tableaux.section(Profil.CPIP, gabarit="parcours/accueil/_portefeuille.html", ordre=10)
    def portefeuille(request: HttpRequest) -> dict | None:
        return {"page": …}   # contexte du gabarit partiel (sous le nom « s ») ; None : rien à montrer

Les sections s'affichent par ordre croissant, avant les notifications. Chacune garde un nombre de
requêtes constant (listes paginées, préchargements) : la page d'accueil est la plus visitée.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from charte_iae.roles import Profil

Contexte = dict[str, Any]
FonctionSection = Callable[[HttpRequest], Contexte | None]


@dataclass(frozen=True, slots=True)
class Section:
    cle: str
    gabarit: str
    ordre: int
    fonction: FonctionSection


@dataclass(frozen=True, slots=True)
class SectionRendue:
    gabarit: str
    contexte: Contexte


_sections: dict[Profil, list[Section]] = {}


def section(
    *profils: Profil, gabarit: str, ordre: int = 50
) -> Callable[[FonctionSection], FonctionSection]:
    """Enregistre une section pour ces profils (idempotent : un module rechargé ne la double pas)."""

    def enregistrer(fonction: FonctionSection) -> FonctionSection:
        cle = f"{fonction.__module__}.{fonction.__qualname__}"
        for p in profils:
            liste = _sections.setdefault(p, [])
            liste[:] = [s for s in liste if s.cle != cle]
            liste.append(Section(cle=cle, gabarit=gabarit, ordre=ordre, fonction=fonction))
        return fonction

    return enregistrer


def sections_de(p: Profil) -> list[Section]:
    return sorted(_sections.get(p, []), key=lambda s: (s.ordre, s.cle))


def sections(request: HttpRequest, p: Profil) -> list[SectionRendue]:
    """Les sections à afficher pour ce profil, chacune avec son contexte."""
    rendues = []
    for s in sections_de(p):
        contexte = s.fonction(request)
        if contexte is not None:
            rendues.append(SectionRendue(gabarit=s.gabarit, contexte=contexte))
    return rendues
