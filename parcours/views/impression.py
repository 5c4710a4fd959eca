"""Documents imprimés du parcours côté SIAE et sortie : le livret de compétences (une version
finalisée, en un clic depuis sa page, avec l'enregistrement de sa remise), les livrets de
toute une SIAE en tâche de fond, la synthèse de passage en milieu ouvert."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from charte_iae import documents, pdf
from charte_iae.enums import FONCTIONS_SIAE
from parcours import services_siae
from parcours.documents import (
    LIVRET,
    SYNTHESE_PASSAGE,
    derniers_livrets_de_la_siae,
)
from parcours.enums import DestinataireRemise
from parcours.exceptions import TransitionInterdite
from parcours.models import LivretCompetences

REFUS_BROUILLON = (
    "Seule une version finalisée du livret s'imprime : finalisez-la d'abord, elle ne changera plus."
)


def _livret(request: HttpRequest, pk: int) -> LivretCompetences:
    """Un livret visible (sinon 404) et finalisé (sinon 403 : un brouillon change encore)."""
    livret = get_object_or_404(
        LivretCompetences.objects.for_user(request.user).select_related("parcours"), pk=pk
    )
    if not livret.est_finalise:
        raise PermissionDenied(REFUS_BROUILLON)
    return get_object_or_404(LIVRET.objets_imprimables(request.user), pk=pk)


def livret_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Le livret imprimé d'une version finalisée : il s'ouvre dans le navigateur."""
    livret = _livret(request, pk)
    prepare = LIVRET.preparer(livret)
    return pdf.reponse_pdf(
        request, prepare.gabarit, prepare.contexte, nom_fichier=prepare.nom_fichier, objet=livret
    )


@require_POST
def livret_remettre(request: HttpRequest, pk: int, destinataire: str) -> HttpResponse:
    """En un clic : la remise du jour est enregistrée (au SPIP ou à la personne), puis le
    livret s'ouvre pour être imprimé. Une remise déjà enregistrée n'est pas doublée."""
    livret = _livret(request, pk)
    if destinataire not in DestinataireRemise.values:
        raise PermissionDenied("Destinataire de la remise inconnu.")
    try:
        remise = services_siae.enregistrer_remise(
            livret=livret,
            auteur=request.user,
            destinataire=destinataire,
            date=timezone.localdate(),
        )
    except TransitionInterdite as erreur:
        messages.info(request, str(erreur))
    else:
        messages.success(request, f"Remise enregistrée : {remise}.")
    return redirect("parcours_siae:livret_pdf", pk=livret.pk)


def _siae_de(request: HttpRequest) -> list[int]:
    return [s.pk for s in request.user.structures_ou(FONCTIONS_SIAE)]


@require_POST
def livrets_en_lot(request: HttpRequest) -> HttpResponse:
    """Tous les livrets (dernière version finalisée de chaque parcours) de ma SIAE, produits
    en tâche de fond en une archive."""
    siae = _siae_de(request)
    if not siae:
        raise PermissionDenied("L'impression des livrets d'une SIAE est réservée à ses agents.")
    try:
        lot = documents.demander_lot(
            demandeur=request.user,
            code=LIVRET.code,
            ids=derniers_livrets_de_la_siae(request.user, siae),
            libelle="Livrets de compétences",
        )
    except documents.LotVide:
        messages.error(request, "Aucun livret finalisé à imprimer.")
        return redirect("parcours_siae:sortis")
    messages.info(
        request,
        "La production des livrets a commencé : vous serez prévenu quand ils seront prêts.",
    )
    return redirect("lot_impression", pk=lot.pk)


def passage_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """La synthèse de passage en milieu ouvert, pour qui voit le passage."""
    passage = get_object_or_404(SYNTHESE_PASSAGE.objets_imprimables(request.user), pk=pk)
    prepare = SYNTHESE_PASSAGE.preparer(passage)
    return pdf.reponse_pdf(
        request, prepare.gabarit, prepare.contexte, nom_fichier=prepare.nom_fichier, objet=passage
    )
