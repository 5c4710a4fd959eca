"""Pages du parcours côté SIAE (listes, entretien, parcours, livret) et de la sortie (accord
de la personne, passage en milieu ouvert). Chaque vue : lecture dans le périmètre de l'agent
(404 sinon), prédicat (403 avec un message en français), formulaire, un appel de service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from charte_iae.audit import lecture_auditee
from charte_iae.enums import FONCTIONS_SIAE
from parcours import services_siae as services
from parcours.enums import DecisionEntretien, StatutPassage
from parcours.exceptions import TransitionInterdite
from parcours.forms_siae import (
    AccordForm,
    CompetenceForm,
    DecisionEntretienForm,
    DemarcheForm,
    EntretienForm,
    FormationForm,
    ObservationForm,
    ParcoursForm,
    PassageForm,
    PosteForm,
    ProjetForm,
    RemiseForm,
    RenvoiForm,
    SignatureCepForm,
    SortieForm,
    SuspensionForm,
)
from parcours.models import (
    CompetenceLivret,
    DemarcheEngagee,
    EntretienRecrutement,
    FormationSuivie,
    LivretCompetences,
    LivretFige,
    ParcoursIAE,
    PassageMilieuOuvert,
    PosteOccupe,
    Prescription,
)
from parcours.permissions import (
    can_answer_passage,
    can_hand_over,
    can_interview,
    can_manage_parcours,
    can_record_agreement,
    can_view_personne,
    can_write_livret,
    est_cpip_milieu_ouvert,
)

PAR_PAGE = 25

REFUS_LISTES_SIAE = "Ces listes sont réservées aux agents d'une SIAE."
REFUS_LISTE_MO = "Cette liste est réservée aux CPIP de milieu ouvert."

SECTIONS_LIVRET: dict[str, tuple[type[Form], type]] = {
    "competence": (CompetenceForm, CompetenceLivret),
    "poste": (PosteForm, PosteOccupe),
    "formation": (FormationForm, FormationSuivie),
    "demarche": (DemarcheForm, DemarcheEngagee),
}


# --- Outils ------------------------------------------------------------------------------------


def _paginer(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAR_PAGE).get_page(request.GET.get("page"))


def _executer(
    request: HttpRequest, form: Form | None, action: Callable[[], Any], succes: str
) -> bool:
    """Appelle le service ; une règle refusée devient un message ou une erreur de champ,
    jamais une page d'erreur. Vrai si l'action a réussi."""
    try:
        action()
    except (TransitionInterdite, LivretFige) as erreur:
        messages.error(request, str(erreur))
        return False
    except ValidationError as erreur:
        if form is None:
            for texte in erreur.messages:
                messages.error(request, texte)
        elif hasattr(erreur, "error_dict"):
            for champ, liste in erreur.message_dict.items():
                form.add_error(champ if champ in form.fields else None, liste)
        else:
            form.add_error(None, erreur.messages)
        return False
    messages.success(request, succes)
    return True


def _siae_de(request: HttpRequest) -> list[int]:
    return [s.pk for s in request.user.structures_ou(FONCTIONS_SIAE)]


def _parcours_visible(request: HttpRequest, pk: int) -> ParcoursIAE:
    return get_object_or_404(
        ParcoursIAE.objects.for_user(request.user).select_related(
            "personne__etablissement",
            "personne__cpip_referent",
            "implantation__siae",
            "implantation__etablissement",
            "entretien",
            "prescription__orientation",
            "cree_par",
            "sortie_saisie_par",
            "accord_saisi_par",
        ),
        pk=pk,
    )


def _prescription_visible(request: HttpRequest, pk: int) -> Prescription:
    return get_object_or_404(
        Prescription.objects.for_user(request.user).select_related(
            "personne__etablissement", "orientation__avis_par", "implantation__siae"
        ),
        pk=pk,
    )


def _livret_visible(request: HttpRequest, pk: int) -> LivretCompetences:
    return get_object_or_404(
        LivretCompetences.objects.for_user(request.user).select_related(
            "parcours__personne__etablissement",
            "parcours__implantation__siae",
            "finalise_par",
        ),
        pk=pk,
    )


def _exiger(autorise: bool, message: str) -> None:
    if not autorise:
        raise PermissionDenied(message)


# --- Listes de la SIAE -------------------------------------------------------------------------


def a_recevoir(request: HttpRequest) -> HttpResponse:
    """Les personnes prescrites vers ma SIAE qui attendent l'entretien ou la décision, et
    celles retenues dont le parcours reste à enregistrer. L'avis du SPIP est montré aux
    interlocuteurs. (Une personne non retenue sort de la liste : le SPIP revoit l'orientation.)"""
    siae = _siae_de(request)
    _exiger(bool(siae), REFUS_LISTES_SIAE)
    non_retenue = EntretienRecrutement.objects.filter(
        prescription=OuterRef("pk"), decision=DecisionEntretien.NON_RETENU
    )
    liste = (
        Prescription.objects.for_user(request.user)
        .actives()
        .filter(implantation__siae_id__in=siae, parcours_iae__isnull=True)
        .exclude(Exists(non_retenue))
        .annotate(
            retenue=Exists(
                EntretienRecrutement.objects.filter(
                    prescription=OuterRef("pk"), decision=DecisionEntretien.RETENU
                )
            )
        )
        .select_related(
            "personne", "orientation", "implantation__etablissement", "implantation__siae"
        )
        .prefetch_related(
            Prefetch(
                "entretiens",
                queryset=EntretienRecrutement.objects.order_by("-date", "-pk"),
                to_attr="entretiens_listes",
            )
        )
        .order_by("prescrite_le", "pk")
    )
    return render(
        request,
        "parcours/siae/a_recevoir.html",
        {"page": _paginer(request, liste), "onglet": "a_recevoir"},
    )


def _liste_parcours(request: HttpRequest, actifs: bool) -> HttpResponse:
    siae = _siae_de(request)
    _exiger(bool(siae), REFUS_LISTES_SIAE)
    liste = ParcoursIAE.objects.filter(implantation__siae_id__in=siae).select_related(
        "personne", "implantation__siae"
    )
    if actifs:
        liste = liste.actifs().order_by("personne__nom", "personne__prenom", "pk")
    else:
        liste = liste.sortis().order_by("-date_sortie", "-pk")
    return render(
        request,
        "parcours/siae/liste_parcours.html",
        {
            "page": _paginer(request, liste),
            "onglet": "en_parcours" if actifs else "sortis",
            "actifs": actifs,
            "jour": timezone.localdate(),
        },
    )


def en_parcours(request: HttpRequest) -> HttpResponse:
    """Les parcours en cours dans ma SIAE, avec l'alerte de signature du CEP."""
    return _liste_parcours(request, actifs=True)


def sortis(request: HttpRequest) -> HttpResponse:
    """Les parcours terminés de ma SIAE (historique en lecture)."""
    return _liste_parcours(request, actifs=False)


# --- Entretien de recrutement ------------------------------------------------------------------


@lecture_auditee(Prescription)
def entretien_creer(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = _prescription_visible(request, pk)
    _exiger(
        can_interview(request.user, prescription),
        "Seuls les agents de la SIAE prescrite mènent l'entretien de recrutement.",
    )
    form = EntretienForm(
        request.POST or None,
        siae_id=prescription.implantation.siae_id,
        initial={"date": timezone.localdate(), "interlocuteurs": [request.user.pk]},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: services.enregistrer_entretien(
                prescription=prescription, auteur=request.user, **form.cleaned_data
            ),
            "L'entretien est enregistré.",
        )
    ):
        return redirect("parcours_siae:a_recevoir")
    return render(
        request,
        "parcours/siae/entretien_form.html",
        {
            "form": form,
            "prescription": prescription,
            "entretiens": prescription.entretiens.prefetch_related("interlocuteurs"),
        },
    )


@lecture_auditee(EntretienRecrutement)
def entretien_decider(request: HttpRequest, pk: int) -> HttpResponse:
    entretien = get_object_or_404(
        EntretienRecrutement.objects.for_user(request.user).select_related(
            "prescription__implantation__siae",
            "prescription__orientation",
            "personne__etablissement",
        ),
        pk=pk,
    )
    _exiger(
        can_interview(request.user, entretien.prescription),
        "Seuls les agents de la SIAE prescrite décident après l'entretien.",
    )
    form = DecisionEntretienForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: services.decider_entretien(
                entretien=entretien, auteur=request.user, **form.cleaned_data
            ),
            "La décision est enregistrée.",
        )
    ):
        return redirect("parcours_siae:a_recevoir")
    return render(
        request,
        "parcours/siae/entretien_decider.html",
        {"form": form, "entretien": entretien, "prescription": entretien.prescription},
    )


# --- Parcours -----------------------------------------------------------------------------------


@lecture_auditee(Prescription)
def parcours_creer(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = _prescription_visible(request, pk)
    _exiger(
        can_interview(request.user, prescription),
        "Seuls les agents de la SIAE prescrite enregistrent le parcours.",
    )
    form = ParcoursForm(request.POST or None)
    resultat: dict[str, ParcoursIAE] = {}

    def action() -> None:
        resultat["parcours"] = services.commencer_parcours(
            prescription=prescription, auteur=request.user, **form.cleaned_data
        )

    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(request, form, action, "Le parcours est enregistré.")
    ):
        parcours = resultat["parcours"]
        if alerte := parcours.alerte_cep():
            messages.warning(request, alerte)
        return redirect(parcours)
    return render(
        request,
        "parcours/siae/parcours_form.html",
        {"form": form, "prescription": prescription},
    )


@lecture_auditee(ParcoursIAE)
def parcours_detail(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = _parcours_visible(request, pk)
    utilisateur = request.user
    return render(
        request,
        "parcours/siae/parcours_detail.html",
        {
            "parcours": parcours,
            "suspensions": parcours.suspensions.select_related("saisie_par"),
            "livrets": parcours.livrets.prefetch_related("remises"),
            "passages": parcours.passages.select_related("cpip_mo", "designe_par"),
            "alerte_cep": parcours.alerte_cep(),
            "peut_gerer": can_manage_parcours(utilisateur, parcours),
            "peut_ecrire_livret": can_write_livret(utilisateur, parcours),
            "peut_recueillir_accord": can_record_agreement(utilisateur, parcours),
            "peut_passer_relais": can_hand_over(utilisateur, parcours),
            "peut_voir_dossier": can_view_personne(utilisateur, parcours.personne),
        },
    )


def _formulaire_parcours(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[Form],
    autorise: Callable[[Any, ParcoursIAE], bool],
    refus: str,
    service: Callable[..., Any],
    succes: str,
    titre: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """Le schéma commun des petites pages d'action sur un parcours : un formulaire, un service."""
    parcours = _parcours_visible(request, pk)
    _exiger(autorise(request.user, parcours), refus)
    form = form_class(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: service(parcours=parcours, auteur=request.user, **form.cleaned_data),
            succes,
        )
    ):
        return redirect(parcours)
    return render(
        request,
        "parcours/siae/parcours_action.html",
        {"form": form, "parcours": parcours, "titre": titre},
    )


@lecture_auditee(ParcoursIAE)
def parcours_cep(request: HttpRequest, pk: int) -> HttpResponse:
    return _formulaire_parcours(
        request,
        pk,
        form_class=SignatureCepForm,
        autorise=can_manage_parcours,
        refus=services.REFUS_PARCOURS,
        service=services.enregistrer_signature_cep,
        succes="La signature du CEP est enregistrée.",
        titre="Signature du contrat d'emploi pénitentiaire",
    )


@lecture_auditee(ParcoursIAE)
def parcours_suspendre(request: HttpRequest, pk: int) -> HttpResponse:
    return _formulaire_parcours(
        request,
        pk,
        form_class=SuspensionForm,
        autorise=can_manage_parcours,
        refus=services.REFUS_PARCOURS,
        service=services.suspendre_parcours,
        succes="La suspension est enregistrée.",
        titre="Suspendre le parcours",
    )


def _sortie(parcours: ParcoursIAE, auteur: Any, **donnees: Any) -> ParcoursIAE:
    return services.enregistrer_sortie(
        parcours=parcours,
        auteur=auteur,
        date_sortie=donnees["date_sortie"],
        motif=donnees["motif_sortie"],
        situation=donnees["situation_sortie"],
        precision=donnees["sortie_precision"],
    )


@lecture_auditee(ParcoursIAE)
def parcours_sortie(request: HttpRequest, pk: int) -> HttpResponse:
    return _formulaire_parcours(
        request,
        pk,
        form_class=SortieForm,
        autorise=can_manage_parcours,
        refus=services.REFUS_PARCOURS,
        service=_sortie,
        succes="La sortie est enregistrée.",
        titre="Sortie du parcours",
        initial={"date_sortie": timezone.localdate()},
    )


def _accord(parcours: ParcoursIAE, auteur: Any, **donnees: Any) -> ParcoursIAE:
    return services.enregistrer_accord(
        parcours=parcours,
        auteur=auteur,
        accord=donnees["accord"],
        date=donnees["accord_date"],
        modalite=donnees["accord_modalite"],
        precision=donnees["accord_precision"],
    )


@lecture_auditee(ParcoursIAE)
def parcours_accord(request: HttpRequest, pk: int) -> HttpResponse:
    return _formulaire_parcours(
        request,
        pk,
        form_class=AccordForm,
        autorise=can_record_agreement,
        refus="Seuls le SPIP de l'établissement et la SIAE du parcours recueillent cette réponse.",
        service=_accord,
        succes="La réponse de la personne est enregistrée.",
        titre="Suivi par la SIAE après la sortie : réponse de la personne",
    )


# --- Livret de compétences ---------------------------------------------------------------------


def _contenu_livret(livret: LivretCompetences | None) -> dict[str, Any]:
    if livret is None:
        return {"competences": [], "postes": [], "formations": [], "demarches": []}
    return {
        "competences": livret.competences.prefetch_related("observations__auteur"),
        "postes": livret.postes.all(),
        "formations": livret.formations.all(),
        "demarches": livret.demarches.all(),
    }


@lecture_auditee(ParcoursIAE)
def livret(
    request: HttpRequest, pk: int, section: str | None = None, form: Form | None = None
) -> HttpResponse:
    """L'éditeur du livret : le brouillon en cours (créé au premier ajout) et les versions."""
    parcours = _parcours_visible(request, pk)
    peut_ecrire = can_write_livret(request.user, parcours)
    versions = list(parcours.livrets.select_related("finalise_par").prefetch_related("remises"))
    brouillon = next((v for v in versions if not v.est_finalise), None)
    formulaires = {nom: classe() for nom, (classe, _) in SECTIONS_LIVRET.items()}
    if section and form is not None:
        formulaires[section] = form
    return render(
        request,
        "parcours/siae/livret.html",
        {
            "parcours": parcours,
            "brouillon": brouillon,
            "versions": [v for v in versions if v.est_finalise],
            "peut_ecrire": peut_ecrire,
            "formulaires": formulaires if peut_ecrire else {},
            **_contenu_livret(brouillon),
        },
    )


@require_POST
def livret_ajouter(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in SECTIONS_LIVRET:
        raise Http404
    parcours = _parcours_visible(request, pk)
    _exiger(can_write_livret(request.user, parcours), services.REFUS_LIVRET)
    form = SECTIONS_LIVRET[section][0](request.POST)
    if form.is_valid() and _executer(
        request,
        form,
        lambda: services.ajouter_au_livret(
            parcours=parcours, auteur=request.user, element=form.instance
        ),
        "Le livret est enregistré.",
    ):
        return redirect("parcours_siae:livret", pk=parcours.pk)
    return livret(request, pk, section=section, form=form)


@require_POST
def livret_retirer(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    if section not in SECTIONS_LIVRET:
        raise Http404
    modele = SECTIONS_LIVRET[section][1]
    element = get_object_or_404(
        modele.objects.filter(
            livret__in=LivretCompetences.objects.for_user(request.user).values("pk")
        ).select_related("livret__parcours__implantation", "livret__parcours__personne"),
        pk=pk,
    )
    parcours = element.livret.parcours
    _exiger(can_write_livret(request.user, parcours), services.REFUS_LIVRET)
    _executer(
        request,
        None,
        lambda: services.retirer_du_livret(element=element, auteur=request.user),
        "La ligne est retirée du livret.",
    )
    return redirect("parcours_siae:livret", pk=parcours.pk)


@lecture_auditee(CompetenceLivret)
def livret_observer(request: HttpRequest, pk: int) -> HttpResponse:
    competence = get_object_or_404(
        CompetenceLivret.objects.filter(
            livret__in=LivretCompetences.objects.for_user(request.user).values("pk")
        ).select_related("livret__parcours__implantation", "livret__parcours__personne"),
        pk=pk,
    )
    parcours = competence.livret.parcours
    _exiger(can_write_livret(request.user, parcours), services.REFUS_LIVRET)
    form = ObservationForm(
        request.POST or None, initial={"date": timezone.localdate(), "niveau": competence.niveau}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: services.observer_competence(
                competence=competence, auteur=request.user, **form.cleaned_data
            ),
            "L'observation est enregistrée.",
        )
    ):
        return redirect("parcours_siae:livret", pk=parcours.pk)
    return render(
        request,
        "parcours/siae/parcours_action.html",
        {
            "form": form,
            "parcours": parcours,
            "titre": f"Observer la compétence « {competence.intitule} »",
        },
    )


@lecture_auditee(ParcoursIAE)
def livret_projet(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = _parcours_visible(request, pk)
    _exiger(can_write_livret(request.user, parcours), services.REFUS_LIVRET)
    brouillon = parcours.livrets.filter(finalise_le__isnull=True).first()
    form = ProjetForm(
        request.POST or None,
        initial={
            "objectifs": getattr(brouillon, "objectifs", ""),
            "projet_professionnel": getattr(brouillon, "projet_professionnel", ""),
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: services.modifier_projet(
                parcours=parcours, auteur=request.user, **form.cleaned_data
            ),
            "Les objectifs et le projet sont enregistrés.",
        )
    ):
        return redirect("parcours_siae:livret", pk=parcours.pk)
    return render(
        request,
        "parcours/siae/parcours_action.html",
        {"form": form, "parcours": parcours, "titre": "Objectifs et projet professionnel"},
    )


@require_POST
def livret_finaliser(request: HttpRequest, pk: int) -> HttpResponse:
    version = _livret_visible(request, pk)
    _exiger(can_write_livret(request.user, version.parcours), services.REFUS_LIVRET)
    _executer(
        request,
        None,
        lambda: services.finaliser_livret(livret=version, auteur=request.user),
        "Le livret est finalisé : cette version ne changera plus.",
    )
    return redirect("parcours_siae:livret", pk=version.parcours_id)


@require_POST
def livret_corriger(request: HttpRequest, pk: int) -> HttpResponse:
    version = _livret_visible(request, pk)
    _exiger(can_write_livret(request.user, version.parcours), services.REFUS_LIVRET)
    _executer(
        request,
        None,
        lambda: services.corriger_livret(livret=version, auteur=request.user),
        "Une nouvelle version du livret est ouverte, recopiée de la version finalisée.",
    )
    return redirect("parcours_siae:livret", pk=version.parcours_id)


@lecture_auditee(LivretCompetences)
def livret_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = _livret_visible(request, pk)
    parcours = version.parcours
    return render(
        request,
        "parcours/siae/livret_version.html",
        {
            "livret": version,
            "parcours": parcours,
            "remises": version.remises.select_related("saisie_par"),
            "peut_remettre": can_write_livret(request.user, parcours)
            or can_hand_over(request.user, parcours),
            "peut_corriger": can_write_livret(request.user, parcours),
            **_contenu_livret(version),
        },
    )


@lecture_auditee(LivretCompetences)
def livret_remise(request: HttpRequest, pk: int) -> HttpResponse:
    version = _livret_visible(request, pk)
    parcours = version.parcours
    _exiger(
        can_write_livret(request.user, parcours) or can_hand_over(request.user, parcours),
        "Seuls la SIAE qui écrit le livret et le SPIP de l'établissement enregistrent sa remise.",
    )
    form = RemiseForm(request.POST or None, initial={"date": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: services.enregistrer_remise(
                livret=version, auteur=request.user, **form.cleaned_data
            ),
            "La remise est enregistrée.",
        )
    ):
        return redirect("parcours_siae:livret_version", pk=version.pk)
    return render(
        request,
        "parcours/siae/parcours_action.html",
        {
            "form": form,
            "parcours": parcours,
            "titre": f"Remise du livret (version {version.numero})",
        },
    )


# --- Passage en milieu ouvert ------------------------------------------------------------------


@lecture_auditee(ParcoursIAE)
def passage_creer(request: HttpRequest, pk: int) -> HttpResponse:
    parcours = _parcours_visible(request, pk)
    _exiger(can_hand_over(request.user, parcours), services.REFUS_PASSAGE)
    dernier = parcours.livrets.finalises().order_by("-numero").first()
    form = PassageForm(
        request.POST or None,
        cpip_disponibles=services.cpip_milieu_ouvert_disponibles(parcours.personne.etablissement),
        initial={"projet": getattr(dernier, "projet_professionnel", "")},
    )
    resultat: dict[str, PassageMilieuOuvert] = {}

    def action() -> None:
        resultat["passage"] = services.confier_au_milieu_ouvert(
            parcours=parcours, auteur=request.user, **form.cleaned_data
        )

    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(request, form, action, "Le passage est confié au CPIP de milieu ouvert.")
    ):
        return redirect(resultat["passage"])
    return render(
        request,
        "parcours/siae/passage_form.html",
        {"form": form, "parcours": parcours, "livret": dernier},
    )


def _passage_visible(request: HttpRequest, pk: int) -> PassageMilieuOuvert:
    return get_object_or_404(
        PassageMilieuOuvert.objects.for_user(request.user).select_related(
            "personne__etablissement",
            "parcours__implantation__siae",
            "livret",
            "cpip_mo",
            "designe_par",
            "repondu_par",
        ),
        pk=pk,
    )


@lecture_auditee(PassageMilieuOuvert)
def passage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    passage = _passage_visible(request, pk)
    return render(
        request,
        "parcours/siae/passage_detail.html",
        {
            "passage": passage,
            "parcours": passage.parcours,
            "peut_repondre": passage.statut == StatutPassage.EN_ATTENTE
            and can_answer_passage(request.user, passage),
            "renvoi": RenvoiForm(),
            **_contenu_livret(passage.livret),
        },
    )


@require_POST
def passage_accepter(request: HttpRequest, pk: int) -> HttpResponse:
    passage = _passage_visible(request, pk)
    _exiger(can_answer_passage(request.user, passage), services.REFUS_REPONSE)
    _executer(
        request,
        None,
        lambda: services.accepter_passage(passage=passage, auteur=request.user),
        "Vous avez accepté le passage : le dossier vous est ouvert.",
    )
    return redirect(passage)


@lecture_auditee(PassageMilieuOuvert)
def passage_renvoyer(request: HttpRequest, pk: int) -> HttpResponse:
    passage = _passage_visible(request, pk)
    _exiger(can_answer_passage(request.user, passage), services.REFUS_REPONSE)
    form = RenvoiForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _executer(
            request,
            form,
            lambda: services.renvoyer_passage(
                passage=passage, auteur=request.user, motif=form.cleaned_data["motif_renvoi"]
            ),
            "Le passage est renvoyé au CPIP qui l'a confié.",
        )
    ):
        return redirect("parcours_siae:passages_a_recevoir")
    return render(
        request,
        "parcours/siae/parcours_action.html",
        {"form": form, "parcours": passage.parcours, "titre": "Renvoyer le passage"},
    )


def passages_a_recevoir(request: HttpRequest) -> HttpResponse:
    """Les passages en milieu ouvert qui m'attendent."""
    _exiger(est_cpip_milieu_ouvert(request.user), REFUS_LISTE_MO)
    liste = (
        PassageMilieuOuvert.objects.filter(cpip_mo=request.user, statut=StatutPassage.EN_ATTENTE)
        .select_related("personne__etablissement", "parcours", "designe_par", "livret")
        .order_by("designe_le", "pk")
    )
    return render(
        request, "parcours/siae/passages_a_recevoir.html", {"page": _paginer(request, liste)}
    )
