"""Le journal d'audit : qui a lu ou écrit quel objet, quand, dans quelle requête.

Aucune valeur personnelle n'y entre : un type d'objet (``app.modele``), un identifiant, une
action, un horodatage UTC, l'agent et l'identifiant de requête. Le journal est en ajout seul :
le modèle refuse toute modification ou suppression (SQLite comme PostgreSQL) et, sur PostgreSQL,
un déclencheur posé par la migration refuse UPDATE et DELETE — sauf pour la purge des entrées
de plus de 12 mois, qui seule positionne ``charte.purge`` dans sa transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone


class JournalInalterable(Exception):
    """Une entrée du journal d'audit ne se modifie ni ne se supprime."""


class ActionAudit(models.TextChoices):
    LECTURE = "lecture", "Lecture"
    CREATION = "creation", "Création"
    MODIFICATION = "modification", "Modification"
    SUPPRESSION = "suppression", "Suppression"
    EXPORT = "export", "Export"
    IMPRESSION = "impression", "Impression"
    CONNEXION = "connexion", "Connexion"
    DECONNEXION = "deconnexion", "Déconnexion"


ACTIONS_ECRITURE = frozenset(
    {ActionAudit.CREATION, ActionAudit.MODIFICATION, ActionAudit.SUPPRESSION}
)


class EntreeAuditQuerySet(models.QuerySet["EntreeAudit"]):
    def update(self, **kwargs: Any) -> int:
        raise JournalInalterable("Le journal d'audit est en ajout seul.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise JournalInalterable(
            "Le journal d'audit est en ajout seul : seule la purge de conservation supprime."
        )

    def sur(self, objet: models.Model) -> EntreeAuditQuerySet:
        return self.filter(type_objet=objet._meta.label_lower, objet_id=str(objet.pk))

    def anterieures_a(self, limite: datetime.datetime) -> EntreeAuditQuerySet:
        return self.filter(horodatage__lt=limite)

    def purger(self) -> int:
        """Supprime les entrées de ce queryset. Réservé à la commande de conservation : sur
        PostgreSQL, seule une transaction qui a positionné ``charte.purge`` passe le déclencheur."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as curseur:
                    curseur.execute("SET LOCAL charte.purge = 'on'")
            nombre = self._raw_delete(self.db)
            if connection.vendor == "postgresql":
                with connection.cursor() as curseur:
                    curseur.execute("SET LOCAL charte.purge = 'off'")
        return nombre


class EntreeAudit(models.Model):
    horodatage = models.DateTimeField("horodatage (UTC)", default=timezone.now, db_index=True)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Vide pour une écriture hors requête (commande, tâche de fond).",
    )
    action = models.CharField("action", max_length=20, choices=ActionAudit.choices)
    type_objet = models.CharField("type d'objet", max_length=100)
    objet_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    id_requete = models.CharField("identifiant de requête", max_length=64, blank=True)

    objects = EntreeAuditQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-horodatage", "-pk"]
        indexes = [models.Index(fields=["type_objet", "objet_id", "horodatage"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.type_objet} n° {self.objet_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise JournalInalterable("Une entrée du journal d'audit ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise JournalInalterable("Une entrée du journal d'audit ne se supprime pas.")
