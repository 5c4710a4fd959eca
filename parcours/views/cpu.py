"""La CPU (commission pluridisciplinaire unique) : séances, personnes examinées avec l'avis du
SPIP, avis de la commission, puis décision de classement du chef d'établissement."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from charte_iae import documents, pdf
from parcours import services
from parcours.documents import DOCUMENTS_CPU, examens_cpu_imprimables, preparer_liste_cpu
from parcours.forms import AvisCPUForm, DecisionForm, InscriptionCPUForm, SessionCPUForm
from parcours.models import ExamenCPU, Personne, SessionCPU
from parcours.permissions import can_manage_cpu
from parcours.views.commun import executer, paginer
from parcours.views.personnes import _etablissements_spip

REFUS_CPU = "Seul le SPIP de l'établissement prépare la CPU et enregistre ses suites."


def sessions_cpu(request: HttpRequest) -> HttpResponse:
    etablissements = _etablissements_spip(request.user)
    if not etablissements:
        raise PermissionDenied(REFUS_CPU)
    form = SessionCPUForm(request.POST or None)
    resultat: dict = {}
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: resultat.setdefault(
                "session",
                services.creer_session_cpu(
                    etablissement=etablissements[0],
                    date=form.cleaned_data["date"],
                    auteur=request.user,
                ),
            ),
            "La CPU est créée.",
        )
    ):
        return redirect(resultat["session"])
    page = paginer(
        request, SessionCPU.objects.for_user(request.user).select_related("etablissement")
    )
    return render(
        request,
        "parcours/sessions_cpu.html",
        {"page": page, "form": form, "etablissement": etablissements[0]},
    )


def _session(request: HttpRequest, pk: int) -> SessionCPU:
    return get_object_or_404(
        SessionCPU.objects.for_user(request.user).select_related("etablissement"), pk=pk
    )


def session_cpu(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = InscriptionCPUForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not can_manage_cpu(request.user, session.etablissement_id):
            raise PermissionDenied(REFUS_CPU)
        personne = (
            Personne.objects.for_user(request.user)
            .filter(
                etablissement_id=session.etablissement_id,
                numero_ecrou=form.cleaned_data["numero_ecrou"].strip(),
            )
            .first()
        )
        if personne is None:
            form.add_error("numero_ecrou", "Aucun dossier de l'établissement avec ce numéro.")
        elif executer(
            request,
            form,
            lambda: services.inscrire_en_cpu(
                session=session, personne=personne, auteur=request.user
            ),
            "La personne est inscrite à la CPU.",
        ):
            return redirect(session)
    examens = list(
        ExamenCPU.objects.for_user(request.user)
        .filter(session=session)
        .select_related(
            "personne", "orientation", "demande_classement", "decision_saisie_par", "avis_cpu_par"
        )
    )
    return render(
        request,
        "parcours/session_cpu.html",
        {
            "session": session,
            "examens": examens,
            "form": form,
            "avis_form": AvisCPUForm(),
            "decision_form": DecisionForm(),
            "peut_gerer": can_manage_cpu(request.user, session.etablissement_id),
        },
    )


def _examen(request: HttpRequest, pk: int) -> ExamenCPU:
    examen = get_object_or_404(
        ExamenCPU.objects.for_user(request.user)
        .filter(session__in=SessionCPU.objects.for_user(request.user))
        .select_related("session", "personne"),
        pk=pk,
    )
    if not can_manage_cpu(request.user, examen.session.etablissement_id):
        raise PermissionDenied(REFUS_CPU)
    return examen


def examen_avis(request: HttpRequest, pk: int) -> HttpResponse:
    examen = _examen(request, pk)
    form = AvisCPUForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.enregistrer_avis_cpu(
                examen=examen, auteur=request.user, **form.cleaned_data
            ),
            "L'avis de la CPU est enregistré.",
        )
    ):
        return redirect(examen.session)
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "personne": examen.personne,
            "titre": f"Avis de la {examen.session}",
            "bouton": "Enregistrer l'avis",
        },
    )


def examen_decision(request: HttpRequest, pk: int) -> HttpResponse:
    examen = _examen(request, pk)
    form = DecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.enregistrer_decision_classement(
                examen=examen, auteur=request.user, **form.cleaned_data
            ),
            "La décision de classement est enregistrée.",
        )
    ):
        return redirect(examen.session)
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "personne": examen.personne,
            "titre": "Décision de classement du chef d'établissement",
            "bouton": "Enregistrer la décision",
        },
    )


def session_cpu_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """La liste imprimée de la CPU : les personnes examinées avec l'avis du SPIP."""
    session = _session(request, pk)
    examens = examens_cpu_imprimables(request.user).filter(session=session)
    prepare = preparer_liste_cpu(session, examens)
    return pdf.reponse_pdf(
        request, prepare.gabarit, prepare.contexte, nom_fichier=prepare.nom_fichier, objet=session
    )


@require_POST
def session_cpu_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Tous les documents de la CPU (liste et fiche de chaque personne), en tâche de fond."""
    session = _session(request, pk)
    ids = examens_cpu_imprimables(request.user).filter(session=session).values_list("pk", flat=True)
    try:
        lot = documents.demander_lot(
            demandeur=request.user,
            code=DOCUMENTS_CPU.code,
            ids=list(ids),
            libelle=f"Documents de la {session}",
        )
    except documents.LotVide:
        messages.error(request, "Personne n'est inscrit à cette CPU : rien à imprimer.")
        return redirect(session)
    messages.info(
        request,
        "La production des documents a commencé : vous serez prévenu quand ils seront prêts.",
    )
    return redirect("lot_impression", pk=lot.pk)
