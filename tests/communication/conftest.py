"""Une personne prescrite vers la SIAE du site, suivie par le CPIP du site : son cahier est
partagé par le SPIP (CPIP, DPIP) et la SIAE (CIP, ET, direction)."""

from __future__ import annotations

import uuid

import pytest

from parcours.models import Personne
from tests.factories import PrescriptionFactory


@pytest.fixture
def personne(site) -> Personne:
    prescription = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    personne = prescription.personne
    personne.cpip_referent = site.cpip
    personne.save()
    return personne


def donnees_entree(**autres: object) -> dict[str, object]:
    """Les champs postés d'une transmission, sans information personnelle par défaut."""
    return {
        "texte": "Entretien fait ce matin, motivation confirmée.",
        "jeton": str(uuid.uuid4()),
        **autres,
    }
