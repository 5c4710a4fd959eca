from django.apps import AppConfig

from communication import droit_acces


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = "Communication entre les équipes"

    def ready(self) -> None:
        droit_acces.declarer()
