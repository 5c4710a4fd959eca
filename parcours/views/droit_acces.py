"""Droit d'accès d'une personne à ses données : le DPIP du SPIP de l'établissement exporte, en une
action, tout ce qui est détenu sur elle (JSON et PDF), liaison avec le JAP comprise ; la page dit
aussi, pour chaque donnée, l'écran qui la rectifie. Pour tout autre agent, l'export n'existe pas
(404, comme la liaison avec le JAP qu'il contient). Chaque export est journalisé."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from charte_iae import audit, droit_acces, pdf
from parcours.models import Personne
from parcours.permissions import can_export_personne
from parcours.views.commun import personne_visible


def _personne_exportable(request: HttpRequest, pk: int) -> Personne:
    personne = personne_visible(request, pk)
    if not can_export_personne(request.user, personne):
        raise Http404("Aucun export de ce dossier.")
    return personne


@require_GET
def droit_acces_page(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne_exportable(request, pk)
    return render(
        request,
        "parcours/droit_acces.html",
        {"personne": personne, "sections": droit_acces.sections(droit_acces.COTE_SPIP)},
    )


@require_GET
def droit_acces_json(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne_exportable(request, pk)
    export = droit_acces.tout_ce_qui_est_detenu(personne, cote=droit_acces.COTE_SPIP)
    audit.journaliser_export(request, personne)
    reponse = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'attachment; filename="dossier-{personne.pk}.json"'
    return reponse


@require_GET
def droit_acces_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne_exportable(request, pk)
    export = droit_acces.tout_ce_qui_est_detenu(personne, cote=droit_acces.COTE_SPIP)
    reponse = pdf.reponse_pdf(
        request,
        "impression/droit_acces.html",
        {
            "personne": personne,
            "genere_le": export["genere_le"],
            "sections": droit_acces.pour_impression(export),
        },
        nom_fichier=f"dossier-{personne.pk}.pdf",
    )
    if reponse.status_code == 200:
        audit.journaliser_export(request, personne)
    return reponse
