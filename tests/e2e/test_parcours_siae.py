"""Le parcours du CIP de la SIAE dans un vrai navigateur : il voit la personne prescrite,
écrit dans le cahier de transmission (refusé tant que l'information de la personne n'est
pas tracée), et le CPIP référent, connecté ensuite, trouve la notification."""

import pytest
from django.utils import timezone

from communication.models import EntreeCahier
from tests.e2e.conftest import (
    capturer,
    champ,
    connecter,
    menu,
    se_deconnecter,
    verifier_accessibilite,
)
from tests.factories import MOT_DE_PASSE, PrescriptionFactory

pytestmark = pytest.mark.django_db(transaction=True)

TRANSMISSION = "Sami a obtenu son habilitation au chariot élévateur ; il vise la logistique."


def test_parcours_du_cip_de_la_siae_jusqu_a_la_notification_du_cpip(navigateur):
    from tests.conftest import construire_site

    site = construire_site()
    prescription = PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__nom="Durand",
        personne__prenom="Sami",
        personne__cpip_referent=site.cpip,
    )
    personne = prescription.personne
    aujourdhui = timezone.localdate()
    page = navigateur
    page.refus_attendus = {422}  # type: ignore[attr-defined]

    # 1. Le CIP voit la personne prescrite vers sa SIAE.
    connecter(page, site.cip, MOT_DE_PASSE)
    verifier_accessibilite(page)
    menu(page, "Personnes")
    page.get_by_role("link", name="DURAND Sami").click()
    page.get_by_role("heading", name="DURAND Sami").wait_for()
    prescriptions = page.get_by_role("region", name="Prescriptions")
    assert prescriptions.get_by_text(f"Vers {site.implantation.siae}").is_visible()
    verifier_accessibilite(page)

    # 2. Le cahier de transmission : une information personnelle ne part pas tant que
    #    l'information de la personne n'est pas tracée.
    menu(page, "Transmissions")
    page.get_by_role("link", name="DURAND Sami").click()
    page.get_by_role("heading", name="Cahier de transmission").wait_for()
    verifier_accessibilite(page)
    champ(page, "Transmission").fill(TRANSMISSION)
    page.get_by_text("Cette transmission partage une information personnelle").click()
    page.get_by_role("button", name="Transmettre").click()
    page.get_by_text("Cette transmission partage une information personnelle : indiquez").wait_for()
    assert EntreeCahier.objects.count() == 0
    assert champ(page, "Transmission").input_value() == TRANSMISSION, "la saisie est conservée"
    verifier_accessibilite(page)
    capturer(page, "40-cip-cahier-information-exigee")
    page.get_by_text("La personne a été informée au préalable du partage").click()
    champ(page, "Personne informée le").fill(aujourdhui.isoformat())
    page.get_by_text("Oralement", exact=True).click()
    page.get_by_role("button", name="Transmettre").click()
    page.get_by_text("Votre transmission est enregistrée ; l'autre équipe est prévenue.").wait_for()
    transmissions = page.get_by_role("region", name="Transmissions")
    assert transmissions.get_by_text(TRANSMISSION).is_visible()
    verifier_accessibilite(page)
    capturer(page, "41-cip-cahier-transmission")
    se_deconnecter(page)

    # 3. Le CPIP référent, connecté ensuite, est prévenu et lit la transmission.
    connecter(page, site.cpip, MOT_DE_PASSE)
    notifications = page.get_by_role("region", name="Notifications")
    lien = notifications.get_by_role("link", name="Nouvelle transmission dans un cahier de suivi.")
    assert lien.is_visible()
    verifier_accessibilite(page)
    capturer(page, "42-cpip-notifications")
    lien.click()
    page.get_by_role("heading", name="Cahier de transmission").wait_for()
    assert page.get_by_role("region", name="Transmissions").get_by_text(TRANSMISSION).is_visible()
    verifier_accessibilite(page)

    entree = EntreeCahier.objects.get()
    assert (entree.auteur, entree.cahier.personne) == (site.cip, personne)
    assert entree.personne_informee_le == aujourdhui
