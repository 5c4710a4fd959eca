"""Intergiciels transverses : identifiant de requête, pas de cache pour les pages authentifiées."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_ID_VALIDE = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class IdentifiantRequeteMiddleware:
    """Chaque requête porte un identifiant (repris du proxy s'il est sûr), renvoyé dans
    l'en-tête X-Request-ID, écrit dans les journaux et affiché sur la page d'erreur."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        recu = request.headers.get("X-Request-ID", "")
        request.id_requete = recu if _ID_VALIDE.match(recu) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.id_requete  # type: ignore[attr-defined]
        return response


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
