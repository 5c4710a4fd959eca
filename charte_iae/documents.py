"""Les documents imprimables et leurs lots produits en tâche de fond.

Chaque application déclare ses types de documents (livret, synthèse de passage, liste de CPU…)
avec ``enregistrer`` : quels objets un agent peut imprimer (toujours un queryset restreint à
son périmètre, revérifié au moment de produire) et comment préparer le document d'un objet.
``demander_lot`` crée le lot et le confie à la file de tâches après validation de la
transaction ; ``produire_lot`` rend chaque document dans un processus borné et assemble un PDF
(un seul document) ou une archive ZIP.
"""

from __future__ import annotations

import io
import logging
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.text import slugify

from charte_iae import pdf
from charte_iae.charte import ContenuVersion
from charte_iae.models import (
    Implantation,
    LotImpression,
    StatutLot,
    StatutVersion,
    Utilisateur,
    VersionCharte,
)
from charte_iae.notifications import notifier
from charte_iae.permissions import chartes_visibles, versions_visibles

journal = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentPrepare:
    gabarit: str
    contexte: dict[str, Any]
    nom_fichier: str


@dataclass(frozen=True)
class TypeDocument:
    code: str
    libelle: str
    objets_imprimables: Callable[[Utilisateur], models.QuerySet]
    preparer: Callable[[Any], DocumentPrepare]
    # Facultatif : les documents d'un lot préparés ensemble, à partir des seuls objets du
    # périmètre revérifié (ex. la liste d'une CPU suivie de la fiche de chaque personne).
    preparer_ensemble: Callable[[list[Any]], list[DocumentPrepare]] | None = None


_types: dict[str, TypeDocument] = {}


def enregistrer(type_document: TypeDocument) -> TypeDocument:
    _types[type_document.code] = type_document
    return type_document


def type_document(code: str) -> TypeDocument:
    try:
        return _types[code]
    except KeyError:
        raise LookupError(f"Type de document inconnu : {code}") from None


class LotVide(Exception):
    """Aucun des objets demandés n'est imprimable par cet agent."""


@transaction.atomic
def demander_lot(
    *, demandeur: Utilisateur, code: str, ids: Sequence[int], libelle: str
) -> LotImpression:
    """Crée un lot pour les objets que l'agent peut imprimer, et le met en file."""
    genre = type_document(code)
    autorises = list(
        genre.objets_imprimables(demandeur).filter(pk__in=list(ids)).values_list("pk", flat=True)
    )
    if not autorises:
        raise LotVide("Aucun document à imprimer dans votre périmètre.")
    lot = LotImpression(
        demandeur=demandeur, type_document=code, objets=sorted(autorises), libelle=libelle[:200]
    )
    lot.full_clean()
    lot.save()
    transaction.on_commit(lambda: produire_lot.enqueue(lot.pk))
    return lot


@task
def produire_lot(lot_id: int) -> None:
    """Produit les documents d'un lot (dans le processus de tâches de fond)."""
    with transaction.atomic():
        lot = LotImpression.objects.select_for_update().select_related("demandeur").get(pk=lot_id)
        if lot.statut != StatutLot.EN_ATTENTE:
            return
        lot.statut = StatutLot.EN_COURS
        lot.save(update_fields=["statut"])
    genre = type_document(lot.type_document)
    # Le périmètre est revérifié ici : un droit retiré entre-temps retire le document.
    objets = list(genre.objets_imprimables(lot.demandeur).filter(pk__in=lot.objets))
    if genre.preparer_ensemble is not None:
        prepares = genre.preparer_ensemble(objets) if objets else []
    else:
        prepares = [genre.preparer(objet) for objet in objets]
    try:
        documents = []
        for prepare in prepares:
            documents.append(
                (prepare.nom_fichier, pdf.rendre_document(prepare.gabarit, prepare.contexte))
            )
    except pdf.RenduPDFImpossible as erreur:
        _terminer_en_echec(lot, str(erreur))
        return
    if not documents:
        _terminer_en_echec(lot, "Plus aucun document n'est imprimable dans votre périmètre.")
        return
    if len(documents) == 1:
        nom, contenu = documents[0]
    else:
        tampon = io.BytesIO()
        with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
            for nom_doc, contenu_doc in documents:
                archive.writestr(nom_doc, contenu_doc)
        nom = f"{slugify(lot.libelle) or 'documents'}.zip"
        contenu = tampon.getvalue()
    with transaction.atomic():
        lot.fichier.save(f"{uuid.uuid4().hex}-{nom}", ContentFile(contenu), save=False)
        lot.nom_fichier = nom
        lot.nombre_documents = len(documents)
        lot.statut = StatutLot.TERMINE
        lot.termine_le = timezone.now()
        lot.save(
            update_fields=["fichier", "nom_fichier", "nombre_documents", "statut", "termine_le"]
        )
        notifier(
            destinataires=[lot.demandeur],
            texte="Vos documents à imprimer sont prêts.",
            lien=f"/impressions/{lot.pk}/",
            evenement="lot_impression",
        )


def _terminer_en_echec(lot: LotImpression, raison: str) -> None:
    journal.warning("Lot d'impression %s en échec : %s", lot.pk, raison)
    lot.statut = StatutLot.ECHEC
    lot.erreur = raison[:500]
    lot.termine_le = timezone.now()
    lot.save(update_fields=["statut", "erreur", "termine_le"])


# --- Documents du noyau -------------------------------------------------------------------


def _implantations_imprimables(utilisateur: Utilisateur) -> models.QuerySet:
    return Implantation.objects.filter(charte__in=chartes_visibles(utilisateur)).select_related(
        "spip", "siae", "etablissement"
    )


def _preparer_notice(implantation: Implantation) -> DocumentPrepare:
    return DocumentPrepare(
        gabarit="impression/notice_information.html",
        contexte={"implantation": implantation},
        nom_fichier=f"notice-information-{slugify(implantation.siae.nom)}.pdf",
    )


NOTICE_INFORMATION = enregistrer(
    TypeDocument(
        code="notice_information",
        libelle="Notice d'information de la personne",
        objets_imprimables=_implantations_imprimables,
        preparer=_preparer_notice,
    )
)


# La mention portée en tête de chaque page : on ne confond pas un projet avec la charte signée.
MENTION_VERSION = {
    StatutVersion.BROUILLON: "PROJET — non approuvé",
    StatutVersion.SOUMISE: "PROJET — soumis, non approuvé",
    StatutVersion.EN_VIGUEUR: "Version en vigueur",
    StatutVersion.REMPLACEE: "Version remplacée — ne plus appliquer",
}


def _versions_imprimables(utilisateur: Utilisateur) -> models.QuerySet:
    return versions_visibles(utilisateur).select_related(
        "charte__implantation__spip",
        "charte__implantation__siae",
        "charte__implantation__etablissement",
        "approuvee_spip_par",
        "approuvee_siae_par",
    )


def _preparer_charte(version: VersionCharte) -> DocumentPrepare:
    implantation = version.charte.implantation
    return DocumentPrepare(
        gabarit="impression/charte.html",
        contexte={
            "charte": version.charte,
            "implantation": implantation,
            "version": version,
            "mention": MENTION_VERSION[StatutVersion(version.statut)],
            "articles": ContenuVersion(version).assembler(),
        },
        nom_fichier=f"charte-{slugify(implantation.siae.nom)}-version-{version.numero}.pdf",
    )


CHARTE = enregistrer(
    TypeDocument(
        code="charte",
        libelle="Charte de partenariat SPIP / SIAE",
        objets_imprimables=_versions_imprimables,
        preparer=_preparer_charte,
    )
)
