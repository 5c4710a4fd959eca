from django.core.management.base import BaseCommand

from charte_iae import retention


class Command(BaseCommand):
    help = (
        "Purge ce qui a dépassé sa durée de conservation (journal d'audit de plus de 12 mois, "
        "sessions expirées) et lance les étapes d'anonymisation des applications. "
        "--dry-run affiche ce qui serait fait sans rien modifier."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="N'écrit rien : affiche seulement les comptes."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        ctx = retention.purger(essai=dry_run)
        prefixe = "[essai] " if dry_run else ""
        for libelle, nombre in sorted(ctx.comptes.items()):
            self.stdout.write(f"{prefixe}{libelle} : {nombre}")
        if not ctx.comptes:
            self.stdout.write(f"{prefixe}aucune étape de conservation inscrite.")
