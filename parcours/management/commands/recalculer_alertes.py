"""À planifier chaque nuit (cron, minuterie systemd, ordonnanceur de l'hébergeur) :
met en file la tâche qui recalcule les alertes ; le worker (« manage.py db_worker ») l'exécute."""

from django.core.management.base import BaseCommand

from parcours.alertes import recalculer_toutes_les_alertes


class Command(BaseCommand):
    help = "Met en file le recalcul de nuit des alertes du parcours."

    def handle(self, *args, **options) -> None:
        resultat = recalculer_toutes_les_alertes.enqueue()
        self.stdout.write(f"Recalcul des alertes mis en file ({resultat.id}).")
