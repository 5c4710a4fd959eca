"""L'annuaire des personnes ressources : lu par les agents de l'implantation, tenu par ses
administrateurs locaux, exportable en CSV."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from communication.forms import PersonneRessourceForm, RechercheAnnuaireForm
from communication.models import PersonneRessource
from communication.permissions import can_manage_annuaire, implantations_administrees
from communication.services import enregistrer_ressource

# Une cellule qui commence par l'un de ces caractères serait lue comme une formule par un tableur.
_DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def cellule_csv(valeur: object) -> str:
    """Neutralise une cellule qui serait interprétée comme une formule (injection CSV)."""
    texte = "" if valeur is None else str(valeur)
    if texte.startswith(_DEBUTS_DE_FORMULE):
        return "'" + texte
    return texte


def _annuaire_filtre(request: HttpRequest) -> tuple[RechercheAnnuaireForm, QuerySet]:
    form = RechercheAnnuaireForm(request.GET or None)
    ressources = PersonneRessource.objects.for_user(request.user).actives()
    if form.is_valid():
        if form.cleaned_data["q"]:
            ressources = ressources.recherche(form.cleaned_data["q"])
        if form.cleaned_data["domaine"]:
            ressources = ressources.filter(domaines__domaine=form.cleaned_data["domaine"])
    ressources = ressources.select_related("implantation__siae").prefetch_related("domaines")
    return form, ressources.order_by("nom", "pk")


def annuaire(request: HttpRequest) -> HttpResponse:
    form, ressources = _annuaire_filtre(request)
    page = Paginator(ressources, 25).get_page(request.GET.get("page"))
    administrees = set(implantations_administrees(request.user).values_list("pk", flat=True))
    return render(
        request,
        "communication/annuaire.html",
        {
            "form": form,
            "page": page,
            "administrees": administrees,
            "peut_ajouter": bool(administrees),
            "requete": request.GET.urlencode(),
        },
    )


def annuaire_export(request: HttpRequest) -> HttpResponse:
    _, ressources = _annuaire_filtre(request)
    reponse = HttpResponse(content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = (
        f'attachment; filename="annuaire-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    reponse.write("\ufeff")  # les tableurs reconnaissent ainsi l'UTF-8
    ecrivain = csv.writer(reponse, delimiter=";")
    ecrivain.writerow(
        ["Nom", "Organisation", "Rôle", "Téléphone", "E-mail", "Domaines", "Notes", "SIAE"]
    )
    for r in ressources.iterator(chunk_size=500):
        ecrivain.writerow(
            [
                cellule_csv(v)
                for v in (
                    r.nom,
                    r.organisation,
                    r.fonction,
                    r.telephone,
                    r.email,
                    ", ".join(r.libelles_domaines),
                    r.notes,
                    r.implantation.siae,
                )
            ]
        )
    return reponse


def ressource_creer(request: HttpRequest) -> HttpResponse:
    implantations = implantations_administrees(request.user)
    if not implantations.exists():
        raise PermissionDenied(
            "L'annuaire est tenu par le DPIP ou le référent IAE du SPIP et la direction de la SIAE."
        )
    form = PersonneRessourceForm(request.POST or None, implantations=implantations)
    if request.method == "POST" and form.is_valid():
        enregistrer_ressource(
            auteur=request.user, ressource=form.instance, domaines=form.cleaned_data["domaines"]
        )
        messages.success(request, "La personne ressource est ajoutée à l'annuaire.")
        return redirect("communication:annuaire")
    return render(
        request,
        "communication/ressource_formulaire.html",
        {"form": form, "titre": "Ajouter une personne ressource"},
        status=422 if request.method == "POST" else 200,
    )


def ressource_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    ressource = get_object_or_404(
        PersonneRessource.objects.for_user(request.user).select_related("implantation"), pk=pk
    )
    if not can_manage_annuaire(request.user, ressource.implantation):
        raise PermissionDenied(
            "L'annuaire est tenu par le DPIP ou le référent IAE du SPIP et la direction de la SIAE."
        )
    form = PersonneRessourceForm(
        request.POST or None,
        instance=ressource,
        implantations=implantations_administrees(request.user),
    )
    if request.method == "POST" and form.is_valid():
        enregistrer_ressource(
            auteur=request.user, ressource=form.instance, domaines=form.cleaned_data["domaines"]
        )
        messages.success(request, "La fiche est enregistrée.")
        return redirect("communication:annuaire")
    return render(
        request,
        "communication/ressource_formulaire.html",
        {"form": form, "titre": f"Modifier {ressource.nom}", "ressource": ressource},
        status=422 if request.method == "POST" else 200,
    )
