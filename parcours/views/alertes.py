"""Une alerte qui ne demande qu'une vérification : le SPIP la prend en compte."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from parcours import alertes
from parcours.models import Alerte
from parcours.permissions import can_acknowledge_alerte


@require_POST
def alerte_prendre_en_compte(request: HttpRequest, pk: int) -> HttpResponse:
    alerte = get_object_or_404(
        Alerte.objects.for_user(request.user).actives().select_related("personne"), pk=pk
    )
    if not can_acknowledge_alerte(request.user, alerte):
        raise PermissionDenied(
            "Seul le SPIP de l'établissement prend en compte cette alerte, et seulement une "
            "alerte qui ne demande qu'une vérification."
        )
    alertes.prendre_en_compte(alerte=alerte, auteur=request.user)
    messages.success(request, "L'alerte a été prise en compte.")
    suivant = request.POST.get("suivant", "")
    if not url_has_allowed_host_and_scheme(suivant, allowed_hosts={request.get_host()}):
        suivant = alerte.personne.get_absolute_url()
    return redirect(suivant)
