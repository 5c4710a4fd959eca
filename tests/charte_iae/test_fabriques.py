import pytest

from charte_iae.enums import Fonction
from tests.factories import UtilisateurFactory


@pytest.mark.django_db
def test_le_trait_de_role_cree_une_affectation_active_et_l_appartenance_au_groupe():
    cpip = UtilisateurFactory(cpip=True)
    affectation = cpip.affectations.get()
    assert affectation.fonction == Fonction.CPIP_MF
    assert affectation.structure.milieu == "ferme"
    assert list(cpip.groups.all()) == [affectation.structure.groupe]


@pytest.mark.django_db
def test_sans_trait_aucune_affectation():
    assert UtilisateurFactory().affectations.count() == 0
