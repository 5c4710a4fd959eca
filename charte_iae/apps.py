from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CharteIaeConfig(AppConfig):
    name = "charte_iae"
    verbose_name = "Charte IAE : organisations et agents"

    def ready(self) -> None:
        # Comme l'admin : chaque application enregistre ses règles d'accès dans son
        # module `permissions.py`, pour que le mécanisme et la réconciliation les voient toutes ;
        # de même pour les documents imprimables (`documents.py`) et les sections de la page
        # d'accueil (`tableaux.py`).
        autodiscover_modules("permissions", "documents", "tableaux")
        # Journal d'audit des écritures et des connexions, durée des sessions (issue 9).
        from charte_iae import audit, middleware

        audit.brancher()
        middleware.brancher()
