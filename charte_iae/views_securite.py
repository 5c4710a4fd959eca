"""Pages de sécurité : second facteur (activation, saisie du code) et « qui a consulté cet objet »."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from charte_iae import audit, comptes
from charte_iae.models import ActionAudit


def _suite(request: HttpRequest) -> str:
    suite = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        suite, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return suite
    return "/"


def otp_verifier(request: HttpRequest) -> HttpResponse:
    """Après le mot de passe : le code de l'application d'authentification."""
    if not comptes.a_une_application(request.user):
        return redirect("otp_activer")
    form = comptes.VerificationForm(request.POST or None, utilisateur=request.user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.appareil)
        return redirect(_suite(request))
    return render(
        request, "registration/otp_verifier.html", {"form": form, "next": _suite(request)}
    )


def otp_activer(request: HttpRequest) -> HttpResponse:
    """Activer une application d'authentification (TOTP) : QR code et clé affichés, confirmés
    par un premier code. L'appareil n'est enregistré qu'une fois le code juste."""
    if comptes.a_une_application(request.user) and not request.user.is_verified():
        return redirect("otp_verifier")
    appareil = comptes.appareil_propose(request.user, comptes.cle_en_activation(request))
    form = comptes.ActivationForm(request.POST or None, appareil=appareil)
    if request.method == "POST" and form.is_valid():
        appareil.confirmed = True
        appareil.save()
        audit.journaliser(
            request,
            action=ActionAudit.CREATION,
            type_objet=appareil._meta.label_lower,
            objet_id=appareil.pk,
        )
        request.session.pop(comptes.CLE_SESSION_ACTIVATION, None)
        request.session[comptes.CLE_SESSION_APPLICATION] = True
        otp_login(request, appareil)
        messages.success(request, "Votre application d'authentification est activée.")
        return redirect(_suite(request))
    return render(
        request,
        "registration/otp_activer.html",
        {
            "form": form,
            "next": _suite(request),
            "qr_code": comptes.qr_code_svg(appareil),
            "secret": comptes.secret_base32(appareil),
            "uri": appareil.config_url,
            "obligatoire": comptes.second_facteur_obligatoire(request.user),
        },
    )


def journal_objet(request: HttpRequest, type_objet: str, objet_id: str) -> HttpResponse:
    """Qui a consulté ou modifié cet objet, et quand (DPIP / direction de la SIAE)."""
    journal = audit.registre_journaux.get(type_objet)
    if journal is None:
        raise Http404
    try:
        objet = journal.objets(request.user).get(pk=objet_id)
    except (journal.modele.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not journal.peut_consulter(request.user, objet):
        raise PermissionDenied(
            "Seuls le DPIP ou le référent IAE du SPIP et la direction de la SIAE consultent "
            "le journal des accès."
        )
    page = Paginator(audit.acces_a(objet), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "charte_iae/journal_objet.html",
        {"objet": objet, "page": page, "type_objet": journal.modele._meta.verbose_name},
    )
