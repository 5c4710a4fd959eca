"""Pages du noyau : accueil par profil, santé, charte (premier cas du mécanisme d'accès)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from charte_iae import tableaux
from charte_iae.models import Etablissement
from charte_iae.permissions import chartes_visibles
from charte_iae.roles import profil


def accueil(request: HttpRequest) -> HttpResponse:
    p = profil(request.user)
    notifications = list(request.user.notifications.all()[:5])
    return render(
        request,
        f"charte_iae/accueil/{p.value}.html",
        {
            "notifications": notifications,
            "affectations": request.user.affectations_actives,
            "sections": tableaux.sections(request, p),
        },
    )


def chartes(request: HttpRequest) -> HttpResponse:
    liste = chartes_visibles(request.user).select_related(
        "implantation__siae", "implantation__etablissement", "implantation__spip"
    )
    return render(request, "charte_iae/chartes.html", {"chartes": liste})


@require_GET
def temoin(request: HttpRequest, pk: int) -> HttpResponse:
    """Page témoin des mesures de charge : toute la pile d'intergiciels, une requête par clé
    primaire, rien d'autre. Les pages réelles se comparent à elle dans le même banc."""
    etablissement = get_object_or_404(Etablissement, pk=pk)
    return HttpResponse(etablissement.code, content_type="text/plain; charset=utf-8")


@login_not_required
@transaction.non_atomic_requests
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """L'icône du site à l'adresse que les navigateurs demandent d'eux-mêmes (un PDF ouvert
    dans le navigateur n'en déclare pas) : celle du DSFR, sans page 404 ni connexion."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)


@login_not_required
@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Vivacité : le processus répond, sans toucher à la base."""
    return JsonResponse({"statut": "ok"})


@login_not_required
@transaction.non_atomic_requests
@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Disponibilité : la base répond (503 sinon, vite)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"statut": "indisponible", "base": "injoignable"}, status=503)
    return JsonResponse({"statut": "ok", "base": "ok"})


@login_not_required
def erreur_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


@login_not_required
def erreur_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def erreur_500(request: HttpRequest) -> HttpResponse:
    # Aucun contexte riche : la base ou les gabarits peuvent être la cause de l'erreur.
    template = loader.get_template("500.html")
    return HttpResponse(
        template.render({"id_requete": getattr(request, "id_requete", "")}), status=500
    )
