import pytest

from tests.factories import PrescriptionFactory


@pytest.fixture
def personne(site):
    """Une personne avec un parcours IAE prescrit vers la SIAE du site ; CPIP référent : le CPIP."""
    prescription = PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__cpip_referent=site.cpip,
    )
    return prescription.personne
