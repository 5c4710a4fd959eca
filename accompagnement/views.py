"""Pages de l'accompagnement : suivi par domaine, actions, contacts partenaires de la SIAE,
aménagements de peine, et la liaison avec le JAP (qui n'existe que pour le SPIP : 404 sinon)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accompagnement import chefs_de_file, services
from accompagnement.chefs_de_file import Chef, Domaine
from accompagnement.enums import Cote, StatutAction, StatutDomaine
from accompagnement.forms import (
    ActionForm,
    ElementAmenagementForm,
    LiaisonJAPForm,
    MiseAJourActionForm,
    PresentationJAPForm,
    ProjetAmenagementForm,
    SituationDomaineForm,
    StatutProjetForm,
)
from accompagnement.models import (
    ActionAccompagnement,
    LiaisonJAP,
    PresentationJAP,
    ProjetAmenagement,
    SituationDomaine,
)
from accompagnement.permissions import (
    can_access_jap,
    can_add_action,
    can_contribute_amenagement,
    can_edit_action,
    can_manage_amenagement,
    can_view_contacts_partenaires,
    implantations_spip,
)
from charte_iae.audit import lecture_auditee
from communication.models import PersonneRessource
from parcours.models import Personne

OUVERTS = {StatutAction.A_FAIRE, StatutAction.EN_COURS}


def _personne(request: HttpRequest, pk: int) -> Personne:
    return get_object_or_404(
        Personne.objects.for_user(request.user).select_related("cpip_referent", "etablissement"),
        pk=pk,
    )


def _erreurs_dans(form: object, erreur: ValidationError) -> None:
    for champ, liste in erreur.message_dict.items():
        form.add_error(champ if champ in form.fields else None, liste)  # type: ignore[attr-defined]


# --- Suivi par domaine --------------------------------------------------------------------------


@dataclass
class LigneDomaine:
    domaine: Domaine
    actions: list[ActionAccompagnement] = field(default_factory=list)
    situation: SituationDomaine | None = None

    @property
    def statut(self) -> str:
        """La situation décidée l'emporte (refus, pas de besoin) ; sinon l'avancement des actions."""
        if self.situation and self.situation.statut != StatutDomaine.BESOIN_IDENTIFIE:
            return self.situation.get_statut_display()
        if any(a.statut in OUVERTS for a in self.actions):
            return "Accompagnement en cours"
        if any(a.statut == StatutAction.REALISEE for a in self.actions):
            return "Actions réalisées"
        if self.situation:
            return self.situation.get_statut_display()
        return "Non évalué"


@lecture_auditee(Personne)
def suivi(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne(request, pk)
    implantation = chefs_de_file.implantation_de(personne)
    domaines = chefs_de_file.domaines(implantation)
    lignes = {d.code: LigneDomaine(d) for d in domaines}
    hors_charte: list[ActionAccompagnement] = []
    for action in personne.actions.select_related("agent"):
        if action.domaine in lignes:
            lignes[action.domaine].actions.append(action)
        else:
            hors_charte.append(action)
    for situation in personne.situations_domaines.all():
        if situation.domaine in lignes:
            lignes[situation.domaine].situation = situation
    acces_jap = can_access_jap(request.user, personne)
    return render(
        request,
        "accompagnement/suivi.html",
        {
            "personne": personne,
            "implantation": implantation,
            "lignes": list(lignes.values()),
            "hors_charte": hors_charte,
            "peut_ajouter": can_add_action(request.user, personne),
            "projets": list(personne.projets_amenagement.all()),
            "peut_gerer_amenagement": acces_jap,
            # Pour tout autre agent que le SPIP, la liaison avec le JAP n'existe pas : ni lien,
            # ni compte.
            "acces_jap": acces_jap,
            "nombre_liaisons_jap": (
                LiaisonJAP.objects.for_user(request.user).filter(personne=personne).count()
                if acces_jap
                else None
            ),
        },
    )


def _chef_affiche(domaines: list[Domaine], code: str) -> Chef | None:
    return next((d.chef for d in domaines if d.code == code), None)


@lecture_auditee(Personne)
def action_nouvelle(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne(request, pk)
    if not can_add_action(request.user, personne):
        raise PermissionDenied(
            "Seuls le SPIP et les permanents de la SIAE prescrite enregistrent des actions."
        )
    implantation = chefs_de_file.implantation_de(personne)
    domaines = chefs_de_file.domaines(implantation)
    form = ActionForm(
        request.POST or None,
        domaines=domaines,
        ressources=PersonneRessource.objects.actives().filter(implantation=implantation)
        if implantation
        else PersonneRessource.objects.none(),
        initial={
            "domaine": request.GET.get("domaine", ""),
            "date": timezone.localdate(),
            "statut": StatutAction.REALISEE,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_action(auteur=request.user, personne=personne, **form.cleaned_data)
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "L'action a été enregistrée.")
            return redirect("accompagnement:suivi", pk=personne.pk)
    code = request.POST.get("domaine") or request.GET.get("domaine", "")
    return render(
        request,
        "accompagnement/action_form.html",
        {
            "personne": personne,
            "form": form,
            "domaine_choisi": chefs_de_file.libelle_domaine(code, domaines) if code else "",
            "chef": _chef_affiche(domaines, code),
        },
    )


@lecture_auditee(ActionAccompagnement)
def action_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        ActionAccompagnement.objects.for_user(request.user).select_related("personne"), pk=pk
    )
    if not can_edit_action(request.user, action):
        raise PermissionDenied("Seul le côté qui a enregistré l'action la met à jour.")
    form = MiseAJourActionForm(
        request.POST or None, initial={"statut": action.statut, "resultat": action.resultat}
    )
    if request.method == "POST" and form.is_valid():
        services.mettre_a_jour_action(auteur=request.user, action=action, **form.cleaned_data)
        messages.success(request, "L'action a été mise à jour.")
        return redirect("accompagnement:suivi", pk=action.personne_id)
    return render(
        request,
        "accompagnement/action_modifier.html",
        {
            "action": action,
            "personne": action.personne,
            "form": form,
            "domaine": chefs_de_file.libelle_domaine(action.domaine),
        },
    )


@lecture_auditee(Personne)
def situation_domaine(request: HttpRequest, pk: int, domaine: str) -> HttpResponse:
    personne = _personne(request, pk)
    domaines = chefs_de_file.domaines(chefs_de_file.implantation_de(personne))
    if domaine not in {d.code for d in domaines}:
        raise Http404("Domaine inconnu.")
    if not can_add_action(request.user, personne):
        raise PermissionDenied(
            "Seuls le SPIP et les permanents de la SIAE prescrite notent la situation d'un domaine."
        )
    existante = personne.situations_domaines.filter(domaine=domaine).first()
    form = SituationDomaineForm(
        request.POST or None,
        initial={"statut": existante.statut, "commentaire": existante.commentaire}
        if existante
        else None,
    )
    if request.method == "POST" and form.is_valid():
        services.definir_situation_domaine(
            auteur=request.user, personne=personne, domaine=domaine, **form.cleaned_data
        )
        messages.success(request, "La situation du domaine a été enregistrée.")
        return redirect("accompagnement:suivi", pk=personne.pk)
    return render(
        request,
        "accompagnement/situation_domaine.html",
        {
            "personne": personne,
            "form": form,
            "domaine": chefs_de_file.libelle_domaine(domaine, domaines),
        },
    )


# --- Contacts de la SIAE avec des partenaires --------------------------------------------------


def contacts_partenaires(request: HttpRequest) -> HttpResponse:
    if not can_view_contacts_partenaires(request.user):
        raise PermissionDenied("Cette liste est celle du SPIP : les contacts noués par la SIAE.")
    contacts = (
        ActionAccompagnement.objects.for_user(request.user)
        .contacts_partenaires()
        .filter(cote=Cote.SIAE)
        .select_related("personne", "agent")
    )
    mes_personnes = request.GET.get("mes_personnes") == "1"
    if mes_personnes:
        contacts = contacts.filter(personne__cpip_referent=request.user)
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accompagnement/contacts_partenaires.html",
        {"page": page, "mes_personnes": mes_personnes},
    )


# --- Aménagement de peine -----------------------------------------------------------------------


@lecture_auditee(Personne)
def amenagement_nouveau(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne(request, pk)
    if not can_manage_amenagement(request.user, personne):
        raise PermissionDenied("Le projet d'aménagement de peine est suivi par le SPIP.")
    form = ProjetAmenagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        projet = services.creer_projet_amenagement(
            auteur=request.user, personne=personne, **form.cleaned_data
        )
        messages.success(request, "Le projet d'aménagement a été ouvert.")
        return redirect(projet)
    return render(
        request, "accompagnement/amenagement_nouveau.html", {"personne": personne, "form": form}
    )


@lecture_auditee(ProjetAmenagement)
def amenagement(request: HttpRequest, pk: int) -> HttpResponse:
    projet = get_object_or_404(
        ProjetAmenagement.objects.for_user(request.user).select_related("personne"), pk=pk
    )
    peut_gerer = can_manage_amenagement(request.user, projet.personne)
    peut_contribuer = can_contribute_amenagement(request.user, projet)
    return render(
        request,
        "accompagnement/amenagement.html",
        {
            "projet": projet,
            "personne": projet.personne,
            "elements": list(projet.elements.select_related("auteur")),
            "peut_gerer": peut_gerer,
            "peut_contribuer": peut_contribuer,
            "form_statut": StatutProjetForm(
                initial={"statut": projet.statut, "date_cible": projet.date_cible}
            )
            if peut_gerer
            else None,
            "form_element": ElementAmenagementForm() if peut_contribuer else None,
        },
    )


@lecture_auditee(ProjetAmenagement)
def amenagement_statut(request: HttpRequest, pk: int) -> HttpResponse:
    projet = get_object_or_404(
        ProjetAmenagement.objects.for_user(request.user).select_related("personne"), pk=pk
    )
    if not can_manage_amenagement(request.user, projet.personne):
        raise PermissionDenied("Le projet d'aménagement de peine est suivi par le SPIP.")
    form = StatutProjetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.modifier_projet_amenagement(
            auteur=request.user, projet=projet, **form.cleaned_data
        )
        messages.success(request, "Le projet d'aménagement a été mis à jour.")
        return redirect(projet)
    return render(
        request,
        "accompagnement/formulaire_simple.html",
        {"personne": projet.personne, "form": form, "titre": f"Projet : {projet}"},
    )


@lecture_auditee(ProjetAmenagement)
def element_nouveau(request: HttpRequest, pk: int) -> HttpResponse:
    projet = get_object_or_404(
        ProjetAmenagement.objects.for_user(request.user).select_related("personne"), pk=pk
    )
    if not can_contribute_amenagement(request.user, projet):
        raise PermissionDenied(
            "Seuls le SPIP et les permanents de la SIAE prescrite apportent des éléments."
        )
    form = ElementAmenagementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.apporter_element(auteur=request.user, projet=projet, **form.cleaned_data)
        messages.success(request, "L'élément a été apporté au projet.")
        return redirect(projet)
    return render(
        request,
        "accompagnement/formulaire_simple.html",
        {"personne": projet.personne, "form": form, "titre": f"Apporter un élément : {projet}"},
    )


# --- Liaison avec le JAP : le SPIP seul ; pour tout autre, 404 ----------------------------------


def _personne_jap(request: HttpRequest, pk: int) -> Personne:
    personne = _personne(request, pk)
    if not can_access_jap(request.user, personne):
        raise Http404
    return personne


@lecture_auditee(Personne)
def liaisons_jap(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne_jap(request, pk)
    liaisons = (
        LiaisonJAP.objects.for_user(request.user)
        .filter(personne=personne)
        .select_related("auteur", "projet")
    )
    page = Paginator(liaisons, 50).get_page(request.GET.get("page"))
    return render(request, "accompagnement/liaisons_jap.html", {"personne": personne, "page": page})


@lecture_auditee(Personne)
def liaison_jap_nouvelle(request: HttpRequest, pk: int) -> HttpResponse:
    personne = _personne_jap(request, pk)
    form = LiaisonJAPForm(
        request.POST or None,
        personne=personne,
        initial={"date": timezone.localdate(), "projet": request.GET.get("projet")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            liaison = services.enregistrer_liaison_jap(
                auteur=request.user, personne=personne, **form.cleaned_data
            )
        except ValidationError as erreur:
            _erreurs_dans(form, erreur)
        else:
            messages.success(request, "L'échange avec le JAP a été consigné.")
            return redirect(liaison)
    return render(
        request, "accompagnement/liaison_jap_form.html", {"personne": personne, "form": form}
    )


@lecture_auditee(LiaisonJAP)
def liaison_jap(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_object_or_404(
        LiaisonJAP.objects.for_user(request.user).select_related("personne", "auteur", "projet"),
        pk=pk,
    )
    return render(
        request,
        "accompagnement/liaison_jap.html",
        {
            "liaison": liaison,
            "personne": liaison.personne,
            "elements": list(liaison.elements.select_related("auteur")),
        },
    )


def presentations_jap(request: HttpRequest) -> HttpResponse:
    implantations = implantations_spip(request.user)
    if not implantations.exists():
        raise Http404
    form = PresentationJAPForm(request.POST or None, implantations=implantations)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_presentation_jap(auteur=request.user, **form.cleaned_data)
        messages.success(request, "La présentation de la SIAE au JAP a été consignée.")
        return redirect("accompagnement:presentations_jap")
    presentations = PresentationJAP.objects.for_user(request.user).select_related(
        "implantation__siae", "implantation__etablissement", "creee_par"
    )
    page = Paginator(presentations, 50).get_page(request.GET.get("page"))
    return render(request, "accompagnement/presentations_jap.html", {"page": page, "form": form})
