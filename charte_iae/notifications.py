"""Le noyau des notifications : la seule fonction que les applications appellent pour
prévenir un agent. Le texte ne contient jamais le nom ni la situation d'une personne."""

from __future__ import annotations

from collections.abc import Iterable

from charte_iae.models import Notification, Utilisateur


def notifier(
    *,
    destinataires: Iterable[Utilisateur],
    texte: str,
    lien: str = "",
    evenement: str = "",
) -> list[Notification]:
    """Crée une notification par destinataire actif (chacun une seule fois)."""
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
    return Notification.objects.bulk_create(notifications)
