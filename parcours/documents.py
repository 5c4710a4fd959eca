"""Documents imprimés du parcours : la liste d'une CPU (personnes examinées, avec l'avis du
SPIP) et la fiche de présentation de chaque personne examinée. Seul le SPIP de milieu fermé
de l'établissement les imprime (le périmètre des séances de CPU)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.text import slugify

from charte_iae.documents import DocumentPrepare, TypeDocument, enregistrer
from charte_iae.enums import Milieu, TypeStructure
from charte_iae.models import Structure, Utilisateur
from parcours.models import ExamenCPU, SessionCPU

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
