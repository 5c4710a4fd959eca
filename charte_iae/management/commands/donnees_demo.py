from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from charte_iae import demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants de démonstration."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Refusé : les données de démonstration ont un mot de passe connu de tous. "
                "Elles ne se chargent qu'avec DEBUG=true, jamais sur une base de production."
            )
        autodiscover_modules("demo")
        with transaction.atomic():
            ctx = demo.charger()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(
            f"Identifiants de démonstration (mot de passe commun : {demo.MOT_DE_PASSE_DEMO}) :"
        )
        for ligne in ctx.lignes:
            self.stdout.write(ligne)
