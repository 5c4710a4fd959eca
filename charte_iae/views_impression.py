"""Pages des documents imprimés du noyau : notice d'information, lots produits en tâche de fond."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from charte_iae import documents, pdf
from charte_iae.models import LotImpression, StatutLot


def notice_information(request: HttpRequest, implantation_pk: int) -> HttpResponse:
    """La notice remise à la personne : ce qui est noté, qui le voit, ses droits."""
    implantation = get_object_or_404(
        documents.NOTICE_INFORMATION.objets_imprimables(request.user), pk=implantation_pk
    )
    prepare = documents.NOTICE_INFORMATION.preparer(implantation)
    return pdf.reponse_pdf(
        request,
        prepare.gabarit,
        prepare.contexte,
        nom_fichier=prepare.nom_fichier,
        objet=implantation,
    )


@require_POST
def notices_en_lot(request: HttpRequest) -> HttpResponse:
    """Imprime en une fois les notices de toutes mes implantations (tâche de fond)."""
    ids = documents.NOTICE_INFORMATION.objets_imprimables(request.user).values_list("pk", flat=True)
    try:
        lot = documents.demander_lot(
            demandeur=request.user,
            code=documents.NOTICE_INFORMATION.code,
            ids=list(ids),
            libelle="Notices d'information",
        )
    except documents.LotVide as erreur:
        messages.error(request, str(erreur))
        return redirect("accueil")
    messages.info(
        request,
        "La production des documents a commencé : vous serez prévenu quand ils seront prêts.",
    )
    return redirect("lot_impression", pk=lot.pk)


def lot_impression(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(LotImpression.objects.filter(demandeur=request.user), pk=pk)
    gabarit = "charte_iae/lot_impression.html"
    if request.htmx:
        gabarit += "#etat"
    return render(request, gabarit, {"lot": lot})


def lot_telecharger(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(
        LotImpression.objects.filter(demandeur=request.user, statut=StatutLot.TERMINE), pk=pk
    )
    return FileResponse(lot.fichier.open("rb"), as_attachment=True, filename=lot.nom_fichier)
