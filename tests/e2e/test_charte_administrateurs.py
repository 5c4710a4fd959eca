"""Les administrateurs locaux adaptent la charte en vigueur dans un vrai navigateur : le DPIP
ouvre une nouvelle version et précise un article, la direction de la SIAE remplit le tableau
de répartition des rôles et soumet ; chacun approuve ; la nouvelle version est en vigueur."""

import re

import pytest

from charte_iae import charte, modele_charte, versions
from charte_iae.models import ChefDeFile, StatutVersion
from tests.e2e.conftest import (
    capturer,
    connecter,
    menu,
    se_deconnecter,
    verifier_accessibilite,
)
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db(transaction=True)

NOUVELLE_TRANSMISSION = "Fiche de liaison remise au CPIP deux mois avant la sortie"


def _ouvrir_l_espace_d_adaptation(page, site) -> None:
    menu(page, "Charte")
    page.get_by_role("link", name=str(site.implantation.siae)).click()
    page.get_by_role("link", name="Adapter la charte").click()
    page.get_by_role("heading", name="Adapter la charte", level=1).wait_for()


def test_le_dpip_et_la_direction_adaptent_puis_approuvent_une_nouvelle_version(navigateur):
    from tests.charte_iae.conftest import remplir
    from tests.conftest import construire_site

    # Une base vidée par un test transactionnel précédent a perdu le modèle chargé par migration.
    modele_charte.charger(modele_charte.lire())
    site = construire_site()
    v1 = remplir(versions.creer_version(charte=site.charte, par=site.dpip), site.dpip)
    versions.soumettre(version=v1, par=site.dpip)
    versions.approuver(version=v1, par=site.dpip)
    versions.approuver(version=v1, par=site.direction)
    page = navigateur

    # 1. Le DPIP ouvre la version 2 et précise l'article 6.
    connecter(page, site.dpip, MOT_DE_PASSE)
    _ouvrir_l_espace_d_adaptation(page, site)
    verifier_accessibilite(page)
    page.get_by_role("button", name="Ouvrir une nouvelle version").click()
    page.get_by_text("Version 2 ouverte en brouillon").wait_for()
    assert page.get_by_text("Tous les champs obligatoires sont remplis").is_visible()
    verifier_accessibilite(page)
    page.get_by_role("link", name="Modifier l'article 6").click()
    page.get_by_role("heading", name="Article 6").wait_for()
    verifier_accessibilite(page)
    page.get_by_role("textbox", name=re.compile("transmission de l.information à la sortie")).fill(
        NOUVELLE_TRANSMISSION
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Article 6 enregistré.").wait_for()
    se_deconnecter(page)

    # 2. La direction de la SIAE prend la tête de la mobilité, puis soumet et approuve.
    connecter(page, site.direction, MOT_DE_PASSE)
    _ouvrir_l_espace_d_adaptation(page, site)
    assert page.get_by_role("heading", name="Version 2").is_visible()
    page.get_by_role("link", name="Tableau de répartition des rôles").click()
    page.get_by_label("Chef de file — Mobilité").select_option("partage")
    page.get_by_label("Permanents de la SIAE (CIP et ET) — Mobilité").fill(
        "Recherche des solutions de transport à la sortie"
    )
    page.get_by_role("button", name="Enregistrer le tableau").click()
    page.get_by_text("Tableau enregistré").wait_for()
    verifier_accessibilite(page)
    capturer(page, "10-direction-repartition-des-roles")
    page.goto(page.base_url + f"/chartes/{site.charte.pk}/modifier/")
    page.get_by_role("button", name="Soumettre à l'approbation des deux parties").click()
    page.get_by_text("Version soumise : elle attend l'approbation des deux parties.").wait_for()
    page.get_by_role("button", name="Approuver cette version").click()
    page.get_by_text("Approbation enregistrée : elle attend celle de l'autre partie.").wait_for()
    assert page.get_by_text(f"SIAE : approuvée par {site.direction}").is_visible()
    assert page.get_by_text("SPIP : approbation attendue").is_visible()
    assert page.get_by_role("button", name="Approuver cette version").count() == 0
    verifier_accessibilite(page)
    capturer(page, "11-direction-approbation")
    se_deconnecter(page)

    # 3. Le DPIP relit ce qui change, puis approuve : la version 2 entre en vigueur.
    connecter(page, site.dpip, MOT_DE_PASSE)
    _ouvrir_l_espace_d_adaptation(page, site)
    page.get_by_role("link", name="Versions et approbations").first.click()
    page.get_by_role("heading", name="Versions et approbations").wait_for()
    changements = page.get_by_role("table", name="Éléments modifiés")
    assert changements.get_by_text(NOUVELLE_TRANSMISSION).is_visible()
    assert changements.get_by_text("Recherche des solutions de transport").is_visible()
    verifier_accessibilite(page)
    capturer(page, "12-dpip-comparaison-des-versions")
    page.go_back()
    page.get_by_role("button", name="Approuver cette version").click()
    page.get_by_text("Approuvée par les deux parties : la version 2 est en vigueur.").wait_for()
    assert page.get_by_text("Version 2 — En vigueur").is_visible()
    assert page.get_by_text(NOUVELLE_TRANSMISSION).is_visible()
    verifier_accessibilite(page)
    capturer(page, "13-charte-en-vigueur")

    v1.refresh_from_db()
    v2 = site.charte.versions.get(numero=2)
    assert (v1.statut, v2.statut) == (StatutVersion.REMPLACEE, StatutVersion.EN_VIGUEUR)
    assert (v2.approuvee_spip_par, v2.approuvee_siae_par) == (site.dpip, site.direction)
    assert charte.chef_de_file(site.implantation, "mobilite") == ChefDeFile.PARTAGE
