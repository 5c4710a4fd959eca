"""Documents imprimés du parcours :

- la liste d'une CPU (personnes examinées, avec l'avis du SPIP) et la fiche de présentation de
  chaque personne examinée : seul le SPIP de milieu fermé de l'établissement les imprime ;
- le livret de compétences d'une version finalisée : l'imprime qui voit le livret (SIAE,
  SPIP, CPIP de milieu ouvert après le passage) ;
- la synthèse de passage en milieu ouvert : l'imprime qui voit le passage."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from charte_iae.documents import DocumentPrepare, TypeDocument, enregistrer
from charte_iae.enums import Milieu, TypeStructure
from charte_iae.models import Structure, Utilisateur
from parcours.enums import CategorieCompetence, NiveauCompetence
from parcours.models import (
    ExamenCPU,
    LivretCompetences,
    ObservationCompetence,
    ParcoursIAE,
    PassageMilieuOuvert,
    SessionCPU,
)

MENTION_CPU = "Confidentiel — usage interne de la CPU"


def examens_cpu_imprimables(utilisateur: Utilisateur) -> models.QuerySet[ExamenCPU]:
    """Les personnes examinées en CPU que l'agent peut imprimer : celles des séances de son
    établissement (SPIP de milieu fermé) dont il voit le dossier."""
    return (
        ExamenCPU.objects.for_user(utilisateur)
        .filter(session__in=SessionCPU.objects.for_user(utilisateur))
        .select_related(
            "session__etablissement",
            "personne",
            "orientation__signalee_par",
            "orientation__avis_par",
            "demande_classement",
            "avis_cpu_par",
            "decision_saisie_par",
        )
        .order_by("session__date", "session_id", "personne__nom", "personne__prenom", "pk")
    )


def _spip(session: SessionCPU) -> str:
    noms = Structure.objects.filter(
        type=TypeStructure.SPIP, milieu=Milieu.FERME, etablissement_id=session.etablissement_id
    ).values_list("nom", flat=True)
    return ", ".join(noms)


def preparer_liste_cpu(session: SessionCPU, examens: Iterable[ExamenCPU]) -> DocumentPrepare:
    """La liste des personnes examinées à une séance (celles du périmètre de l'agent)."""
    return DocumentPrepare(
        gabarit="impression/liste_cpu.html",
        contexte={
            "session": session,
            "examens": list(examens),
            "spip": _spip(session),
            "mention": MENTION_CPU,
        },
        nom_fichier=f"cpu-{session.date:%Y-%m-%d}-{slugify(session.etablissement.nom)}.pdf",
    )


def preparer_fiche_cpu(examen: ExamenCPU) -> DocumentPrepare:
    """La fiche de présentation d'une personne examinée en CPU."""
    return DocumentPrepare(
        gabarit="impression/fiche_cpu.html",
        contexte={"examen": examen, "session": examen.session, "mention": MENTION_CPU},
        nom_fichier=(
            f"cpu-{examen.session.date:%Y-%m-%d}-fiche-{slugify(examen.personne.numero_ecrou)}.pdf"
        ),
    )


def preparer_documents_cpu(examens: list[ExamenCPU]) -> list[DocumentPrepare]:
    """Pour chaque séance : sa liste, puis la fiche de chaque personne examinée."""
    par_session: dict[int, list[ExamenCPU]] = {}
    for examen in examens:
        par_session.setdefault(examen.session_id, []).append(examen)
    prepares = []
    for examens_session in par_session.values():
        prepares.append(preparer_liste_cpu(examens_session[0].session, examens_session))
        prepares += [preparer_fiche_cpu(examen) for examen in examens_session]
    return prepares


DOCUMENTS_CPU = enregistrer(
    TypeDocument(
        code="documents_cpu",
        libelle="Documents de la CPU (liste et fiches des personnes examinées)",
        objets_imprimables=examens_cpu_imprimables,
        preparer=preparer_fiche_cpu,
        preparer_ensemble=preparer_documents_cpu,
    )
)


# --- Livret de compétences et synthèse de passage -------------------------------------------

FAMILLES = {
    CategorieCompetence.SAVOIR_ETRE: "Savoir-être",
    CategorieCompetence.TECHNIQUE: "Compétences techniques",
}


def livrets_imprimables(utilisateur: Utilisateur) -> models.QuerySet[LivretCompetences]:
    """Les versions finalisées des livrets que l'agent voit (une version en cours ne
    s'imprime pas : elle peut encore changer)."""
    return (
        LivretCompetences.objects.for_user(utilisateur)
        .finalises()
        .select_related(
            "parcours__personne",
            "parcours__implantation__siae",
            "parcours__implantation__spip",
            "parcours__implantation__etablissement",
            "finalise_par",
        )
    )


def _contenu_livret(livret: LivretCompetences) -> dict[str, Any]:
    competences = list(
        livret.competences.prefetch_related(
            Prefetch(
                "observations",
                queryset=ObservationCompetence.objects.select_related("auteur").order_by(
                    "date", "pk"
                ),
            )
        )
    )
    familles = [
        (libelle, [c for c in competences if c.categorie == code])
        for code, libelle in FAMILLES.items()
    ]
    return {
        "familles": [(libelle, liste) for libelle, liste in familles if liste],
        "nombre_competences": len(competences),
        "postes": list(livret.postes.all()),
        "formations": list(livret.formations.all()),
        "demarches": list(livret.demarches.all()),
    }


def preparer_livret(livret: LivretCompetences) -> DocumentPrepare:
    """Le livret d'une version finalisée : identité, parcours, compétences par famille avec
    leur niveau, démarches et contacts, objectifs et projet, signatures."""
    parcours = livret.parcours
    return DocumentPrepare(
        gabarit="impression/livret.html",
        contexte={
            "livret": livret,
            "parcours": parcours,
            "personne": parcours.personne,
            "implantation": parcours.implantation,
            "remises": list(livret.remises.all()),
            "niveaux": NiveauCompetence.choices,
            "mention": f"Version {livret.numero} finalisée le "
            f"{timezone.localtime(livret.finalise_le):%d/%m/%Y}",
            **_contenu_livret(livret),
        },
        nom_fichier=(
            f"livret-{slugify(parcours.personne.nom)}-{slugify(parcours.personne.prenom)}"
            f"-v{livret.numero}.pdf"
        ),
    )


LIVRET = enregistrer(
    TypeDocument(
        code="livret",
        libelle="Livret de compétences",
        objets_imprimables=livrets_imprimables,
        preparer=preparer_livret,
    )
)


def derniers_livrets_de_la_siae(utilisateur: Utilisateur, siae_ids: Iterable[int]) -> list[int]:
    """La dernière version finalisée du livret de chaque parcours de ces SIAE, dans le
    périmètre de l'agent."""
    derniers: dict[int, int] = {}
    for parcours_id, livret_id in (
        livrets_imprimables(utilisateur)
        .filter(parcours__implantation__siae_id__in=list(siae_ids))
        .order_by("parcours_id", "-numero")
        .values_list("parcours_id", "pk")
    ):
        derniers.setdefault(parcours_id, livret_id)
    return list(derniers.values())


def passages_imprimables(utilisateur: Utilisateur) -> models.QuerySet[PassageMilieuOuvert]:
    return PassageMilieuOuvert.objects.for_user(utilisateur).select_related(
        "personne",
        "parcours__implantation__siae",
        "parcours__implantation__spip",
        "parcours__implantation__etablissement",
        "livret__finalise_par",
        "cpip_mo",
        "designe_par",
        "repondu_par",
    )


def preparer_synthese_passage(passage: PassageMilieuOuvert) -> DocumentPrepare:
    """La synthèse remise au CPIP de milieu ouvert : parcours, projet, résumé du livret
    transmis, contacts pris et interlocuteurs."""
    parcours: ParcoursIAE = passage.parcours
    contexte: dict[str, Any] = {
        "passage": passage,
        "parcours": parcours,
        "personne": passage.personne,
        "implantation": parcours.implantation,
        "suspensions": list(parcours.suspensions.all()),
        "mention": "Synthèse de passage en milieu ouvert",
        "livret": passage.livret,
    }
    if passage.livret is not None:
        contexte |= _contenu_livret(passage.livret)
    return DocumentPrepare(
        gabarit="impression/synthese_passage.html",
        contexte=contexte,
        nom_fichier=(
            f"synthese-passage-{slugify(passage.personne.nom)}-"
            f"{slugify(passage.personne.prenom)}.pdf"
        ),
    )


SYNTHESE_PASSAGE = enregistrer(
    TypeDocument(
        code="synthese_passage",
        libelle="Synthèse de passage en milieu ouvert",
        objets_imprimables=passages_imprimables,
        preparer=preparer_synthese_passage,
    )
)
