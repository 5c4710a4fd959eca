"""Le bloc « communication » de la page d'accueil : transmissions non lues, réunions à venir.
Usage : ``{% load communication %}{% bloc_communication %}``."""

from __future__ import annotations

from typing import Any

from django import template

from communication.models import FONCTIONS_CAHIER, EntreeCahier, Reunion

register = template.Library()


@register.inclusion_tag("communication/_accueil.html", takes_context=True)
def bloc_communication(context: dict[str, Any]) -> dict[str, Any]:
    utilisateur = context["request"].user
    tient_cahier = bool(utilisateur.fonctions & FONCTIONS_CAHIER)
    return {
        "tient_cahier": tient_cahier,
        "transmissions_non_lues": (
            EntreeCahier.objects.for_user(utilisateur).non_lues_par(utilisateur).count()
            if tient_cahier
            else 0
        ),
        "reunions": list(
            Reunion.objects.for_user(utilisateur).a_venir().select_related("implantation__siae")[:5]
        ),
    }
