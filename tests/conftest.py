"""Fixtures communes : un « monde » de deux établissements, chacun avec son SPIP, sa SIAE
implantée et un agent par rôle, pour tester la portée de chaque règle."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings

from charte_iae.models import Charte, Implantation, Structure, Utilisateur
from tests.factories import ImplantationFactory, StructureFactory, UtilisateurFactory


@dataclass
class Site:
    implantation: Implantation
    charte: Charte
    spip_mo: Structure
    service_etablissement: Structure
    cpip: Utilisateur
    dpip: Utilisateur
    cpip_mo: Utilisateur
    cip: Utilisateur
    et: Utilisateur
    direction: Utilisateur
    orienteur: Utilisateur


def construire_site() -> Site:
    implantation = ImplantationFactory()
    spip, siae = implantation.spip, implantation.siae
    spip_mo = StructureFactory(spip_mo=True)
    service = StructureFactory(service_etablissement=True, etablissement=implantation.etablissement)
    return Site(
        implantation=implantation,
        charte=implantation.charte,
        spip_mo=spip_mo,
        service_etablissement=service,
        cpip=UtilisateurFactory(cpip=True, structure=spip),
        dpip=UtilisateurFactory(dpip=True, structure=spip),
        cpip_mo=UtilisateurFactory(cpip_mo=True, structure=spip_mo),
        cip=UtilisateurFactory(cip=True, structure=siae),
        et=UtilisateurFactory(et=True, structure=siae),
        direction=UtilisateurFactory(direction=True, structure=siae),
        orienteur=UtilisateurFactory(orienteur=True, structure=service),
    )


@pytest.fixture
def site(db) -> Site:
    return construire_site()


@pytest.fixture
def autre_site(db) -> Site:
    return construire_site()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Les tests marqués ``postgresql`` (planificateur, déclencheurs, concurrence réelle,
    sauvegarde) ne sont pas collectés sur SQLite : ils sont écartés et comptés comme tels, jamais
    sautés. La CI les exécute dans sa passe PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    ecartes = [item for item in items if item.get_closest_marker("postgresql")]
    if ecartes:
        config.hook.pytest_deselected(items=ecartes)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
