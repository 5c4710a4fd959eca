"""Le livret de compétences, de l'accueil du CIP jusqu'au PDF imprimé, dans un vrai
navigateur : le CIP complète le livret (compétences et niveaux, objectifs), le finalise, puis
l'imprime depuis la page de la version ; le document reçu est un PDF qui porte la personne et
ses compétences."""

import pytest

from parcours.models import LivretCompetences
from tests.e2e.conftest import capturer, champ, connecter, verifier_accessibilite
from tests.factories import MOT_DE_PASSE
from tests.impression_outils import compact, texte

pytestmark = pytest.mark.django_db(transaction=True)

COMPETENCES = [
    ("Compétence technique", "Préparer une commande avec un terminal code-barres", "Maîtrisé"),
    ("Compétence technique", "Conduire un transpalette électrique", "Acquis"),
    ("Savoir-être", "Ponctualité et assiduité", "En cours d'acquisition"),
]
PROJET = "Préparateur de commandes en entrepôt logistique, à la sortie."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_le_cip_complete_finalise_et_imprime_le_livret(navigateur):
    from tests.conftest import construire_site
    from tests.parcours.siae_outils import en_parcours, prescrire

    site = construire_site()
    parcours = en_parcours(site, prescrire(site, personne__nom="Moreau", personne__prenom="Lucas"))
    page = navigateur

    # 1. Depuis l'accueil : le livret à finaliser, pas encore commencé.
    connecter(page, site.cip, MOT_DE_PASSE)
    a_finaliser = page.get_by_role("table", name="1 livret à finaliser")
    a_finaliser.get_by_role("row").filter(has_text="MOREAU Lucas").get_by_role(
        "link", name="Pas encore commencé"
    ).click()
    page.get_by_role("heading", name="Livret de compétences", exact=True).wait_for()
    verifier_accessibilite(page)

    # 2. Trois compétences avec leur niveau, puis les objectifs et le projet.
    ajout = page.get_by_role("group", name="Ajouter une compétence")
    for categorie, intitule, niveau in COMPETENCES:
        ajout.get_by_label("Type").select_option(label=categorie)
        ajout.get_by_label("Compétence").fill(intitule)
        ajout.get_by_label("Niveau").select_option(label=niveau)
        ajout.get_by_role("button", name="Ajouter").click()
        page.get_by_text("Le livret est enregistré.").wait_for()
        page.get_by_role("cell", name=intitule).wait_for()
    tableau = page.get_by_role("table", name="Savoir-être et compétences techniques")
    for _, intitule, niveau in COMPETENCES:
        ligne = tableau.get_by_role("row").filter(has_text=intitule)
        assert ligne.get_by_role("cell", name=niveau, exact=True).is_visible()
    page.get_by_role("link", name="Objectifs et projet professionnel").click()
    page.get_by_role("heading", name="Objectifs et projet professionnel").wait_for()
    champ(page, "Objectifs").fill("Obtenir le CACES 1 avant la sortie.")
    champ(page, "Projet professionnel").fill(PROJET)
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les objectifs et le projet sont enregistrés.").wait_for()
    verifier_accessibilite(page)
    capturer(page, "54-cip-livret-brouillon", sur=tableau)

    # 3. Finaliser : la version 1 ne change plus et s'imprime.
    page.get_by_role("button", name="Finaliser cette version").click()
    page.get_by_text("Le livret est finalisé : cette version ne changera plus.").wait_for()
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("heading", name="Imprimer").wait_for()
    assert page.get_by_text("cette version ne change plus", exact=False).is_visible()
    verifier_accessibilite(page)
    capturer(page, "55-cip-livret-finalise")

    # 4. L'impression : le PDF s'ouvre dans la visionneuse du navigateur, depuis la page de la
    #    version ; ses octets sont relus avec la session de l'agent (la visionneuse n'expose
    #    que son enveloppe HTML).
    with page.expect_response(lambda r: r.url.endswith("/livret.pdf")) as attendue:
        page.get_by_role("link", name="Imprimer le livret (PDF)").click()
    reponse = attendue.value
    assert reponse.status == 200 and reponse.headers["content-type"] == "application/pdf"
    assert reponse.headers["content-disposition"].startswith("inline;")
    page.wait_for_url("**/livret.pdf")
    document = page.request.get(page.url)
    assert document.ok and document.headers["content-type"] == "application/pdf"
    contenu = document.body()
    assert contenu.startswith(b"%PDF-")
    document = compact(texte(contenu))
    assert compact("MOREAU") in document.upper() and "Lucas" in document
    for _, intitule, niveau in COMPETENCES:
        assert compact(intitule) in document, intitule
        assert compact(niveau) in document, niveau
    assert compact(PROJET) in document

    livret = LivretCompetences.objects.get(parcours=parcours)
    assert livret.est_finalise and livret.finalise_par == site.cip
    assert livret.competences.count() == len(COMPETENCES)
