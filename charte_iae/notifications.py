"""Le noyau des notifications : la seule fonction que les applications appellent pour
prévenir un agent. Le texte ne contient jamais le nom ni la situation d'une personne.

L'agent qui l'a choisi (``PreferenceNotification.par_courriel``) reçoit en plus un e-mail,
envoyé en tâche de fond après la validation de la transaction : cet e-mail dit seulement
qu'un élément attend, avec un lien vers le centre de notifications — jamais le texte de la
notification, ni un nom, ni une situation."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from charte_iae.models import Notification, PreferenceNotification, Utilisateur

journal = logging.getLogger(__name__)

SUJET_COURRIEL = "Charte IAE : un élément vous attend"


def notifier(
    *,
    destinataires: Iterable[Utilisateur],
    texte: str,
    lien: str = "",
    evenement: str = "",
) -> list[Notification]:
    """Crée une notification par destinataire actif (chacun une seule fois) ; l'e-mail des
    agents qui le veulent part après la validation de la transaction."""
    vus: set[int] = set()
    notifications = []
    for destinataire in destinataires:
        if destinataire.pk in vus or not destinataire.is_active:
            continue
        vus.add(destinataire.pk)
        notification = Notification(
            destinataire=destinataire, texte=texte[:255], lien=lien, evenement=evenement
        )
        notification.full_clean()
        notifications.append(notification)
    creees = Notification.objects.bulk_create(notifications)
    par_courriel = (
        set(
            PreferenceNotification.objects.par_courriel()
            .filter(utilisateur_id__in=vus)
            .values_list("utilisateur_id", flat=True)
        )
        if vus
        else set()
    )
    ids = [n.pk for n in creees if n.destinataire_id in par_courriel]
    if ids:
        transaction.on_commit(partial(envoyer_courriels_notification.enqueue, ids))
    return creees


def url_centre_notifications() -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('communication:notifications')}"


def corps_courriel(destinataire: Utilisateur) -> str:
    """Le seul texte que l'e-mail porte : rien sur la personne ni sur sa situation."""
    return (
        f"Bonjour {destinataire.prenom},\n\n"
        "Un nouvel élément vous attend dans Charte IAE.\n"
        f"Pour le consulter, connectez-vous : {url_centre_notifications()}\n\n"
        "Par précaution, cet e-mail ne contient aucune information sur les personnes "
        "accompagnées.\n"
        "Vous pouvez cesser de recevoir ces e-mails depuis vos préférences de notification.\n"
    )


@task
def envoyer_courriels_notification(notification_ids: list[int]) -> int:
    """Envoie l'e-mail de chaque notification pas encore signalée, si son destinataire, actif,
    le veut toujours. Idempotente : une notification n'est signalée qu'une fois."""
    envoyes = 0
    notifications = Notification.objects.filter(
        pk__in=notification_ids,
        courriel_envoye_le__isnull=True,
        destinataire__is_active=True,
        destinataire__preference_notification__par_courriel=True,
    ).select_related("destinataire")
    for notification in notifications:
        # On réserve la notification avant d'envoyer : deux exécutions n'envoient pas deux fois.
        reservee = Notification.objects.filter(
            pk=notification.pk, courriel_envoye_le__isnull=True
        ).update(courriel_envoye_le=timezone.now())
        if not reservee:
            continue
        destinataire = notification.destinataire
        try:
            EmailMessage(
                subject=SUJET_COURRIEL,
                body=corps_courriel(destinataire),
                to=[destinataire.email],
            ).send()
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(courriel_envoye_le=None)
            journal.exception(
                "E-mail de notification non envoyé (notification %s)", notification.pk
            )
            raise
        envoyes += 1
    return envoyes
