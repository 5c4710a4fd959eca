"""Le dossier d'une personne : listes, création, modification, page du dossier et démarches
du SPIP qui s'y rattachent (information, confirmation de condamnation, demande de classement)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from charte_iae import acces
from charte_iae.audit import lecture_auditee
from charte_iae.enums import FONCTIONS_SPIP, Milieu, TypeStructure
from parcours import eligibilite, services
from parcours.enums import StatutDemandeClassement
from parcours.forms import (
    DemandeClassementForm,
    FiltrePersonnesForm,
    InformationForm,
    PersonneForm,
)
from parcours.models import DemandeClassement, Orientation, Personne, Prescription
from parcours.permissions import (
    FONCTIONS_PRESCRIPTEURS,
    can_edit_personne,
    can_export_personne,
    can_give_opinion,
    can_prescribe,
    est_agent_spip_de,
)
from parcours.views.commun import executer, paginer, personne_visible

REFUS_DOSSIER = "Seul le SPIP de l'établissement de la personne tient son dossier."


def _etablissements_spip(utilisateur) -> list:
    return sorted(
        {
            a.structure.etablissement
            for a in utilisateur.affectations_actives
            if a.fonction in FONCTIONS_PRESCRIPTEURS
            and a.structure.type == TypeStructure.SPIP
            and a.structure.milieu == Milieu.FERME
            and a.structure.etablissement_id
        },
        key=lambda e: e.nom,
    )


def _avec_indicateurs(queryset):
    return queryset.select_related("cpip_referent").annotate(
        prescrite=Exists(Prescription.objects.filter(personne=OuterRef("pk"), fin_le__isnull=True)),
        orientation_en_attente=Exists(
            Orientation.objects.en_attente_avis().filter(personne=OuterRef("pk"))
        ),
    )


def personnes(request: HttpRequest) -> HttpResponse:
    """Mes personnes (CPIP référent) ou toutes celles de l'établissement ; recherche, filtres."""
    est_spip = bool(_etablissements_spip(request.user))
    filtre = FiltrePersonnesForm(request.GET or None)
    liste = Personne.objects.for_user(request.user)
    suivi = "moi" if est_spip else "tous"
    if filtre.is_valid():
        suivi = filtre.cleaned_data["suivi"] or suivi
        if q := filtre.cleaned_data["q"].strip():
            liste = liste.filter(Q(nom__icontains=q) | Q(prenom__icontains=q) | Q(numero_ecrou=q))
        if statut := filtre.cleaned_data["statut_penal"]:
            liste = liste.filter(statut_penal=statut)
    if suivi == "moi" and est_spip:
        liste = liste.filter(cpip_referent=request.user)
    page = paginer(request, _avec_indicateurs(liste).order_by("nom", "prenom", "pk"))
    jour = timezone.localdate()
    lignes = [(p, eligibilite.evaluer(p, jour)) for p in page]
    return render(
        request,
        "parcours/personnes.html",
        {
            "page": page,
            "lignes": lignes,
            "filtre": filtre,
            "suivi": suivi,
            "peut_creer": est_spip,
            "titre": "Mes personnes" if suivi == "moi" and est_spip else "Personnes",
        },
    )


def eligibles(request: HttpRequest) -> HttpResponse:
    """Les personnes qui remplissent aujourd'hui les critères nationaux et n'ont pas de
    prescription en cours, la fenêtre qui se ferme le plus tôt d'abord."""
    if not _etablissements_spip(request.user):
        raise PermissionDenied("Cette liste est réservée au SPIP.")
    jour = timezone.localdate()
    liste = eligibilite.eligibles_nationalement(Personne.objects.for_user(request.user), jour)
    liste = _avec_indicateurs(liste).filter(prescrite=False)
    if request.GET.get("suivi") != "tous":
        liste = liste.filter(cpip_referent=request.user)
    page = paginer(request, liste.order_by("date_liberation_previsible", "pk"))
    lignes = [(p, eligibilite.evaluer(p, jour)) for p in page]
    return render(
        request,
        "parcours/eligibles.html",
        {"page": page, "lignes": lignes, "suivi": request.GET.get("suivi", "moi")},
    )


def personne_creer(request: HttpRequest) -> HttpResponse:
    etablissements = _etablissements_spip(request.user)
    if not etablissements:
        raise PermissionDenied(REFUS_DOSSIER)
    form = PersonneForm(
        request.POST or None,
        etablissements=etablissements,
        doublons_de=services.doublons_possibles,
        initial={"cpip_referent": request.user},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.creer_personne(personne=form.instance, auteur=request.user),
            "Le dossier a été créé.",
        )
    ):
        return redirect(form.instance)
    return render(request, "parcours/personne_form.html", {"form": form, "personne": None})


def personne_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    personne = personne_visible(request, pk)
    if not can_edit_personne(request.user, personne):
        raise PermissionDenied(REFUS_DOSSIER)
    form = PersonneForm(
        request.POST or None, instance=personne, doublons_de=services.doublons_possibles
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.modifier_personne(
                personne=form.instance,
                auteur=request.user,
                version_lue=form.cleaned_data.get("version") or 0,
            ),
            "Le dossier a été mis à jour.",
        )
    ):
        return redirect(personne)
    return render(request, "parcours/personne_form.html", {"form": form, "personne": personne})


def _chronologie(personne: Personne, orientations, prescriptions, demandes, examens) -> list:
    """Les étapes du parcours, datées et attribuées, de la plus récente à la plus ancienne."""
    evenements = []
    for info in personne.informations.select_related("donnee_par"):
        evenements.append(
            (info.date, f"Information sur l'IAE : {info.get_canal_display()}", info.donnee_par)
        )
    for o in orientations:
        evenements.append((o.signalee_le, "Orientation signalée", o.signalee_par))
        if o.avis_le:
            evenements.append(
                (
                    timezone.localdate(o.avis_le),
                    f"Avis du SPIP : {o.get_avis_display().lower()}",
                    o.avis_par,
                )
            )
        if o.cloturee_le:
            evenements.append(
                (
                    timezone.localdate(o.cloturee_le),
                    f"Orientation close : {o.get_motif_cloture_display().lower()}",
                    o.cloturee_par,
                )
            )
    for p in prescriptions:
        evenements.append(
            (
                timezone.localdate(p.prescrite_le),
                f"Parcours IAE prescrit vers {p.implantation.siae}",
                p.prescrite_par,
            )
        )
    for d in demandes:
        evenements.append((d.date_demande, "Demande de classement au travail", d.aidee_par))
        if d.deposee_le:
            evenements.append(
                (timezone.localdate(d.deposee_le), "Demande de classement déposée", d.deposee_par)
            )
    for e in examens:
        evenements.append((e.session.date, "Examen en CPU", e.inscrit_par))
        if e.decision_date:
            evenements.append(
                (
                    e.decision_date,
                    f"Décision du chef d'établissement : {e.get_decision_display().lower()}",
                    e.decision_saisie_par,
                )
            )
    return sorted(evenements, key=lambda e: e[0], reverse=True)


@lecture_auditee(Personne)
def personne_detail(request: HttpRequest, pk: int) -> HttpResponse:
    personne = personne_visible(request, pk)
    jour = timezone.localdate()
    resultat = eligibilite.evaluer(personne, jour)
    # Par le gestionnaire de la personne : chaque orientation connaît déjà sa personne.
    orientations = list(
        personne.orientations.for_user(request.user).select_related(
            "signalee_par", "avis_par", "cloturee_par", "prescription"
        )
    )
    # Les droits de l'agent sur toutes les orientations, en une requête (pas une par ligne).
    acces.precharger(request.user, orientations)
    prescriptions = list(
        personne.prescriptions.select_related("implantation__siae", "prescrite_par")
    )
    peut_modifier = can_edit_personne(request.user, personne)
    demandes = list(personne.demandes_classement.select_related("aidee_par", "deposee_par"))
    examens = list(
        personne.examens_cpu.select_related("session", "inscrit_par", "decision_saisie_par")
    )
    return render(
        request,
        "parcours/personne.html",
        {
            "personne": personne,
            "eligibilite": resultat,
            "orientations": [
                (
                    o,
                    can_give_opinion(request.user, o) and not o.avis_le and not o.est_close,
                    not o.est_close
                    and not hasattr(o, "prescription")
                    and o.avis_le is not None
                    and o.avis != "defavorable",
                )
                for o in orientations
            ],
            "prescriptions": prescriptions,
            "demandes": demandes,
            "examens": examens,
            "historique": list(
                personne.historique_dates_liberation.select_related("saisie_par")[:20]
            ),
            "chronologie": _chronologie(personne, orientations, prescriptions, demandes, examens),
            "peut_modifier": peut_modifier,
            "peut_exporter": peut_modifier and can_export_personne(request.user, personne),
            # Une alerte dont le lieu d'action est une page de la SIAE mène le SPIP au dossier.
            "agent_spip": bool(request.user.fonctions & FONCTIONS_SPIP),
            "peut_prescrire": can_prescribe(request.user, personne) and resultat.eligible,
            "peut_prescrire_si_eligible": can_prescribe(request.user, personne),
            "informations_form": InformationForm(initial={"date": jour}) if peut_modifier else None,
            "demande_form": DemandeClassementForm() if peut_modifier else None,
        },
    )


@require_POST
def condamnation_confirmer(request: HttpRequest, pk: int) -> HttpResponse:
    personne = personne_visible(request, pk)
    if not can_edit_personne(request.user, personne):
        raise PermissionDenied(REFUS_DOSSIER)
    executer(
        request,
        None,
        lambda: services.confirmer_condamnation(personne=personne, auteur=request.user),
        "La condamnation à exécuter est confirmée.",
    )
    return redirect(personne)


def information_ajouter(request: HttpRequest, pk: int) -> HttpResponse:
    personne = personne_visible(request, pk)
    if not can_edit_personne(request.user, personne):
        raise PermissionDenied(REFUS_DOSSIER)
    form = InformationForm(request.POST or None, initial={"date": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.enregistrer_information(
                personne=personne, auteur=request.user, **form.cleaned_data
            ),
            "L'information sur l'IAE est enregistrée.",
        )
    ):
        return redirect(personne)
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "personne": personne,
            "titre": "Information sur l'IAE donnée à la personne",
            "bouton": "Enregistrer l'information",
        },
    )


def demande_classement_creer(request: HttpRequest, pk: int) -> HttpResponse:
    personne = personne_visible(request, pk)
    if not can_edit_personne(request.user, personne):
        raise PermissionDenied(REFUS_DOSSIER)
    form = DemandeClassementForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and executer(
            request,
            form,
            lambda: services.preparer_demande_classement(
                personne=personne, auteur=request.user, **form.cleaned_data
            ),
            "La demande de classement au travail est en préparation.",
        )
    ):
        return redirect(personne)
    return render(
        request,
        "parcours/formulaire.html",
        {
            "form": form,
            "personne": personne,
            "titre": "Demande de classement au travail",
            "bouton": "Enregistrer la demande",
        },
    )


@require_POST
def demande_classement_deposer(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_object_or_404(
        DemandeClassement.objects.for_user(request.user).select_related("personne"), pk=pk
    )
    if not est_agent_spip_de(request.user, demande.personne.etablissement_id):
        raise PermissionDenied(REFUS_DOSSIER)
    if demande.statut != StatutDemandeClassement.EN_PREPARATION:
        messages.error(request, "Seule une demande en préparation peut être déposée.")
        return redirect(demande.personne)
    executer(
        request,
        None,
        lambda: services.deposer_demande_classement(demande=demande, auteur=request.user),
        "La demande est enregistrée comme déposée auprès du chef d'établissement.",
    )
    return redirect(demande.personne)
