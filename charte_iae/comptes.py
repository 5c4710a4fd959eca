"""Comptes des agents : identifiant pour le compteur d'échecs (django-axes), second facteur
(TOTP, django-otp) — qui doit le passer, activation d'une application, saisie du code."""

from __future__ import annotations

import base64
import time
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from dsfr.forms import DsfrBaseForm

from charte_iae.enums import FONCTIONS_ADMIN, FONCTIONS_ADMIN_SPIP, Fonction

# Administrateurs locaux (SPIP et SIAE) et nationaux / DISP.
FONCTIONS_SECOND_FACTEUR = FONCTIONS_ADMIN_SPIP | FONCTIONS_ADMIN | {Fonction.DIRECTION_SIAE}


def identifiant_axes(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """L'adresse e-mail comme la normalise le formulaire de connexion, pour que « Agent@x » et
    « agent@x » partagent un même compteur d'échecs."""
    valeur = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(valeur).strip().lower()[:255]


def second_facteur_obligatoire(utilisateur: Any) -> bool:
    """Le second facteur est obligatoire pour les administrateurs locaux (DPIP, référent IAE,
    direction de la SIAE) et nationaux (accès à l'administration, administrateurs DISP et
    nationaux), sauf si OTP_OBLIGATOIRE est désactivé (démonstration locale)."""
    if not settings.OTP_OBLIGATOIRE:
        return False
    return bool(
        utilisateur.is_staff
        or utilisateur.is_superuser
        or utilisateur.fonctions & FONCTIONS_SECOND_FACTEUR
    )


def a_une_application(utilisateur: Any) -> bool:
    return user_has_device(utilisateur, confirmed=True)


# Drapeau de session posé à la connexion (et à l'activation) : l'agent a-t-il une application
# confirmée ? Il évite une requête par page. Une application activée depuis une autre session
# s'impose à la connexion suivante ; une session sans drapeau (ouverte avant) interroge la base.
CLE_SESSION_APPLICATION = "otp_application_active"


def noter_application(request: HttpRequest, utilisateur: Any) -> None:
    request.session[CLE_SESSION_APPLICATION] = a_une_application(utilisateur)


def doit_verifier(utilisateur: Any, request: HttpRequest | None = None) -> bool:
    """Vrai tant que l'agent n'a pas saisi de code dans cette session alors qu'il le doit :
    parce que c'est obligatoire pour sa fonction, ou parce qu'il a activé une application."""
    if utilisateur.is_verified():
        return False
    if second_facteur_obligatoire(utilisateur):
        return True
    if request is not None and CLE_SESSION_APPLICATION in request.session:
        return bool(request.session[CLE_SESSION_APPLICATION])
    return a_une_application(utilisateur)


# --- Activation --------------------------------------------------------------------------------

CLE_SESSION_ACTIVATION = "otp_cle_en_activation"


def cle_en_activation(request: HttpRequest) -> str:
    """La clé secrète proposée pendant l'activation : gardée en session (rien en base avant
    confirmation par un premier code)."""
    cle = request.session.get(CLE_SESSION_ACTIVATION)
    if not cle:
        cle = default_key()
        request.session[CLE_SESSION_ACTIVATION] = cle
    return cle


def appareil_propose(utilisateur: Any, cle: str) -> TOTPDevice:
    return TOTPDevice(user=utilisateur, key=cle, name="Application d'authentification")


def secret_base32(appareil: TOTPDevice) -> str:
    return base64.b32encode(appareil.bin_key).decode()


def qr_code_svg(appareil: TOTPDevice) -> str:
    """Le QR code de l'URI otpauth, fabriqué sur le serveur (aucun service extérieur), en data URI."""
    return segno.make(appareil.config_url, error="m").svg_data_uri(scale=5, border=2)


def code_valide(appareil: TOTPDevice, code: str) -> bool:
    try:
        jeton = int(code)
    except ValueError:
        return False
    totp = TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift)
    totp.time = time.time()
    return totp.verify(jeton, appareil.tolerance)


_CODE = forms.RegexField(
    label="Code à 6 chiffres",
    regex=r"^\s*\d{6}\s*$",
    max_length=20,
    error_messages={"invalid": "Saisissez les 6 chiffres affichés par votre application."},
    widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
    ),
)


class ActivationForm(DsfrBaseForm):
    code = _CODE

    def __init__(self, *args: Any, appareil: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.appareil = appareil

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code_valide(self.appareil, code):
            raise forms.ValidationError(
                "Ce code ne correspond pas : vérifiez l'heure de votre téléphone et réessayez."
            )
        return code


class VerificationForm(DsfrBaseForm):
    code = _CODE

    def __init__(self, *args: Any, utilisateur: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.utilisateur = utilisateur
        self.appareil: TOTPDevice | None = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        for appareil in devices_for_user(self.utilisateur, confirmed=True, for_verify=True):
            autorise, _ = appareil.verify_is_allowed()
            if not autorise:
                raise forms.ValidationError(
                    "Trop de codes erronés : patientez quelques secondes avant de réessayer."
                )
            if appareil.verify_token(code):
                self.appareil = appareil
                return code
        raise forms.ValidationError("Code incorrect.")
