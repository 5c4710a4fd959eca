"""Ce que partagent les pages du parcours : accès au dossier, erreurs de domaine, pagination."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from parcours.exceptions import TransitionInterdite
from parcours.models import Orientation, Personne

PAR_PAGE = 25


def personne_visible(request: HttpRequest, pk: int) -> Personne:
    """Le dossier, s'il est dans le périmètre de l'agent ; sinon 404 (sans révéler qu'il existe)."""
    return get_object_or_404(
        Personne.objects.for_user(request.user).select_related("etablissement", "cpip_referent"),
        pk=pk,
    )


def orientation_visible(request: HttpRequest, pk: int) -> Orientation:
    return get_object_or_404(
        Orientation.objects.for_user(request.user).select_related(
            "personne__etablissement", "personne__cpip_referent", "signalee_par", "avis_par"
        ),
        pk=pk,
    )


def paginer(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAR_PAGE).get_page(request.GET.get("page"))


def executer(
    request: HttpRequest, form: Form | None, action: Callable[[], Any], succes: str
) -> bool:
    """Appelle le service ; une règle métier refusée devient un message (erreur de domaine) ou
    une erreur de formulaire (validation), jamais une page d'erreur. Vrai si l'action a réussi."""
    try:
        action()
    except TransitionInterdite as erreur:
        messages.error(request, erreur.message)
        return False
    except ValidationError as erreur:
        if form is None:
            for texte in erreur.messages:
                messages.error(request, texte)
        elif hasattr(erreur, "error_dict"):
            for champ, liste in erreur.message_dict.items():
                form.add_error(champ if champ in form.fields else None, liste)
        else:
            form.add_error(None, erreur.messages)
        return False
    messages.success(request, succes)
    return True
