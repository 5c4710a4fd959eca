from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from charte_iae import modele_charte


class Command(BaseCommand):
    help = (
        "Charge une version du modèle national de charte depuis son fichier structuré (JSON). "
        "Idempotent : une version déjà chargée n'est pas modifiée."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "fichier",
            nargs="?",
            default=str(modele_charte.FICHIER_ANNEXE4),
            help="Chemin du fichier JSON (par défaut : l'Annexe 4).",
        )

    def handle(self, *args, fichier: str, **options) -> None:
        with transaction.atomic():
            modele, cree = modele_charte.charger(modele_charte.lire(Path(fichier)))
        etat = "chargé" if cree else "déjà présent, inchangé"
        self.stdout.write(f"{modele} : {etat} ({modele.champs.count()} champs à remplir).")
