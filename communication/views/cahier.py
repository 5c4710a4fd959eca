"""Le cahier de transmission d'une personne : lire (accusé de lecture), écrire, corriger.
La notice d'information à remettre à la personne avant tout partage est celle du noyau
(``notice_information``), liée depuis le cahier."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communication.forms import EntreeCahierForm
from communication.models import (
    EntreeCahier,
    LectureEntree,
    implantations_de,
    personnes_du_cahier,
)
from communication.permissions import can_write_cahier
from communication.services import ecrire_entree, marquer_lues
from parcours.models import Personne

ENTREES_PAR_PAGE = 30


def cahiers(request: HttpRequest) -> HttpResponse:
    """Les personnes dont l'agent tient le cahier, celles qui ont des transmissions non lues
    d'abord."""
    entrees = EntreeCahier.objects.filter(cahier__personne=OuterRef("pk")).order_by()
    non_lues = (
        entrees.non_lues_par(request.user)
        .values("cahier__personne")
        .annotate(n=Count("pk"))
        .values("n")
    )
    personnes = (
        personnes_du_cahier(request.user)
        .annotate(
            non_lues=Coalesce(Subquery(non_lues, output_field=IntegerField()), 0),
            derniere=Subquery(
                entrees.values("cahier__personne").annotate(d=Max("ecrite_le")).values("d")
            ),
        )
        .order_by("-non_lues", "nom", "prenom", "pk")
    )
    page = Paginator(personnes, 25).get_page(request.GET.get("page"))
    return render(request, "communication/cahiers.html", {"page": page})


def _page_cahier(
    request: HttpRequest, personne: Personne, form: EntreeCahierForm, status: int = 200
) -> HttpResponse:
    lecteur = request.user
    entrees = (
        EntreeCahier.objects.filter(cahier__personne=personne)
        .select_related("auteur", "structure", "corrige__auteur")
        .annotate(
            lue=Exists(LectureEntree.objects.filter(entree=OuterRef("pk"), lecteur=lecteur)),
            est_corrigee=Exists(EntreeCahier.objects.filter(corrige=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch("lectures", queryset=LectureEntree.objects.select_related("lecteur"))
        )
    )
    page = Paginator(entrees, ENTREES_PAR_PAGE).get_page(request.GET.get("page"))
    liste = list(page.object_list)
    marquer_lues(lecteur=lecteur, entrees=liste)
    return render(
        request,
        "communication/cahier.html",
        {
            "personne": personne,
            "page": page,
            "entrees": liste,
            "form": form,
            "peut_ecrire": can_write_cahier(lecteur, personne),
            "implantations": list(implantations_de(lecteur).select_related("siae")),
        },
        status=status,
    )


def cahier(request: HttpRequest, pk: int) -> HttpResponse:
    personne = get_object_or_404(personnes_du_cahier(request.user), pk=pk)
    return _page_cahier(request, personne, EntreeCahierForm())


@require_POST
def cahier_ecrire(request: HttpRequest, pk: int) -> HttpResponse:
    personne = get_object_or_404(personnes_du_cahier(request.user), pk=pk)
    if not can_write_cahier(request.user, personne):
        raise PermissionDenied("Vous ne pouvez pas écrire dans ce cahier de transmission.")
    form = EntreeCahierForm(request.POST)
    if not form.is_valid():
        return _page_cahier(request, personne, form, status=422)
    entree = ecrire_entree(
        auteur=request.user,
        personne=personne,
        entree=form.instance,
        jeton=form.cleaned_data["jeton"],
    )
    messages.success(request, "Votre transmission est enregistrée ; l'autre équipe est prévenue.")
    return redirect(f"{entree.cahier.get_absolute_url()}#entree-{entree.pk}")


def entree_corriger(request: HttpRequest, pk: int) -> HttpResponse:
    """Une entrée ne se modifie pas : on écrit une nouvelle entrée qui la corrige."""
    originale = get_object_or_404(
        EntreeCahier.objects.for_user(request.user).select_related("cahier__personne", "auteur"),
        pk=pk,
    )
    personne = originale.cahier.personne
    if not can_write_cahier(request.user, personne):
        raise PermissionDenied("Vous ne pouvez pas écrire dans ce cahier de transmission.")
    initial = {"domaine": originale.domaine, "texte": originale.texte}
    form = EntreeCahierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.corrige = originale
        entree = ecrire_entree(
            auteur=request.user,
            personne=personne,
            entree=form.instance,
            jeton=form.cleaned_data["jeton"],
        )
        messages.success(
            request, "La correction est enregistrée ; l'entrée d'origine est conservée."
        )
        return redirect(f"{entree.cahier.get_absolute_url()}#entree-{entree.pk}")
    return render(
        request,
        "communication/entree_corriger.html",
        {"originale": originale, "personne": personne, "form": form},
        status=422 if request.method == "POST" else 200,
    )
