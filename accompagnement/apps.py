from django.apps import AppConfig

from accompagnement import droit_acces


class AccompagnementConfig(AppConfig):
    name = "accompagnement"
    verbose_name = "Accompagnement socio-professionnel"

    def ready(self) -> None:
        droit_acces.declarer()
