"""Le centre de notifications : la liste, marquer comme lu (sans recharger la page avec htmx),
ouvrir une notification, choisir de recevoir aussi un e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from charte_iae.models import PreferenceNotification
from communication.forms import PreferenceNotificationForm


def notifications(request: HttpRequest) -> HttpResponse:
    non_lues = request.GET.get("non_lues") == "1"
    liste = request.user.notifications.all()
    if non_lues:
        liste = liste.non_lues()
    page = Paginator(liste, 20).get_page(request.GET.get("page"))
    return render(request, "communication/notifications.html", {"page": page, "non_lues": non_lues})


@require_POST
def notification_lue(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification.marquer_lue()
    if request.htmx:
        return render(
            request,
            "communication/notifications.html#ligne",
            {"n": notification, "compteur": request.user.notifications.non_lues().count()},
        )
    return redirect("communication:notifications")


@require_POST
def notifications_toutes_lues(request: HttpRequest) -> HttpResponse:
    nombre = request.user.notifications.non_lues().update(lue_le=timezone.now())
    messages.success(request, f"{nombre} notification(s) marquée(s) comme lue(s).")
    return redirect("communication:notifications")


def notification_ouvrir(request: HttpRequest, pk: int) -> HttpResponse:
    """Ouvre ce que la notification signale et la marque comme lue."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification.marquer_lue()
    if notification.lien and url_has_allowed_host_and_scheme(
        notification.lien, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.lien)
    return redirect("communication:notifications")


def preferences_notifications(request: HttpRequest) -> HttpResponse:
    preference = PreferenceNotification.objects.filter(
        utilisateur=request.user
    ).first() or PreferenceNotification(utilisateur=request.user)
    form = PreferenceNotificationForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        preference = form.save(commit=False)
        preference.modifiee_le = timezone.now()
        preference.save()
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("communication:preferences_notifications")
    return render(request, "communication/preferences_notifications.html", {"form": form})
