import pytest
from django.core.management import call_command

from accompagnement.models import (
    ActionAccompagnement,
    ElementAmenagement,
    LiaisonJAP,
    PresentationJAP,
    ProjetAmenagement,
)
from charte_iae import acces
from charte_iae.models import Implantation, Utilisateur
from tests.factories import PrescriptionFactory

MODELES = (ActionAccompagnement, ProjetAmenagement, ElementAmenagement, LiaisonJAP, PresentationJAP)


@pytest.mark.django_db
def test_la_demonstration_de_l_accompagnement_est_idempotente(settings):
    settings.DEBUG = True
    call_command("donnees_demo")
    assert PresentationJAP.objects.count() == 1
    implantation = Implantation.objects.get(etablissement__code="DEMO-VALMONT")
    PrescriptionFactory(
        implantation=implantation,
        personne__cpip_referent=Utilisateur.objects.get(email="cpip@demo.test"),
    )
    call_command("donnees_demo")
    comptes = [m.objects.count() for m in MODELES]
    assert comptes == [3, 1, 1, 1, 1]
    call_command("donnees_demo")
    assert [m.objects.count() for m in MODELES] == comptes
    cip = Utilisateur.objects.get(email="cip@demo.test")
    assert not LiaisonJAP.objects.for_user(cip).exists()
    assert LiaisonJAP.objects.for_user(Utilisateur.objects.get(email="cpip@demo.test")).exists()
    assert acces.reconcilier().total.total == 0
