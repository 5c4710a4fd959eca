"""Le formulaire de signalement se remplit et s'envoie au clavier seul : lien d'évitement vers le
contenu, tabulation de champ en champ dans l'ordre de lecture, focus visible, Entrée pour
envoyer. Aucun clic de souris après la connexion."""

import pytest

from parcours.models import Orientation
from tests.e2e.conftest import capturer, connecter, verifier_accessibilite
from tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db(transaction=True)


def _focus(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            const style = getComputedStyle(e);
            return {
                id: e.id, tag: e.tagName.toLowerCase(), type: e.type || "", text: e.innerText || "",
                visible: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
            };
        }"""
    )


def _tabuler_jusqu_a(page, ident: str, limite: int = 60) -> list[str]:
    """Tabule jusqu'au champ ``ident`` ; rend les identifiants traversés (ordre de passage)."""
    traverses = []
    for _ in range(limite):
        page.keyboard.press("Tab")
        focus = _focus(page)
        traverses.append(focus["id"])
        if focus["id"] == ident:
            assert focus["visible"], f"focus invisible sur #{ident}"
            return traverses
    raise AssertionError(f"#{ident} n'est pas atteint au clavier : {traverses}")


def test_signaler_une_personne_au_clavier_seul(navigateur):
    from tests.conftest import construire_site

    site = construire_site()
    page = navigateur
    connecter(page, site.orienteur, MOT_DE_PASSE)
    page.goto(page.base_url + "/parcours/orientations/signaler/")
    page.get_by_role("heading", name="Signaler une personne").wait_for()

    # Le premier arrêt de tabulation est le lien d'évitement, qui mène au contenu.
    page.keyboard.press("Tab")
    assert _focus(page)["text"].strip() == "Contenu"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'contenu'")

    # Les champs se suivent dans l'ordre du formulaire, chacun avec un focus visible.
    ordre = ["id_etablissement", "id_numero_ecrou", "id_nom", "id_prenom", "id_date_naissance"]
    for ident in ordre:
        traverses = _tabuler_jusqu_a(page, ident)
        assert not set(traverses[:-1]) & set(ordre), f"ordre de tabulation : {traverses}"
        if ident == "id_numero_ecrou":
            page.keyboard.type("K-77")
        elif ident == "id_nom":
            page.keyboard.type("Lefèvre")
        elif ident == "id_prenom":
            page.keyboard.type("Noé")
        elif ident == "id_date_naissance":
            # L'ordre des segments (jj/mm ou mm/jj) suit la langue de l'interface de Chromium,
            # qui n'embarque ici que l'anglais : un jour égal au mois se tape pareil dans les deux.
            page.keyboard.type("05051990")
    assert page.locator("#id_date_naissance").input_value() == "1990-05-05"
    _tabuler_jusqu_a(page, "id_signalee_le")
    _tabuler_jusqu_a(page, "id_motif")
    page.keyboard.type("Demande à travailler ; signalé au clavier seul.")
    verifier_accessibilite(page)
    capturer(page, "30-signalement-au-clavier")

    # Tabulation jusqu'au bouton, puis Entrée.
    traverses = _tabuler_jusqu_a(page, "", limite=5)
    assert _focus(page)["text"].strip() == "Signaler", traverses
    page.keyboard.press("Enter")
    page.get_by_text("L'orientation est enregistrée ; le SPIP est prévenu.").wait_for()

    orientation = Orientation.objects.get(personne__numero_ecrou="K-77")
    assert (orientation.personne.nom, orientation.personne.prenom) == ("Lefèvre", "Noé")
    assert orientation.motif == "Demande à travailler ; signalé au clavier seul."
    assert orientation.signalee_par == site.orienteur
