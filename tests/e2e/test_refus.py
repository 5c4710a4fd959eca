"""Ce qu'un agent de la SIAE obtient en tapant l'adresse d'une action du SPIP : rien. Hors de
son périmètre, la page n'existe pas (404, sans rien révéler) ; dans son périmètre, l'action
est refusée (403, en français) ; et une requête forgée ne crée rien."""

import pytest

from parcours.models import Prescription
from tests.e2e.conftest import capturer, connecter, verifier_accessibilite
from tests.factories import MOT_DE_PASSE, OrientationFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _poster(page, chemin: str, implantation: int):
    """Un POST forgé avec la session et le jeton CSRF de l'agent, comme le ferait un script."""
    # Le jeton de la page affichée (celui du bouton « Se déconnecter »).
    jeton = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    return page.request.post(
        page.base_url + chemin,
        headers={"Referer": page.base_url + "/"},
        form={
            "csrfmiddlewaretoken": jeton,
            "implantation": str(implantation),
            "commentaire": "forgé",
        },
    )


def test_la_siae_qui_tape_l_adresse_de_la_prescription_n_obtient_rien(navigateur):
    from tests.conftest import construire_site

    site = construire_site()
    etablissement = site.implantation.etablissement
    hors_perimetre = OrientationFactory(
        personne__etablissement=etablissement, personne__nom="Invisible", avis_favorable=True
    )
    suivie = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    page = navigateur
    page.refus_attendus = {403, 404}  # type: ignore[attr-defined]
    connecter(page, site.cip, MOT_DE_PASSE)

    # Une personne qui n'est pas prescrite vers sa SIAE : la page n'existe pas pour elle.
    reponse = page.goto(page.base_url + f"/parcours/orientations/{hors_perimetre.pk}/prescrire/")
    assert reponse.status == 404
    assert page.get_by_role("heading", name="Page introuvable").is_visible()
    assert page.get_by_text("Invisible", exact=False).count() == 0
    assert page.get_by_role("button", name="Prescrire").count() == 0
    verifier_accessibilite(page)
    capturer(page, "20-siae-prescription-introuvable")

    # Une personne que sa SIAE accompagne : l'action du SPIP est refusée, sans formulaire.
    reponse = page.goto(
        page.base_url + f"/parcours/orientations/{suivie.orientation_id}/prescrire/"
    )
    assert reponse.status == 403
    assert page.get_by_role("heading", name="Action refusée").is_visible()
    assert page.get_by_text("Seul un CPIP (ou le DPIP) du SPIP de l'établissement").is_visible()
    assert page.get_by_role("button", name="Prescrire").count() == 0
    verifier_accessibilite(page)

    # Son dossier ne lui propose pas de prescrire.
    page.goto(page.base_url + f"/parcours/personnes/{suivie.personne.pk}/")
    page.get_by_role("heading", name=suivie.personne.nom.upper(), exact=False).wait_for()
    assert page.get_by_role("link", name="Prescrire").count() == 0

    # Une requête forgée, session et jeton compris, ne crée rien.
    implantation = site.implantation.pk
    chemin = f"/parcours/orientations/{hors_perimetre.pk}/prescrire/"
    assert _poster(page, chemin, implantation).status == 404
    refus = _poster(
        page, f"/parcours/orientations/{suivie.orientation_id}/prescrire/", implantation
    )
    # Refusée par la règle (message en français), pas par la protection CSRF.
    assert refus.status == 403 and "Seul un CPIP (ou le DPIP)" in refus.text()
    assert Prescription.objects.count() == 1
