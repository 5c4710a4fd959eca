import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from charte_iae import generation


class Command(BaseCommand):
    help = (
        "Génère un jeu de données à l'échelle nationale (établissements, agents, chartes en "
        "vigueur, personnes à chaque étape, droits produits par les règles d'accès), par lots. "
        "Pour les mesures de charge, jamais sur une base de production : les agents générés "
        "ont le mot de passe de démonstration."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--personnes", type=int, required=True, help="nombre de personnes")
        parser.add_argument(
            "--etablissements",
            type=int,
            help="nombre d'établissements (par défaut : 1 pour 370 personnes, ≈ 190 pour 70 000)",
        )
        parser.add_argument("--seed", type=int, default=1, help="graine (résultat déterministe)")

    def handle(self, *args, personnes: int, etablissements: int | None, seed: int, **options):
        if personnes < 1 or (etablissements is not None and etablissements < 1):
            raise CommandError("Indiquez au moins une personne et un établissement.")
        if generation.deja_genere():
            raise CommandError(
                "Des données générées existent déjà dans cette base : partez d'une base vide "
                "(éventuellement avec la démonstration)."
            )
        autodiscover_modules("generation")
        debut = time.perf_counter()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Outil hors trafic : la limite de durée des requêtes web ne s'applique pas.
                with connection.cursor() as curseur:
                    curseur.execute("SET LOCAL statement_timeout = 0")
            generation.generer(
                personnes=personnes,
                etablissements=etablissements,
                seed=seed,
                journal=self.stdout.write,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Données générées en {time.perf_counter() - debut:.1f} s.")
        )
