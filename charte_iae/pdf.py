"""Documents imprimés : un gabarit Django rendu en PDF, dans un processus fils borné en temps
et en mémoire. Un rendu qui s'emballe est arrêté ; l'agent reçoit une page d'erreur en
français avec « Réessayer », et le reste du site n'est pas touché."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from charte_iae import audit, rendu_pdf

journal = logging.getLogger(__name__)

_contexte_processus = multiprocessing.get_context("forkserver")
# Le serveur de processus importe WeasyPrint une fois pour toutes : chaque rendu part à chaud.
_contexte_processus.set_forkserver_preload(["charte_iae.rendu_pdf"])


class RenduPDFImpossible(Exception):
    """Le document n'a pas pu être produit (délai dépassé, mémoire, erreur de rendu)."""


def racines_statiques() -> list[str]:
    """Les seuls dossiers où le rendu PDF peut lire : les fichiers statiques du projet."""
    racines = [str(d) for d in settings.STATICFILES_DIRS]
    for app in apps.get_app_configs():
        dossier = Path(app.path) / "static"
        if dossier.is_dir():
            racines.append(str(dossier))
    if settings.STATIC_ROOT and Path(settings.STATIC_ROOT).is_dir():
        racines.append(str(settings.STATIC_ROOT))
    return racines


def html_du_document(gabarit: str, contexte: Mapping[str, Any]) -> str:
    return render_to_string(gabarit, dict(contexte))


def rendre_html(html: str) -> rendu_pdf.Resultat:
    """Rend du HTML en PDF dans un processus fils borné (délai ``PDF_DELAI_SECONDES``,
    mémoire ``PDF_MEMOIRE_MAX_MO``). Lève ``RenduPDFImpossible`` en cas d'échec."""
    delai = getattr(settings, "PDF_DELAI_SECONDES", 20)
    memoire = getattr(settings, "PDF_MEMOIRE_MAX_MO", 1536) * 1024 * 1024
    parent, fils = _contexte_processus.Pipe(duplex=False)
    processus = _contexte_processus.Process(
        target=rendu_pdf.rendre_dans_un_fils,
        args=(fils, html, racines_statiques(), settings.STATIC_URL, memoire),
        daemon=True,
    )
    processus.start()
    fils.close()
    try:
        if not parent.poll(delai):
            journal.warning("Rendu PDF arrêté : délai de %s s dépassé", delai)
            raise RenduPDFImpossible("Le document a pris trop de temps à produire.")
        try:
            statut, valeur = parent.recv()
        except EOFError as erreur:
            raise RenduPDFImpossible("Le rendu du document s'est interrompu.") from erreur
    finally:
        if processus.is_alive():
            processus.kill()
        processus.join(timeout=5)
        parent.close()
    if statut != "ok":
        journal.warning("Rendu PDF en échec : %s", valeur)
        raise RenduPDFImpossible("Le document n'a pas pu être produit.")
    return valeur


def rendre_document(gabarit: str, contexte: Mapping[str, Any]) -> bytes:
    return rendre_html(html_du_document(gabarit, contexte)).pdf


def reponse_pdf(
    request: HttpRequest,
    gabarit: str,
    contexte: Mapping[str, Any],
    *,
    nom_fichier: str,
    objet: models.Model | None = None,
) -> HttpResponse:
    """Le PDF s'ouvre dans le navigateur ; en cas d'échec, une page 503 propose de réessayer.
    L'impression de ``objet`` (le dossier, le livret…) est journalisée quand le PDF est rendu."""
    try:
        pdf = rendre_document(gabarit, contexte)
    except RenduPDFImpossible as erreur:
        return render(
            request,
            "pdf_indisponible.html",
            {"raison": str(erreur), "reessayer": request.get_full_path()},
            status=503,
        )
    if objet is not None:
        audit.journaliser_impression(request, objet)
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="{nom_fichier}"'
    return reponse
