"""Ce que chaque page affiche de l'agent : son profil, sa structure, sa navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from charte_iae.roles import LIBELLES_PROFILS, Profil, profil


def _entrees_navigation(p: Profil) -> list[dict[str, str]]:
    entrees = [{"libelle": "Accueil", "url": reverse("accueil"), "nom": "accueil"}]
    if p in {Profil.CPIP, Profil.CPIP_MO, Profil.ADMIN_SPIP, Profil.SIAE, Profil.DIRECTION_SIAE}:
        entrees.append({"libelle": "Charte", "url": reverse("chartes"), "nom": "chartes"})
    return entrees


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def _contexte() -> dict[str, Any]:
        p = profil(user)
        principale = user.affectation_principale
        return {
            "profil": p.value,
            "libelle_profil": LIBELLES_PROFILS[p],
            "affectation_principale": principale,
            "entrees": _entrees_navigation(p),
            "notifications_non_lues": user.notifications.non_lues().count(),
        }

    return {"nav": SimpleLazyObject(_contexte)}
