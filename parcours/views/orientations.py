"""Les orientations : signalement (orienteur ou CPIP), listes, avis du SPIP, clôture et
prescription d'un parcours IAE."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from charte_iae.models import Implantation
from parcours import eligibilite, services
from parcours.enums import AvisSpip
from parcours.forms import AvisForm, ClotureForm, OrientationForm, PrescriptionForm, SignalementForm
from parcours.models import Orientation
from parcours.permissions import (
    can_close_orientation,
    can_give_opinion,
    can_prescribe,
    can_signal,
    can_view_personne,
    etablissements_orienteur,
)
from parcours.views.commun import executer, orientation_visible, paginer, personne_visible

FILTRES = {
    "attente": ("En attente de l'avis du SPIP", lambda qs: qs.en_attente_avis()),
    "avis": (
        "Avis rendu, sans prescription",
        lambda qs: qs.ouvertes().filter(avis_le__isnull=False, prescription__isnull=True),
    ),
    "prescrites": ("Prescrites", lambda qs: qs.filter(prescription__isnull=False)),
    "closes": ("Closes", lambda qs: qs.filter(cloturee_le__isnull=False)),
    "toutes": ("Toutes", lambda qs: qs),
}


def orientations(request: HttpRequest) -> HttpResponse:
    """Pour le SPIP : les orientations de l'établissement (par défaut, celles qui attendent
    l'avis, de ses personnes). Pour un orienteur : les siennes et leur issue."""
    etat = request.GET.get("etat", "attente")
    if etat not in FILTRES:
        etat = "attente"
    suivi = request.GET.get("suivi", "moi")
    liste = Orientation.objects.for_user(request.user).select_related(
        "personne", "signalee_par", "prescription"
    )
    liste = FILTRES[etat][1](liste)
    if suivi == "moi":
        liste = liste.filter(Q(personne__cpip_referent=request.user) | Q(signalee_par=request.user))
    page = paginer(request, liste.order_by("signalee_le", "pk"))
    return render(
        request,
        "parcours/orientations.html",
        {
            "page": page,
            "etat": etat,
            "suivi": suivi,
            "filtres": [(cle, libelle) for cle, (libelle, _) in FILTRES.items()],
            "peut_signaler": can_signal(request.user),
        },
    )


def signaler(request: HttpRequest) -> HttpResponse:
    """Un orienteur signale une personne de son établissement pour un parcours IAE."""
    etablissements = etablissements_orienteur(request.user)
    if not etablissements:
        raise PermissionDenied(
            "Seuls les orienteurs de l'établissement et le SPIP signalent une personne."
        )
    form = SignalementForm(
        request.POST or None,
        etablissements=etablissements,
        initial={"signalee_le": timezone.localdate()},
    )
    resultat: dict = {}
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: resultat.setdefault(
                "orientation",
                services.signaler_par_ecrou(auteur=request.user, **form.cleaned_data),
            ),
            "L'orientation est enregistrée ; le SPIP est prévenu.",
        )
    ):
        return redirect(resultat["orientation"])
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "titre": "Signaler une personne pour un parcours IAE",
            "bouton": "Signaler",
            "aide": "Indiquez le numéro d'écrou et l'identité de la personne, puis ce qui motive "
            "l'orientation. Aucune donnée de santé ni infraction.",
        },
    )


def orientation_creer(request: HttpRequest, pk: int) -> HttpResponse:
    """Le CPIP oriente lui-même la personne depuis son dossier."""
    personne = personne_visible(request, pk)
    if not can_signal(request.user, personne.etablissement_id):
        raise PermissionDenied("Seuls les orienteurs de l'établissement et le SPIP orientent.")
    form = OrientationForm(request.POST or None, initial={"signalee_le": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.signaler(personne=personne, auteur=request.user, **form.cleaned_data),
            "L'orientation est enregistrée.",
        )
    ):
        return redirect(personne)
    return render(
        request,
        "parcours/formulaire.html",
        {"form": form, "personne": personne, "titre": "Orienter vers l'IAE", "bouton": "Orienter"},
    )


def orientation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = orientation_visible(request, pk)
    peut_avis = can_give_opinion(request.user, orientation)
    return render(
        request,
        "parcours/orientation.html",
        {
            "orientation": orientation,
            "prescription": getattr(orientation, "prescription", None),
            "voit_dossier": can_view_personne(request.user, orientation.personne),
            "peut_avis": peut_avis and not orientation.avis_le and not orientation.est_close,
            "peut_cloturer": can_close_orientation(request.user, orientation)
            and not orientation.est_close,
            "peut_prescrire": can_prescribe(request.user, orientation.personne)
            and not orientation.est_close
            and not hasattr(orientation, "prescription")
            and orientation.avis_le is not None
            and orientation.avis != AvisSpip.DEFAVORABLE,
            "avis_form": AvisForm(),
            "cloture_form": ClotureForm(),
        },
    )


def avis(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = orientation_visible(request, pk)
    if not can_give_opinion(request.user, orientation):
        raise PermissionDenied("Seul un CPIP du SPIP de l'établissement donne l'avis du SPIP.")
    form = AvisForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.donner_avis(
                orientation=orientation,
                auteur=request.user,
                avis=form.cleaned_data["avis"],
                motifs=form.cleaned_data["avis_motifs"],
                motif_principal=form.cleaned_data["avis_motif_principal"],
            ),
            "L'avis du SPIP est enregistré.",
        )
    ):
        return redirect(orientation)
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "personne": orientation.personne,
            "titre": "Avis du SPIP sur l'orientation",
            "bouton": "Enregistrer l'avis",
        },
    )


def cloturer(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = orientation_visible(request, pk)
    if not can_close_orientation(request.user, orientation):
        raise PermissionDenied("Seul le SPIP de l'établissement clôt une orientation.")
    form = ClotureForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.cloturer_orientation(
                orientation=orientation,
                auteur=request.user,
                motif=form.cleaned_data["motif_cloture"],
                commentaire=form.cleaned_data["commentaire"],
            ),
            "L'orientation est close.",
        )
    ):
        return redirect(orientation)
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "personne": orientation.personne,
            "titre": "Clore l'orientation",
            "bouton": "Clore",
        },
    )


def prescrire(request: HttpRequest, pk: int) -> HttpResponse:
    """Prescription d'un parcours IAE : hors périmètre → 404 ; dans le périmètre mais pas SPIP
    de l'établissement → 403 ; le service revérifie tout (auteur, éligibilité, unicité)."""
    orientation = orientation_visible(request, pk)
    personne = orientation.personne
    if not can_prescribe(request.user, personne):
        raise PermissionDenied(
            "Seul un CPIP (ou le DPIP) du SPIP de l'établissement prescrit un parcours IAE."
        )
    implantations = Implantation.objects.filter(
        etablissement_id=personne.etablissement_id
    ).select_related("siae")
    premiere = implantations.first()
    criteres_locaux = services.criteres_locaux_pour(premiere) if premiere else []
    form = PrescriptionForm(
        request.POST or None, implantations=implantations, criteres_locaux=criteres_locaux
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.prescrire(
                orientation=orientation,
                implantation=form.cleaned_data["implantation"],
                auteur=request.user,
                criteres_locaux=services.criteres_locaux_pour(form.cleaned_data["implantation"]),
                criteres_confirmes=form.cleaned_data.get("criteres_confirmes", []),
                commentaire=form.cleaned_data["commentaire"],
            ),
            "Le parcours IAE est prescrit ; la SIAE est prévenue.",
        )
    ):
        return redirect(personne)
    return render(
        request,
        "parcours/prescrire.html",
        {
            "form": form,
            "orientation": orientation,
            "personne": personne,
            "eligibilite": eligibilite.evaluer(
                personne, timezone.localdate(), criteres_locaux=criteres_locaux
            ),
        },
    )
