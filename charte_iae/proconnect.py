"""Connexion par ProConnect (OpenID Connect de l'État pour les agents publics).

La cinématique OIDC (state, nonce, échange du code, vérification des signatures) est celle de
mozilla-django-oidc. Ce module fixe les règles de Charte IAE : l'e-mail donné par ProConnect doit
être celui d'un compte **actif** ; aucun compte n'est créé ; un refus s'explique en français sur la
page de connexion. La connexion réussie ouvre une session Django ordinaire (``auth.login`` avec ce
moteur d'authentification) : les intergiciels suivants (double facteur, expiration) s'appliquent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from charte_iae.models import Utilisateur

journal = logging.getLogger("charte_iae.proconnect")

REFUS_INCONNU = (
    "Aucun compte Charte IAE n'est ouvert pour l'adresse transmise par ProConnect. "
    "Demandez à votre administrateur local de vous créer un compte avec cette adresse."
)
REFUS_DESACTIVE = (
    "Votre compte Charte IAE est désactivé. Adressez-vous à votre administrateur local."
)
ECHEC = (
    "La connexion avec ProConnect n'a pas abouti. Réessayez, ou connectez-vous avec votre "
    "adresse e-mail et votre mot de passe."
)


class ProConnectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Utilisateur | None:
        # Seul le retour de ProConnect (qui passe le nonce) s'authentifie ici, jamais le
        # formulaire de mot de passe.
        if request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> Utilisateur | None:
        informations = self.get_userinfo(access_token, id_token, payload)
        email = str(informations.get("email") or "").strip().lower()
        utilisateur = Utilisateur.objects.filter(email__iexact=email).first() if email else None
        if utilisateur is None:
            journal.warning("Connexion ProConnect refusée : aucun compte pour cette adresse.")
            self.request.proconnect_refus = REFUS_INCONNU  # type: ignore[attr-defined]
            return None
        if not utilisateur.is_active:
            journal.warning("Connexion ProConnect refusée : compte %s désactivé.", utilisateur.pk)
            self.request.proconnect_refus = REFUS_DESACTIVE  # type: ignore[attr-defined]
            return None
        return utilisateur


class RetourProConnect(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self) -> str:
        return reverse("connexion")

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as erreur:
            # Jeton mal signé, nonce ou state rejoué, fournisseur injoignable : on refuse.
            journal.warning("Retour ProConnect rejeté : %s", type(erreur).__name__)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, getattr(self.request, "proconnect_refus", ECHEC))
        return super().login_failure()


def _si_actif(vue: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Les adresses ProConnect n'existent (404) que si ProConnect est configuré."""

    @login_not_required
    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PROCONNECT_ACTIF:
            raise Http404("ProConnect n'est pas configuré.")
        return vue(request, *args, **kwargs)

    return enveloppe


connexion = _si_actif(OIDCAuthenticationRequestView.as_view())
retour = _si_actif(RetourProConnect.as_view())


def url_fin_session(request: HttpRequest) -> str:
    """L'adresse de fin de session chez ProConnect (sinon, l'agent y resterait connecté)."""
    parametres = {
        "id_token_hint": request.session["oidc_id_token"],
        "state": get_random_string(32),
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(parametres)}"


_deconnexion_django = auth_views.LogoutView.as_view()


def deconnexion(request: HttpRequest) -> HttpResponse:
    """Déconnexion : la session Django est détruite ; si l'agent est venu par ProConnect, il est
    ensuite renvoyé vers ProConnect pour y fermer sa session aussi."""
    if (
        request.method == "POST"
        and settings.PROCONNECT_ACTIF
        and request.user.is_authenticated
        and request.session.get("oidc_id_token")
    ):
        destination = url_fin_session(request)
        auth.logout(request)
        return HttpResponseRedirect(destination)
    return _deconnexion_django(request)


class ConnexionView(auth_views.LoginView):
    """La page de connexion : mot de passe, et le bouton ProConnect quand il est configuré."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "proconnect_actif": settings.PROCONNECT_ACTIF}
