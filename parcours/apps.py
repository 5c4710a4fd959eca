from django.apps import AppConfig

from parcours import droit_acces


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours des personnes"

    def ready(self) -> None:
        droit_acces.declarer()
