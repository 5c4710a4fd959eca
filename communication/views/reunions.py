"""Réunions et commissions : planifier (les participants sont prévenus), compléter l'ordre du
jour, le compte rendu et les décisions. Les personnes évoquées ne s'affichent qu'à ceux qui
voient leur dossier."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from communication.forms import ReunionForm
from communication.models import Reunion, implantations_de
from communication.permissions import (
    can_edit_reunion,
    can_view_cahier,
    personnes_evoquees_visibles,
)
from communication.services import ModificationConcurrente, modifier_reunion, planifier_reunion


def reunions(request: HttpRequest) -> HttpResponse:
    passees = request.GET.get("passees") == "1"
    liste = Reunion.objects.for_user(request.user).select_related(
        "implantation__siae", "implantation__etablissement"
    )
    if passees:
        liste = liste.filter(debut__lt=timezone.now()).order_by("-debut", "-pk")
    else:
        liste = liste.a_venir()
    page = Paginator(liste, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "communication/reunions.html",
        {
            "page": page,
            "passees": passees,
            "peut_planifier": implantations_de(request.user).exists(),
        },
    )


def reunion_creer(request: HttpRequest) -> HttpResponse:
    implantations = implantations_de(request.user)
    if not implantations.exists():
        raise PermissionDenied("Seuls les agents du SPIP et de la SIAE organisent les réunions.")
    form = ReunionForm(request.POST or None, utilisateur=request.user, implantations=implantations)
    if request.method == "POST" and form.is_valid():
        reunion = planifier_reunion(
            auteur=request.user,
            reunion=form.instance,
            participants=form.cleaned_data["participants"],
            ressources=form.cleaned_data["ressources"],
            personnes=form.cleaned_data["personnes"],
        )
        messages.success(request, "La réunion est planifiée ; les participants sont prévenus.")
        return redirect(reunion)
    return render(
        request,
        "communication/reunion_formulaire.html",
        {"form": form, "titre": "Planifier une réunion"},
        status=422 if request.method == "POST" else 200,
    )


def reunion(request: HttpRequest, pk: int) -> HttpResponse:
    objet = get_object_or_404(
        Reunion.objects.for_user(request.user).select_related(
            "implantation__siae", "implantation__etablissement", "creee_par"
        ),
        pk=pk,
    )
    personnes = list(objet.personnes.all())
    visibles = personnes_evoquees_visibles(request.user, personnes)
    evoquees = [
        {"personne": p, "cahier": can_view_cahier(request.user, p)}
        for p in personnes
        if p.pk in visibles
    ]
    return render(
        request,
        "communication/reunion.html",
        {
            "reunion": objet,
            "participants": list(objet.participants.all()),
            "ressources": list(objet.ressources.all()),
            "evoquees": evoquees,
            "evoquees_cachees": len(personnes) - len(evoquees),
            "peut_modifier": can_edit_reunion(request.user, objet),
        },
    )


def reunion_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    objet = get_object_or_404(
        Reunion.objects.for_user(request.user).select_related("implantation"), pk=pk
    )
    if not can_edit_reunion(request.user, objet):
        raise PermissionDenied("Seuls les agents du SPIP et de la SIAE complètent les réunions.")
    form = ReunionForm(
        request.POST or None,
        instance=objet,
        utilisateur=request.user,
        implantations=implantations_de(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            modifier_reunion(
                auteur=request.user,
                reunion=form.instance,
                version=form.cleaned_data["version"] or 0,
                participants=form.cleaned_data["participants"],
                ressources=form.cleaned_data["ressources"],
                personnes_choisies=form.cleaned_data["personnes"],
            )
        except ModificationConcurrente as erreur:
            form.add_error(None, str(erreur))
        else:
            messages.success(request, "La réunion est enregistrée.")
            return redirect(objet)
    return render(
        request,
        "communication/reunion_formulaire.html",
        {"form": form, "titre": f"Modifier — {objet.titre}", "reunion": objet},
        status=422 if request.method == "POST" else 200,
    )
