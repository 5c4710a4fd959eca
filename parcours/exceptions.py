"""Les erreurs du domaine du parcours : une vue les montre comme un message en français."""


class TransitionInterdite(Exception):
    """L'étape demandée n'est pas possible dans l'état présent (déjà faite, orientation close,
    personne non éligible…). Le message dit pourquoi, en français."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ModificationConcurrente(TransitionInterdite):
    """Le dossier a été modifié par quelqu'un d'autre depuis son affichage."""
