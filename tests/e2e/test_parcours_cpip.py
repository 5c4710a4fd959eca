"""Le parcours du CPIP dans un vrai navigateur : un orienteur signale une personne ; le CPIP
complète le dossier, trace l'information, donne l'avis, lit les raisons de l'éligibilité,
prescrit, puis enregistre la CPU et la décision du chef d'établissement."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from parcours.models import Orientation, Personne
from tests.e2e.conftest import (
    capturer,
    champ,
    connecter,
    menu,
    se_deconnecter,
    verifier_accessibilite,
)
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db(transaction=True)


def _iso(jour: datetime.date) -> str:
    return jour.isoformat()


def test_parcours_du_cpip_du_signalement_a_la_decision_de_classement(navigateur):
    from tests.conftest import construire_site

    site = construire_site()
    aujourdhui = timezone.localdate()
    page = navigateur

    # 1. L'orienteur (référent local du travail) signale la personne par son écrou.
    connecter(page, site.orienteur, MOT_DE_PASSE)
    verifier_accessibilite(page)
    menu(page, "Signaler")
    page.get_by_role("heading", name="Signaler une personne pour un parcours IAE").wait_for()
    verifier_accessibilite(page)
    champ(page, "Numéro d'écrou").fill("E-4242")
    champ(page, "Nom").fill("Martin")
    champ(page, "Prénom").fill("Karim")
    champ(page, "Date de naissance").fill("1994-05-17")
    champ(page, "Motif de l'orientation").fill(
        "Souhaite travailler en atelier ; assidu aux cours de français."
    )
    capturer(page, "01-orienteur-signalement")
    page.get_by_role("button", name="Signaler").click()
    page.get_by_text("L'orientation est enregistrée ; le SPIP est prévenu.").wait_for()
    assert page.get_by_role("heading", name="Orientation du").is_visible()
    assert page.get_by_text("En attente de l'avis du SPIP").first.is_visible()
    verifier_accessibilite(page)
    se_deconnecter(page)

    # 2. Le CPIP est prévenu sur son accueil et ouvre l'orientation, puis le dossier.
    connecter(page, site.cpip, MOT_DE_PASSE)
    notification = page.get_by_role(
        "link", name="Une nouvelle orientation vers un parcours IAE attend votre avis."
    )
    assert notification.is_visible()
    verifier_accessibilite(page)
    capturer(page, "02-cpip-accueil-notification")
    notification.click()
    page.get_by_role("heading", name="Orientation du").wait_for()
    assert page.get_by_text("MARTIN Karim — écrou E-4242").is_visible()
    verifier_accessibilite(page)
    page.get_by_role("link", name="Dossier de").click()
    page.get_by_role("heading", name="MARTIN Karim").wait_for()
    # Le dossier minimal ouvert par l'orienteur : le CPIP lit pourquoi la personne n'est pas
    # encore éligible.
    criteres = page.get_by_role("table", name="Critères d'éligibilité")
    assert criteres.get_by_text("statut pénal n'est pas renseigné", exact=False).is_visible()
    assert criteres.get_by_text("À vérifier").first.is_visible()
    verifier_accessibilite(page)

    # 3. Il complète le dossier avec les données du greffe.
    page.get_by_role("link", name="Modifier le dossier").click()
    page.get_by_role("heading", name="Modifier le dossier").wait_for()
    verifier_accessibilite(page)
    liberation = aujourdhui + relativedelta(months=14)
    champ(page, "Statut pénal").select_option("condamne")
    champ(page, "Date de libération prévisible").fill(_iso(liberation))
    champ(page, "Source de la date de libération").select_option("fiche_penale")
    champ(page, "Pièce d'identité ou autorisation").select_option("cni")
    champ(page, "Date d'expiration de la pièce").fill(_iso(aujourdhui + relativedelta(years=4)))
    champ(page, "CPIP référent").select_option(label=site.cpip.get_full_name())
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le dossier a été mis à jour.").wait_for()
    assert criteres.get_by_text("Non satisfait").count() == 0
    assert criteres.get_by_text("À vérifier").count() == 0
    assert criteres.get_by_text(
        f"Libération prévisible le {liberation:%d/%m/%Y} : reliquat de 14 mois."
    ).is_visible()
    verifier_accessibilite(page)
    capturer(page, "03-cpip-dossier-eligible")

    # 4. L'information sur l'IAE donnée en entretien arrivant.
    page.get_by_role("link", name="Tracer une information IAE").click()
    champ(page, "Date de l'information").fill(_iso(aujourdhui))
    champ(page, "Canal").select_option("entretien_arrivant")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="MARTIN Karim").wait_for()
    chronologie = page.get_by_role("region", name="Chronologie du parcours")
    assert chronologie.get_by_text("Information sur l'IAE : Entretien arrivant").is_visible()

    # 5. L'avis du SPIP.
    page.get_by_role("link", name="Donner l'avis du SPIP").click()
    page.get_by_role("heading", name="Avis du SPIP sur l'orientation").wait_for()
    verifier_accessibilite(page)
    # Le bouton radio du DSFR est masqué derrière son libellé : on clique le libellé.
    page.get_by_text("Favorable", exact=True).click()
    assert page.get_by_role("radio", name="Favorable", exact=True).is_checked()
    champ(page, "Motifs").fill("Projet professionnel construit, bonne implication.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    page.get_by_text("L'avis du SPIP est enregistré.").wait_for()
    assert page.get_by_text("Favorable, le").is_visible()

    # 6. La prescription : les raisons de l'éligibilité, gardées avec elle.
    page.get_by_role("link", name="Prescrire un parcours IAE").click()
    page.get_by_role("heading", name="Prescrire un parcours IAE").wait_for()
    raisons = page.get_by_role("table", name="Critères d'éligibilité")
    assert raisons.get_by_text("Satisfait", exact=True).count() >= 3
    assert raisons.get_by_text("Carte nationale d'identité valide jusqu'au").is_visible()
    verifier_accessibilite(page)
    capturer(page, "04-cpip-prescription")
    champ(page, "SIAE").select_option(label=str(site.implantation.siae))
    page.get_by_role("button", name="Prescrire").click()
    page.get_by_text("Le parcours IAE est prescrit ; la SIAE est prévenue.").wait_for()
    prescriptions = page.get_by_role("region", name="Prescriptions")
    assert prescriptions.get_by_text(f"Vers {site.implantation.siae}").is_visible()
    assert prescriptions.get_by_text("en cours").is_visible()

    # 7. La demande de classement, préparée puis déposée.
    page.get_by_role("link", name="Demande de classement").click()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="MARTIN Karim").wait_for()
    page.get_by_role("button", name="Enregistrer le dépôt").click()
    page.get_by_role("region", name="Demandes de classement au travail").get_by_text(
        "Déposée auprès du chef d'établissement"
    ).wait_for()

    # 8. La CPU : séance, inscription, avis de la commission, décision du chef d'établissement.
    menu(page, "CPU")
    page.get_by_role("heading", name="Commissions pluridisciplinaires uniques").wait_for()
    verifier_accessibilite(page)
    champ(page, "Date de la CPU").fill(_iso(aujourdhui))
    page.get_by_role("button", name="Créer la CPU").click()
    page.get_by_text("La CPU est créée.").wait_for()
    champ(page, "Numéro d'écrou de la personne").fill("E-4242")
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_text("La personne est inscrite à la CPU.").wait_for()
    examens = page.get_by_role("table", name="Personnes examinées")
    assert examens.get_by_text("Favorable : Projet professionnel construit").is_visible()
    verifier_accessibilite(page)
    examens.get_by_role("link", name="Saisir l'avis").click()
    champ(page, "Avis de la CPU").select_option("favorable")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer l'avis").click()
    page.get_by_text("L'avis de la CPU est enregistré.").wait_for()
    examens.get_by_role("link", name="Saisir la décision").click()
    champ(page, "Décision du chef d'établissement").select_option("classe")
    champ(page, "Date de la décision").fill(_iso(aujourdhui))
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("La décision de classement est enregistrée.").wait_for()
    assert examens.get_by_text(
        f"Classé au travail sur le régime de la SIAE le {aujourdhui:%d/%m/%Y}"
    ).is_visible()
    capturer(page, "05-cpip-cpu-decision")

    # 9. Le dossier raconte tout le parcours, daté et attribué.
    examens.get_by_role("link", name="MARTIN Karim").click()
    page.get_by_role("heading", name="MARTIN Karim").wait_for()
    chronologie = page.get_by_role("region", name="Chronologie du parcours")
    for etape in (
        "Orientation signalée",
        "Avis du SPIP : favorable",
        f"Parcours IAE prescrit vers {site.implantation.siae}",
        "Décision du chef d'établissement : classé au travail sur le régime de la siae",
    ):
        assert chronologie.get_by_text(etape).is_visible(), etape
    verifier_accessibilite(page)

    personne = Personne.objects.get(numero_ecrou="E-4242")
    orientation = Orientation.objects.get(personne=personne)
    assert (orientation.signalee_par, orientation.avis_par) == (site.orienteur, site.cpip)
    assert personne.prescriptions.get().prescrite_par == site.cpip
