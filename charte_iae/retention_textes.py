"""Effacer les textes libres d'un dossier périmé en gardant ses lignes (les statistiques
comptent les actions, entretiens, échanges, passages : elles restent justes)."""

from __future__ import annotations

from django.db import models

from charte_iae import audit
from charte_iae.models import ActionAudit
from charte_iae.retention import ContexteRetention

ANONYMISE = "(anonymisé)"


def effacer_textes(
    ctx: ContexteRetention,
    queryset: models.QuerySet,
    valeurs: dict[str, str],
    libelle: str,
    *,
    malgre_immuabilite: bool = False,
) -> None:
    """Remplace les champs ``valeurs`` des lignes de ``queryset`` qui ne le sont pas déjà
    (idempotent) ; chaque ligne modifiée est journalisée (écriture en masse, sans signal)."""
    a_effacer = queryset.exclude(**valeurs)
    ids = list(a_effacer.values_list("pk", flat=True))
    ctx.compter(libelle, len(ids))
    if ctx.essai or not ids:
        return
    lignes = queryset.model._default_manager.filter(pk__in=ids)
    if malgre_immuabilite:
        # L'effacement légal prime sur l'immuabilité (livret finalisé) : la mise à jour de base,
        # sans le refus du gestionnaire du modèle.
        models.QuerySet.update(lignes, **valeurs)
    else:
        lignes.update(**valeurs)
    for objet in queryset.model._default_manager.filter(pk__in=ids).only("pk"):
        audit.journaliser_ecriture(ActionAudit.MODIFICATION, objet)
