"""Un contact de la SIAE avec un partenaire, dans un vrai navigateur : le CIP part du dossier
de la personne, ouvre le suivi de l'accompagnement, enregistre un contact avec un partenaire
de l'annuaire (refusé tant qu'aucun partenaire n'est indiqué), et le CPIP référent, connecté
ensuite, est prévenu et trouve le contact dans sa liste des contacts partenaires."""

import re

import pytest

from accompagnement.enums import Cote, TypeAction
from accompagnement.models import ActionAccompagnement
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

DOMAINE = "Recherche d’emploi ou de stage de formation à la sortie"
PARTENAIRE = "Mission locale de Melun — Paul Mercier"
RESULTAT = "Rendez-vous fixé avec la mission locale quinze jours avant la sortie."
CHEF_SIAE = "Permanents de la SIAE (CIP et ET)"
NOTIFICATION = "La SIAE a noué un contact avec un partenaire pour une personne que vous suivez."


def _charte_en_vigueur(site):
    """La charte du site approuvée par les deux parties : la SIAE est cheffe de file de la
    recherche d'emploi à la sortie, le CPIP des autres domaines."""
    from charte_iae import modele_charte, versions
    from tests.charte_iae.conftest import remplir

    # Une base vidée par un test transactionnel précédent a perdu le modèle chargé par migration.
    modele_charte.charger(modele_charte.lire())
    version = remplir(versions.creer_version(charte=site.charte, par=site.dpip), site.dpip)
    lignes = {
        ligne.pk: {
            "chef_de_file": "siae" if ligne.domaine.code == "recherche_emploi_sortie" else "cpip"
        }
        for ligne in version.repartition.select_related("domaine")
    }
    version = versions.enregistrer_repartition(
        version=version, revision=version.revision, lignes=lignes, par=site.dpip
    )
    versions.soumettre(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.direction)


def test_le_cip_note_un_contact_partenaire_et_le_cpip_referent_le_retrouve(navigateur):
    from tests.communication.factories import PersonneRessourceFactory
    from tests.conftest import construire_site

    site = construire_site()
    _charte_en_vigueur(site)
    PersonneRessourceFactory(
        implantation=site.implantation, nom="Paul Mercier", organisation="Mission locale de Melun"
    )
    prescription = PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__nom="Benali",
        personne__prenom="Yanis",
        personne__cpip_referent=site.cpip,
    )
    personne = prescription.personne
    page = navigateur

    # 1. Du dossier de la personne au suivi de l'accompagnement par domaine.
    connecter(page, site.cip, MOT_DE_PASSE)
    menu(page, "Personnes")
    page.get_by_role("link", name="BENALI Yanis").click()
    page.get_by_role("heading", name="BENALI Yanis").wait_for()
    page.get_by_role("link", name="Suivi de l'accompagnement par domaine").click()
    page.get_by_role("heading", name="Accompagnement par domaine").wait_for()
    domaines = page.get_by_role("table", name="Domaines d'intervention")
    ligne = domaines.get_by_role("row").filter(has_text=DOMAINE)
    assert ligne.get_by_role("cell", name=CHEF_SIAE).is_visible(), "le chef de file du domaine"
    verifier_accessibilite(page)
    capturer(page, "50-cip-suivi-accompagnement")

    # 2. Un contact sans partenaire est refusé, la saisie conservée.
    page.get_by_role("link", name=f"Ajouter une action — {DOMAINE}").click()
    page.get_by_role("heading", name="Nouvelle action d'accompagnement").wait_for()
    assert page.get_by_text(f"Domaine « {DOMAINE} »").is_visible()
    assert page.get_by_text(f"selon la charte en vigueur : {CHEF_SIAE}.", exact=False).count()
    assert champ(page, "Domaine d'intervention").input_value() == "recherche_emploi_sortie"
    champ(page, "Type d'action").select_option(label="Contact avec un partenaire")
    champ(page, "Résultat").fill(RESULTAT)
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer l'action").click()
    erreur = page.get_by_text("Indiquez le partenaire concerné.")
    erreur.wait_for()
    assert not ActionAccompagnement.objects.exists()
    assert champ(page, "Résultat").input_value() == RESULTAT, "la saisie est conservée"
    verifier_accessibilite(page)
    capturer(page, "51-cip-contact-partenaire-exige", sur=erreur)

    # 3. Le partenaire choisi dans l'annuaire de l'implantation : le contact est enregistré.
    champ(page, "Partenaire de l'annuaire").select_option(
        label="Paul Mercier (Mission locale de Melun)"
    )
    page.get_by_role("button", name="Enregistrer l'action").click()
    page.get_by_text("L'action a été enregistrée.").wait_for()
    page.get_by_role("heading", name="Accompagnement par domaine").wait_for()
    ligne = domaines.get_by_role("row").filter(has_text=DOMAINE)
    assert ligne.get_by_text(f"Contact avec un partenaire ({PARTENAIRE})").is_visible()
    assert ligne.get_by_text("Accompagnement en cours").count() == 0
    assert ligne.get_by_text("Actions réalisées").is_visible()
    verifier_accessibilite(page)
    capturer(page, "52-cip-contact-partenaire-enregistre", sur=ligne)
    se_deconnecter(page)

    # 4. Le CPIP référent est prévenu, sans nom dans la notification, et trouve le contact.
    connecter(page, site.cpip, MOT_DE_PASSE)
    notifications = page.get_by_role("region", name="Notifications")
    lien = notifications.get_by_role("link", name=NOTIFICATION)
    assert lien.is_visible()
    assert notifications.get_by_text("Benali", exact=False).count() == 0
    verifier_accessibilite(page)
    lien.click()
    page.get_by_role("heading", name="Contacts de la SIAE avec des partenaires").wait_for()
    contacts = page.get_by_role("table", name="Contacts noués par la SIAE")
    ligne = contacts.get_by_role("row").filter(has_text="BENALI Yanis")
    assert ligne.get_by_role("cell", name=PARTENAIRE).is_visible()
    assert ligne.get_by_role("cell", name="Contact avec un partenaire").is_visible()
    assert ligne.get_by_role("cell", name=site.cip.get_full_name()).is_visible()
    verifier_accessibilite(page)
    capturer(page, "53-cpip-contacts-partenaires")
    page.get_by_role("link", name="Seulement les personnes dont je suis référent").click()
    page.get_by_role("link", name="Voir tous les contacts").wait_for()
    assert contacts.get_by_role("row").filter(has_text="BENALI Yanis").count() == 1
    verifier_accessibilite(page)

    # Du contact au suivi de la personne.
    contacts.get_by_role("link", name="BENALI Yanis").click()
    page.get_by_role("heading", name="Accompagnement par domaine").wait_for()
    assert page.get_by_text(re.compile(r"Contact avec un partenaire \(Mission locale")).is_visible()
    verifier_accessibilite(page)

    action = ActionAccompagnement.objects.get()
    assert (action.agent, action.cote, action.type) == (
        site.cip,
        Cote.SIAE,
        TypeAction.CONTACT_PARTENAIRE,
    )
    assert action.personne == personne and action.personne_ressource.nom == "Paul Mercier"
