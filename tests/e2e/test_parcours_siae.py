"""Le parcours du CIP de la SIAE dans un vrai navigateur : il voit la personne prescrite,
mène l'entretien et la retient, enregistre le début du parcours, écrit dans le cahier de
transmission (refusé tant que l'information de la personne n'est
pas tracée), et le CPIP référent, connecté ensuite, trouve la notification."""

import pytest
from django.utils import timezone

from communication.models import EntreeCahier
from parcours.enums import DecisionEntretien
from parcours.models import ParcoursIAE
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

    # 2. L'entretien de recrutement : la personne est retenue.
    menu(page, "Accueil")
    page.get_by_role("link", name="Personnes prescrites, en attente de décision").click()
    page.get_by_role("heading", name="Personnes prescrites vers la SIAE").wait_for()
    a_recevoir = page.get_by_role("table", name="Prescriptions en attente")
    ligne = a_recevoir.get_by_role("row").filter(has_text="DURAND Sami")
    assert ligne.get_by_text("Favorable").is_visible(), "l'avis du SPIP accompagne la prescription"
    verifier_accessibilite(page)
    capturer(page, "43-cip-personnes-prescrites")
    ligne.get_by_role("link", name="Enregistrer un entretien").click()
    page.get_by_role("heading", name="Entretien de recrutement").wait_for()
    assert champ(page, "Date de l'entretien").input_value() == aujourdhui.isoformat()
    assert page.get_by_role("checkbox", name=site.cip.get_full_name()).is_checked()
    champ(page, "Notes").fill("Motivé, expérience en manutention ; disponible tout de suite.")
    page.get_by_text("Retenu", exact=True).click()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    page.get_by_text("L'entretien est enregistré.").wait_for()

    # 3. Le début du parcours sous contrat d'emploi pénitentiaire.
    a_recevoir.get_by_role("row").filter(has_text="DURAND Sami").get_by_role(
        "link", name="Enregistrer le parcours"
    ).click()
    page.get_by_role("heading", name="Enregistrer le parcours sous CEP").wait_for()
    champ(page, "Début du contrat d'emploi pénitentiaire (CEP)").fill(aujourdhui.isoformat())
    champ(page, "Activité support").fill("Logistique")
    champ(page, "Poste").fill("Préparateur de commandes")
    champ(page, "Heures hebdomadaires").fill("24")
    champ(page, "CEP signé le").fill(aujourdhui.isoformat())
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer le parcours").click()
    page.get_by_text("Le parcours est enregistré.").wait_for()
    assert page.get_by_role("heading", name="Parcours IAE").is_visible()
    assert page.get_by_text("Logistique — Préparateur de commandes").is_visible()
    verifier_accessibilite(page)
    capturer(page, "44-cip-parcours-en-cours")

    # 4. Le cahier de transmission : une information personnelle ne part pas tant que
    #    l'information de la personne n'est pas tracée.
    menu(page, "Transmissions")
    page.get_by_role("link", name="DURAND Sami").click()
    page.get_by_role("heading", name="Cahier de transmission").wait_for()
    verifier_accessibilite(page)
    champ(page, "Transmission").fill(TRANSMISSION)
    page.get_by_text("Cette transmission partage une information personnelle").click()
    page.get_by_role("button", name="Transmettre").click()
    erreur = page.get_by_text("Cette transmission partage une information personnelle : indiquez")
    erreur.wait_for()
    assert EntreeCahier.objects.count() == 0
    assert champ(page, "Transmission").input_value() == TRANSMISSION, "la saisie est conservée"
    verifier_accessibilite(page)
    capturer(page, "40-cip-cahier-information-exigee", sur=erreur)
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

    # 5. Le CPIP référent, connecté ensuite, est prévenu et lit la transmission.
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

    parcours = ParcoursIAE.objects.get(prescription=prescription)
    assert (parcours.cree_par, parcours.entretien.decision) == (site.cip, DecisionEntretien.RETENU)
    entree = EntreeCahier.objects.get()
    assert (entree.auteur, entree.cahier.personne) == (site.cip, personne)
    assert entree.personne_informee_le == aujourdhui
