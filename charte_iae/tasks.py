"""Tâches de fond du noyau (framework de tâches de Django ; file en base en production)."""

from __future__ import annotations

from django.tasks import task

from charte_iae import retention


@task
def purger_donnees(essai: bool = False) -> dict[str, int]:
    """La purge de conservation, à planifier chaque nuit (``purger_donnees.enqueue()``)."""
    return retention.purger(essai=essai).comptes
