"""Les sections de la page d'accueil que le parcours apporte, par profil (registre
``charte_iae.tableaux``) : le portefeuille du CPIP trié par urgence, les personnes prescrites
vers la SIAE, l'équipe et les chiffres de l'encadrement, les orientations d'un orienteur, les
chiffres sans nom d'une DISP. Chaque section a un nombre de requêtes constant (pagination,
annotations, préchargements)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from charte_iae import tableaux
from charte_iae.enums import FONCTIONS_ADMIN_SPIP, FONCTIONS_SIAE, Fonction
from charte_iae.models import Affectation, Etablissement
from charte_iae.roles import Profil
from parcours import eligibilite
from parcours.enums import TypeAlerte
from parcours.forms_pilotage import ETAPES_PORTEFEUILLE, FiltrePortefeuilleForm
from parcours.models import (
    Alerte,
    LivretCompetences,
    Orientation,
    ParcoursIAE,
    Personne,
    Prescription,
)
from parcours.permissions import can_view_statistiques, etablissements_pilotes

PAR_PAGE = 20
LIBELLES_ETAPES = dict(ETAPES_PORTEFEUILLE)


def _alertes_actives(prefixe: str = "") -> Prefetch:
    return Prefetch(
        f"{prefixe}alertes",
        queryset=Alerte.objects.actives().order_by("echeance", "pk"),
        to_attr="alertes_actives",
    )


def _etape() -> Case:
    """L'étape du parcours, en SQL (pour filtrer et afficher sans requête par ligne)."""
    pour_la_personne = {"personne": OuterRef("pk")}
    return Case(
        When(
            Exists(Prescription.objects.actives().filter(**pour_la_personne)),
            then=Value("prescrite"),
        ),
        When(
            Exists(
                Orientation.objects.ouvertes().filter(avis_le__isnull=False, **pour_la_personne)
            ),
            then=Value("avis_donne"),
        ),
        When(
            Exists(Orientation.objects.en_attente_avis().filter(**pour_la_personne)),
            then=Value("attente_avis"),
        ),
        default=Value("sans_orientation"),
    )


@tableaux.section(Profil.CPIP, gabarit="parcours/accueil/_portefeuille.html", ordre=10)
def portefeuille(request: HttpRequest) -> dict[str, Any]:
    """Mes personnes (CPIP référent) : celles dont l'échéance d'alerte est la plus proche
    d'abord, puis par date de libération prévisible ; filtre par alerte et par étape."""
    filtre = FiltrePortefeuilleForm(request.GET or None)
    actives = Alerte.objects.actives().filter(personne=OuterRef("pk"))
    liste = (
        Personne.objects.for_user(request.user)
        .filter(cpip_referent=request.user)
        .annotate(
            etape=_etape(),
            prochaine_echeance=Subquery(actives.order_by("echeance").values("echeance")[:1]),
        )
    )
    if filtre.is_valid():
        alerte, etape = filtre.cleaned_data["alerte"], filtre.cleaned_data["etape"]
        if alerte == "avec":
            liste = liste.filter(prochaine_echeance__isnull=False)
        elif alerte:
            liste = liste.filter(Exists(actives.filter(type=alerte)))
        if etape:
            liste = liste.filter(etape=etape)
    liste = liste.order_by(
        F("prochaine_echeance").asc(nulls_last=True),
        F("date_liberation_previsible").asc(nulls_last=True),
        "nom",
        "prenom",
        "pk",
    ).prefetch_related(_alertes_actives())
    page = Paginator(liste, PAR_PAGE).get_page(request.GET.get("page"))
    jour = timezone.localdate()
    lignes = [
        {
            "personne": p,
            "reliquat": (
                eligibilite.reliquat(p.date_liberation_previsible, jour)
                if p.date_liberation_previsible
                else None
            ),
            "etape": LIBELLES_ETAPES[p.etape],
        }
        for p in page
    ]
    return {"page": page, "lignes": lignes, "filtre": filtre}


@tableaux.section(
    Profil.SIAE, Profil.DIRECTION_SIAE, gabarit="parcours/accueil/_prescrites.html", ordre=20
)
def prescrites_vers_la_siae(request: HttpRequest) -> dict[str, Any]:
    """Les personnes prescrites vers ma SIAE (prescription active), les plus anciennes d'abord :
    elles attendent l'entretien de recrutement ou sont en parcours."""
    siae = [s.pk for s in request.user.structures_ou(FONCTIONS_SIAE)]
    liste = (
        Prescription.objects.for_user(request.user)
        .actives()
        .filter(implantation__siae_id__in=siae)
        .select_related("personne", "implantation__etablissement")
        .prefetch_related(_alertes_actives("personne__"))
        .order_by("prescrite_le", "pk")
    )
    page = Paginator(liste, PAR_PAGE).get_page(request.GET.get("page"))
    jour = timezone.localdate()
    lignes = [
        {"prescription": p, "attente_jours": (jour - timezone.localdate(p.prescrite_le)).days}
        for p in page
    ]
    return {"page": page, "lignes": lignes}


@tableaux.section(Profil.SIAE, gabarit="parcours/accueil/_livrets.html", ordre=30)
def livrets_a_finaliser(request: HttpRequest) -> dict[str, Any]:
    """Les parcours en cours de ma SIAE sans version finalisée du livret de compétences, les
    libérations prévisibles les plus proches d'abord (le livret est remis à la sortie)."""
    siae = [s.pk for s in request.user.structures_ou(FONCTIONS_SIAE)]
    du_parcours = {"parcours": OuterRef("pk")}
    liste = (
        ParcoursIAE.objects.for_user(request.user)
        .actifs()
        .filter(implantation__siae_id__in=siae)
        .exclude(Exists(LivretCompetences.objects.finalises().filter(**du_parcours)))
        .annotate(
            brouillon_modifie_le=Subquery(
                LivretCompetences.objects.filter(finalise_le__isnull=True, **du_parcours).values(
                    "modifie_le"
                )[:1]
            )
        )
        .select_related("personne")
        .order_by(
            F("personne__date_liberation_previsible").asc(nulls_last=True), "date_debut", "pk"
        )
    )
    page = Paginator(liste, PAR_PAGE).get_page(request.GET.get("livrets"))
    jour = timezone.localdate()
    proche = jour + datetime.timedelta(days=settings.ALERTES_LIVRET_JOURS)
    lignes = [
        {
            "parcours": p,
            "proche": bool(
                p.personne.date_liberation_previsible
                and p.personne.date_liberation_previsible <= proche
            ),
        }
        for p in page
    ]
    return {"page": page, "lignes": lignes}


def _chiffres(etablissement_ids: set[int]) -> dict[str, Any]:
    """Les chiffres du moment dans ces établissements (trois requêtes, aucun nom)."""
    orientations = Orientation.objects.filter(
        personne__etablissement_id__in=etablissement_ids
    ).aggregate(
        attente_avis=Count("pk", filter=Q(avis_le__isnull=True, cloturee_le__isnull=True)),
        ouvertes=Count("pk", filter=Q(cloturee_le__isnull=True)),
    )
    prescriptions = (
        Prescription.objects.actives()
        .filter(personne__etablissement_id__in=etablissement_ids)
        .count()
    )
    par_type = dict(
        Alerte.objects.actives()
        .filter(personne__etablissement_id__in=etablissement_ids)
        .values("type")
        .annotate(n=Count("pk"))
        .values_list("type", "n")
        .order_by()
    )
    return {
        "orientations_ouvertes": orientations["ouvertes"],
        "attente_avis": orientations["attente_avis"],
        "prescriptions_actives": prescriptions,
        "alertes": [(libelle, par_type[v]) for v, libelle in TypeAlerte.choices if v in par_type],
    }


@tableaux.section(
    Profil.ADMIN_SPIP, Profil.DIRECTION_SIAE, gabarit="parcours/accueil/_encadrement.html", ordre=10
)
def equipe_et_chiffres(request: HttpRequest) -> dict[str, Any]:
    """L'équipe de ma structure (affectations actives) et les chiffres de mes établissements."""
    fonctions = FONCTIONS_ADMIN_SPIP | {Fonction.DIRECTION_SIAE}
    structures = [s.pk for s in request.user.structures_ou(fonctions)]
    equipe = (
        Affectation.objects.actives()
        .filter(structure_id__in=structures)
        .select_related("utilisateur", "structure")
        .order_by("structure__nom", "utilisateur__nom", "utilisateur__prenom", "pk")
    )
    etablissements = etablissements_pilotes(request.user)
    return {
        "equipe": equipe,
        "chiffres": _chiffres(etablissements),
        "lien_statistiques": reverse("parcours:statistiques") if etablissements else "",
    }


@tableaux.section(Profil.ORIENTEUR, gabarit="parcours/accueil/_mes_orientations.html", ordre=10)
def mes_orientations(request: HttpRequest) -> dict[str, Any]:
    """Les orientations que j'ai signalées et leur issue, les plus récentes d'abord."""
    liste = (
        Orientation.objects.for_user(request.user)
        .filter(signalee_par=request.user)
        .select_related("personne", "prescription")
        .order_by("-signalee_le", "-pk")
    )
    return {"page": Paginator(liste, PAR_PAGE).get_page(request.GET.get("page"))}


@tableaux.section(Profil.ADMIN, gabarit="parcours/accueil/_disp.html", ordre=10)
def chiffres_par_etablissement(request: HttpRequest) -> dict[str, Any] | None:
    """Pour une DISP (ou l'administration nationale) : des chiffres par établissement, jamais
    de nom ; le détail est dans les statistiques de pilotage."""
    if not can_view_statistiques(request.user):
        return None
    ids = etablissements_pilotes(request.user)
    ouvertes = Exists(Orientation.objects.ouvertes().filter(personne=OuterRef("pk")))
    prescrites = Exists(Prescription.objects.actives().filter(personne=OuterRef("pk")))
    compte = {
        ligne["etablissement_id"]: ligne
        for ligne in Personne.objects.filter(etablissement_id__in=ids)
        .values("etablissement_id")
        .annotate(
            orientees=Count("pk", filter=ouvertes),
            prescrites=Count("pk", filter=prescrites),
        )
        .order_by()
    }
    etablissements = Etablissement.objects.filter(pk__in=ids).order_by("nom")
    lignes = [
        {
            "etablissement": e,
            "orientees": compte.get(e.pk, {}).get("orientees", 0),
            "prescrites": compte.get(e.pk, {}).get("prescrites", 0),
        }
        for e in etablissements
    ]
    return {"lignes": lignes, "lien_statistiques": reverse("parcours:statistiques")}
