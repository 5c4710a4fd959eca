import pytest
from django.db import transaction

from tests.conftest import construire_site
from tests.securite.matrice import construire_monde


@pytest.fixture(scope="module")
def monde_module(django_db_setup, django_db_blocker):
    """Un seul monde pour toutes les lignes de la matrice d'un module (le construire coûte plus
    cher que les requêtes) ; annulé à la fin du module. Chaque test garde sa propre transaction
    (``db``), imbriquée dans celle-ci : ce qu'un test écrit ne fuit pas vers le suivant."""
    with django_db_blocker.unblock():
        bloc = transaction.atomic()
        bloc.__enter__()
        try:
            monde = construire_monde(construire_site(), construire_site())
            monde.tout_creer()
            yield monde
        finally:
            transaction.set_rollback(True)
            bloc.__exit__(None, None, None)


@pytest.fixture
def monde(monde_module, db):
    return monde_module
