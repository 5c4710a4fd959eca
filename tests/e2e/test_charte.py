"""Le tableau de répartition des rôles dans un vrai navigateur : enregistré par htmx, sans
recharger la page, sous la politique de sécurité du contenu (CSP stricte)."""

import pytest

from charte_iae import charte, modele_charte, versions
from charte_iae.models import ChefDeFile
from tests.e2e.conftest import capturer, se_connecter, verifier_accessibilite
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db(transaction=True)


def test_la_direction_remplit_la_grille_sans_recharger_la_page(navigateur):
    from tests.conftest import construire_site

    # Une base vidée par un test transactionnel précédent a perdu le modèle chargé par migration.
    modele_charte.charger(modele_charte.lire())
    site = construire_site()
    version = versions.creer_version(charte=site.charte, par=site.dpip)
    page = navigateur
    se_connecter(page, site.direction.email, MOT_DE_PASSE)
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/chartes/{site.charte.pk}/modifier/repartition/")
    verifier_accessibilite(page)
    page.evaluate("window.__meme_page = true")

    page.get_by_label("Chef de file — Santé / Soins").select_option("autres")
    page.get_by_label("Intervention d'autres acteurs — Santé / Soins").fill("Unité sanitaire")
    page.get_by_role("button", name="Enregistrer le tableau").click()
    page.get_by_text("Tableau enregistré").wait_for()
    assert page.evaluate("window.__meme_page") is True, "la page n'a pas été rechargée"
    verifier_accessibilite(page)
    capturer(page, "charte-repartition")

    # L'article 3.1 avec sa consigne, l'espace d'adaptation et la comparaison.
    page.goto(page.base_url + f"/chartes/{site.charte.pk}/modifier/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Modifier l'article 3.1").click()
    assert page.get_by_text("Préciser ici les modalités de communication choisies").is_visible()
    verifier_accessibilite(page)
    page.locator("label", has_text="Intervention au quartier arrivant").first.click()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Article 3.1 enregistré.").wait_for()
    canaux = version.valeurs.get(champ__code="canaux_information")
    assert canaux.donnees == {"quartier_arrivant": True}
    page.goto(page.base_url + f"/chartes/{site.charte.pk}/comparer/")
    verifier_accessibilite(page)

    ligne = version.repartition.get(domaine__code="sante")
    assert (ligne.chef_de_file, ligne.autres) == (ChefDeFile.AUTRES, "Unité sanitaire")
    assert charte.chef_de_file(site.implantation, "sante") is None, "pas encore en vigueur"


def test_la_charte_en_vigueur_se_lit_en_une_page_accessible(navigateur):
    from tests.charte_iae.conftest import remplir
    from tests.conftest import construire_site

    modele_charte.charger(modele_charte.lire())
    site = construire_site()
    version = remplir(versions.creer_version(charte=site.charte, par=site.dpip), site.dpip)
    versions.soumettre(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.direction)
    page = navigateur
    se_connecter(page, site.cip.email, MOT_DE_PASSE)
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/chartes/{site.charte.pk}/")
    assert page.get_by_text("Finalisée.").is_visible()
    assert page.get_by_role("link", name="Adapter la charte").count() == 0
    verifier_accessibilite(page)
    capturer(page, "charte-consultation")
