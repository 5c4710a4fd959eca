"""Conservation des données : ce qui a dépassé sa durée est purgé ou anonymisé.

Le noyau purge le journal d'audit (RETENTION_AUDIT_JOURS, 12 mois par défaut), les sessions
expirées et le journal des connexions d'axes. Chaque application ajoute ses étapes dans son module
``retention.py`` (découvert au lancement), comme pour ``demo.py`` ::

    from charte_iae.retention import ContexteRetention, etape_retention

    @etape_retention(10)
    def anonymiser_personnes(ctx: ContexteRetention) -> None:
        perimees = Personne.objects.inactives_depuis(ctx.limite_dossiers)
        ctx.compter("personnes anonymisées", perimees.count())
        if not ctx.essai:
            ...

Une étape compte ce qu'elle fait (ou ferait, avec ``--dry-run`` : ``ctx.essai``) et ne modifie
rien en mode essai. Lancement : ``python manage.py purger_donnees [--dry-run]`` ou la tâche
``charte_iae.tasks.purger_donnees`` (file de tâches), planifiée chaque nuit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from charte_iae.models import EntreeAudit


@dataclass
class ContexteRetention:
    maintenant: datetime.datetime
    essai: bool = False
    comptes: dict[str, int] = field(default_factory=dict)

    @property
    def limite_audit(self) -> datetime.datetime:
        return self.maintenant - datetime.timedelta(days=settings.RETENTION_AUDIT_JOURS)

    @property
    def limite_dossiers(self) -> datetime.datetime:
        """Les dossiers sans activité depuis cette date sont à anonymiser (2 ans par défaut)."""
        return self.maintenant - datetime.timedelta(days=settings.RETENTION_DOSSIERS_JOURS)

    def compter(self, libelle: str, nombre: int) -> None:
        self.comptes[libelle] = self.comptes.get(libelle, 0) + nombre


EtapeRetention = Callable[[ContexteRetention], None]
_etapes: list[tuple[int, str, EtapeRetention]] = []


def etape_retention(ordre: int) -> Callable[[EtapeRetention], EtapeRetention]:
    """Inscrit une étape de purge ou d'anonymisation (ordre croissant ; idempotente)."""

    def enregistrer(fonction: EtapeRetention) -> EtapeRetention:
        cle = f"{fonction.__module__}.{fonction.__qualname__}"
        if all(c != cle for _, c, _ in _etapes):
            _etapes.append((ordre, cle, fonction))
        return fonction

    return enregistrer


def etapes() -> list[EtapeRetention]:
    return [f for _, _, f in sorted(_etapes, key=lambda e: (e[0], e[1]))]


@etape_retention(100)
def purger_journal_audit(ctx: ContexteRetention) -> None:
    perimees = EntreeAudit.objects.anterieures_a(ctx.limite_audit)
    if ctx.essai:
        ctx.compter("entrées du journal d'audit purgées", perimees.count())
    else:
        ctx.compter("entrées du journal d'audit purgées", perimees.purger())


@etape_retention(110)
def purger_sessions_expirees(ctx: ContexteRetention) -> None:
    expirees = Session.objects.filter(expire_date__lt=ctx.maintenant)
    if ctx.essai:
        ctx.compter("sessions expirées supprimées", expirees.count())
    else:
        ctx.compter("sessions expirées supprimées", expirees.delete()[0])


@etape_retention(120)
def purger_journal_connexions(ctx: ContexteRetention) -> None:
    """Le journal des connexions d'axes (adresse e-mail et IP des agents) suit la durée de l'audit."""
    for modele, libelle in (
        (AccessLog, "connexions journalisées purgées"),
        (AccessFailureLog, "échecs de connexion journalisés purgés"),
    ):
        anciennes = modele.objects.filter(attempt_time__lt=ctx.limite_audit)
        ctx.compter(libelle, anciennes.count() if ctx.essai else anciennes.delete()[0])


def purger(
    *, essai: bool = False, maintenant: datetime.datetime | None = None
) -> ContexteRetention:
    """Lance toutes les étapes inscrites, dans une transaction (rien n'est fait en mode essai)."""
    autodiscover_modules("retention")
    ctx = ContexteRetention(maintenant=maintenant or timezone.now(), essai=essai)
    with transaction.atomic():
        for fonction in etapes():
            fonction(ctx)
    return ctx
