"""Intergiciels transverses : identifiant de requête, pas de cache pour les pages authentifiées."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from charte_iae.journalisation import id_requete_courante

_ID_VALIDE = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_SONDES = frozenset({"/healthz", "/readyz"})
journal_acces = logging.getLogger("charte_iae.acces")


class IdentifiantRequeteMiddleware:
    """Chaque requête porte un identifiant (repris du proxy s'il est sûr), renvoyé dans
    l'en-tête X-Request-ID, écrit dans les journaux et affiché sur la page d'erreur."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        recu = request.headers.get("X-Request-ID", "")
        request.id_requete = recu if _ID_VALIDE.match(recu) else uuid.uuid4().hex  # type: ignore[attr-defined]
        jeton = id_requete_courante.set(request.id_requete)  # type: ignore[attr-defined]
        debut = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id_requete  # type: ignore[attr-defined]
            self._journaliser(request, response, debut)
        finally:
            id_requete_courante.reset(jeton)
        return response

    @staticmethod
    def _journaliser(request: HttpRequest, response: HttpResponse, debut: float) -> None:
        """Journal d'accès : le chemin sans ses paramètres (une recherche peut contenir un nom)
        et l'identifiant numérique de l'agent, jamais son e-mail."""
        user = getattr(request, "user", None)
        if getattr(user, "_wrapped", None) is empty:
            # Agent pas encore chargé : ne pas interroger la base pour le journal (elle peut
            # être la cause d'une erreur en cours).
            user = None
        niveau = logging.DEBUG if request.path in _SONDES else logging.INFO
        journal_acces.log(
            niveau,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "methode": request.method,
                "chemin": request.path,
                "statut": response.status_code,
                "duree_ms": round((time.monotonic() - debut) * 1000, 1),
                "utilisateur_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )


class PasDeCacheAuthentifieMiddleware:
    """Une page vue par un agent connecté peut contenir des données personnelles :
    aucun cache (navigateur ou proxy) ne la garde."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
