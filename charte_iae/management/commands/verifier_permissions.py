from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from charte_iae import acces


class Command(BaseCommand):
    help = (
        "Compare les droits attendus (dérivés des relations) aux droits présents, pour chaque "
        "règle d'accès enregistrée, et sort en erreur s'il y a un écart. --corriger les rétablit."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--corriger", action="store_true", help="Rétablit les droits attendus.")

    def handle(self, *args, corriger: bool = False, **options) -> None:
        with transaction.atomic():
            rapport = acces.reconcilier(corriger=corriger)
        for etiquette, ecart in rapport.par_regle.items():
            self.stdout.write(
                f"{etiquette} : {ecart.manquants} manquant(s), {ecart.en_trop} en trop"
            )
        total = rapport.total
        self.stdout.write(f"Total : {total.manquants} manquant(s), {total.en_trop} en trop")
        if total.total and not corriger:
            raise CommandError(
                f"{total.total} écart(s) entre les droits attendus et les droits présents."
            )
        if corriger and total.total:
            self.stdout.write(self.style.WARNING(f"{total.total} écart(s) corrigé(s)."))
