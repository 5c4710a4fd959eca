"""La page de connexion s'affiche au DSFR dans un vrai navigateur et mène à l'accueil du CPIP."""

import pytest

from tests.e2e.conftest import capturer, se_connecter, verifier_accessibilite
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db(transaction=True)


def test_connexion_au_dsfr_puis_accueil_du_cpip(navigateur):
    from tests.conftest import construire_site

    site = construire_site()
    page = navigateur
    page.goto(page.base_url + "/comptes/connexion/")
    # Le DSFR est chargé : la police Marianne et la couleur de marque s'appliquent.
    police = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Marianne" in police
    assert page.locator(".fr-header").is_visible()
    verifier_accessibilite(page)
    capturer(page, "connexion")

    se_connecter(page, site.cpip.email, "mauvais-mot-de-passe")
    assert page.get_by_text("Adresse e-mail ou mot de passe incorrect.").is_visible()

    se_connecter(page, site.cpip.email, MOT_DE_PASSE)
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_role("heading", name="Mon portefeuille").is_visible()
    assert page.get_by_text(str(site.implantation.spip)).first.is_visible()
    verifier_accessibilite(page)
    capturer(page, "accueil-cpip")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/comptes/connexion/")
