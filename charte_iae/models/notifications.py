"""Le noyau des notifications : un message à un agent, sans donnée personnelle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet["Notification"]):
    def non_lues(self) -> NotificationQuerySet:
        return self.filter(lue_le__isnull=True)


class Notification(models.Model):
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    texte = models.CharField(
        "texte",
        max_length=255,
        help_text="Jamais de nom ni de situation d'une personne : seulement ce qui attend.",
    )
    lien = models.CharField("lien", max_length=500, blank=True)
    evenement = models.CharField("événement", max_length=50, blank=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now, db_index=True)
    lue_le = models.DateTimeField("lue le", null=True, blank=True)
    courriel_envoye_le = models.DateTimeField(
        "e-mail envoyé le",
        null=True,
        blank=True,
        editable=False,
        help_text="Vide tant qu'aucun e-mail n'a été envoyé (ou si l'agent n'en veut pas).",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-creee_le", "-pk"]
        indexes = [
            models.Index(
                fields=["destinataire", "creee_le"],
                name="notif_non_lue_idx",
                condition=models.Q(lue_le__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.texte

    @property
    def lue(self) -> bool:
        return self.lue_le is not None

    def marquer_lue(self) -> None:
        if self.lue_le is None:
            self.lue_le = timezone.now()
            self.save(update_fields=["lue_le"])

    marquer_lue.alters_data = True  # type: ignore[attr-defined]


class PreferenceNotificationQuerySet(models.QuerySet["PreferenceNotification"]):
    def par_courriel(self) -> PreferenceNotificationQuerySet:
        return self.filter(par_courriel=True)


class PreferenceNotification(models.Model):
    """Ce que l'agent veut recevoir en plus de la notification dans l'application.
    Sans ligne, pas d'e-mail : l'e-mail est un choix de l'agent."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="preference_notification",
    )
    par_courriel = models.BooleanField(
        "recevoir aussi un e-mail",
        default=False,
        help_text=(
            "Un e-mail vous signale qu'un élément vous attend, avec un lien. Il ne contient "
            "jamais le nom ni la situation d'une personne."
        ),
    )
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now)

    objects = PreferenceNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self) -> str:
        return f"Préférences de {self.utilisateur}"
