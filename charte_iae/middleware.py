"""Intergiciels transverses : identifiant de requête, pas de cache pour les pages authentifiées,
contexte du journal d'audit, durée des sessions, second facteur."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import empty

from charte_iae import audit, comptes
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


class ContexteAuditMiddleware:
    """Les écritures faites pendant la requête sont attribuées à son agent et à son identifiant
    (voir ``charte_iae.audit``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.dans_la_requete(request):
            return self.get_response(request)


_CONNEXION_LE = "_connexion_le"
_ACTIVITE_LE = "_activite_le"
# On ne réécrit la session pour l'activité qu'une fois par minute, pas à chaque requête.
_PAS_ACTIVITE = 60


class DureeSessionMiddleware:
    """Une session se termine après SESSION_INACTIVITE_MAX secondes sans requête et, quoi qu'il
    arrive, SESSION_DUREE_MAX secondes après la connexion (ASVS 3.3.2). La session est alors
    détruite côté serveur, et l'agent revient à la page de connexion."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            maintenant = int(time.time())
            session = request.session
            connexion_le = session.setdefault(_CONNEXION_LE, maintenant)
            activite_le = session.get(_ACTIVITE_LE, connexion_le)
            if (
                maintenant - connexion_le > settings.SESSION_DUREE_MAX
                or maintenant - activite_le > settings.SESSION_INACTIVITE_MAX
            ):
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous.")
            elif maintenant - activite_le >= _PAS_ACTIVITE or _ACTIVITE_LE not in session:
                session[_ACTIVITE_LE] = maintenant
        return self.get_response(request)


def _noter_connexion(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    maintenant = int(time.time())
    request.session[_CONNEXION_LE] = maintenant
    request.session[_ACTIVITE_LE] = maintenant
    comptes.noter_application(request, user)


def brancher() -> None:
    """Appelé une fois par ``CharteIaeConfig.ready`` : la connexion date la session."""
    user_logged_in.connect(_noter_connexion, dispatch_uid="duree_session_connexion")


# Pages accessibles à un agent connecté qui n'a pas encore passé le second facteur.
_SANS_SECOND_FACTEUR = frozenset(
    {
        "otp_verifier",
        "otp_activer",
        "deconnexion",
        "healthz",
        "readyz",
    }
)


class DoubleFacteurMiddleware:
    """Tant qu'un agent qui doit passer le second facteur ne l'a pas fait dans cette session, il
    est renvoyé vers la saisie du code (ou vers l'activation s'il n'a pas encore d'application),
    quelle que soit la page demandée — administration comprise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not comptes.doit_verifier(user, request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _SANS_SECOND_FACTEUR:
            return None
        etape = "otp_verifier" if comptes.a_une_application(user) else "otp_activer"
        return redirect_to_login(request.get_full_path(), reverse(etape))
