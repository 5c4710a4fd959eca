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
        entrees += [
            {"libelle": "Transmissions", "url": reverse("communication:cahiers"), "nom": "cahiers"},
            {"libelle": "Réunions", "url": reverse("communication:reunions"), "nom": "reunions"},
            {"libelle": "Annuaire", "url": reverse("communication:annuaire"), "nom": "annuaire"},
        ]
    entrees.extend(_entrees_parcours(p))
    if p in {Profil.ADMIN_SPIP, Profil.DIRECTION_SIAE, Profil.ADMIN}:
        entrees.append(
            {
                "libelle": "Statistiques",
                "url": reverse("parcours:statistiques"),
                "nom": "statistiques",
            }
        )
    return entrees


def _entrees_parcours(p: Profil) -> list[dict[str, str]]:
    if p in {Profil.CPIP, Profil.ADMIN_SPIP}:
        return [
            {"libelle": "Personnes", "url": reverse("parcours:personnes"), "nom": "personnes"},
            {"libelle": "Éligibles", "url": reverse("parcours:eligibles"), "nom": "eligibles"},
            {
                "libelle": "Orientations",
                "url": reverse("parcours:orientations"),
                "nom": "orientations",
            },
            {"libelle": "CPU", "url": reverse("parcours:sessions_cpu"), "nom": "cpu"},
            {
                "libelle": "Contacts de la SIAE",
                "url": reverse("accompagnement:contacts_partenaires"),
                "nom": "contacts_partenaires",
            },
        ]
    if p in {Profil.SIAE, Profil.DIRECTION_SIAE}:
        return [{"libelle": "Personnes", "url": reverse("parcours:personnes"), "nom": "personnes"}]
    if p == Profil.ORIENTEUR:
        return [
            {"libelle": "Signaler", "url": reverse("parcours:signaler"), "nom": "signaler"},
            {
                "libelle": "Mes orientations",
                "url": reverse("parcours:orientations") + "?etat=toutes",
                "nom": "orientations",
            },
        ]
    return []


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
