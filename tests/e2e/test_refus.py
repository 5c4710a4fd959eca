"""Ce qu'un agent de la SIAE obtient en tapant l'adresse d'une action du SPIP : rien. Hors de
son périmètre, la page n'existe pas (404, sans rien révéler) ; dans son périmètre, l'action
est refusée (403, en français) ; et une requête forgée ne crée rien."""

import re

import pytest

from parcours.models import Prescription
from tests.e2e.conftest import (
    capturer,
    connecter,
    menu,
    se_deconnecter,
    verifier_accessibilite,
)
from tests.factories import MOT_DE_PASSE, OrientationFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SAISINE = "Saisine du JAP pour une semi-liberté : avis favorable du SPIP."


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


def _sans_trace_du_jap(page) -> None:
    """Ni lien vers la liaison avec le JAP, ni compte, ni mention sur la page affichée."""
    assert page.locator("a[href*='/jap']").count() == 0, page.url
    assert not re.search(r"\bJAP\b|juge de l.application", page.locator("body").inner_text(), re.I)


def test_la_siae_qui_tape_l_adresse_d_une_liaison_jap_n_obtient_rien(navigateur):
    from tests.accompagnement.factories import liaison_jap
    from tests.conftest import construire_site
    from tests.parcours.siae_outils import en_parcours, prescrire

    site = construire_site()
    parcours = en_parcours(site, prescrire(site, personne__nom="Lambert", personne__prenom="Noé"))
    personne = parcours.personne
    liaison = liaison_jap(auteur=site.cpip, personne=personne, contenu=SAISINE)
    page = navigateur
    page.refus_attendus = {404}  # type: ignore[attr-defined]
    connecter(page, site.cip, MOT_DE_PASSE)

    # L'échange avec le JAP, tapé à la main : la page n'existe pas, sans rien révéler.
    reponse = page.goto(page.base_url + liaison.get_absolute_url())
    assert reponse.status == 404
    assert page.get_by_role("heading", name="Page introuvable").is_visible()
    assert page.get_by_text("semi-liberté", exact=False).count() == 0
    assert page.get_by_text("Lambert", exact=False).count() == 0
    verifier_accessibilite(page)
    capturer(page, "21-siae-liaison-jap-introuvable")
    # La liste des échanges, le formulaire d'un nouvel échange, les présentations : non plus.
    for chemin in (
        f"/accompagnement/personnes/{personne.pk}/jap/",
        f"/accompagnement/personnes/{personne.pk}/jap/nouvelle/",
        "/accompagnement/jap/presentations/",
    ):
        reponse = page.goto(page.base_url + chemin)
        assert reponse.status == 404, chemin
        assert page.get_by_role("heading", name="Page introuvable").is_visible()

    # Les pages de la personne que voit la SIAE : ni lien, ni compte, ni mention du JAP.
    menu(page, "Personnes")
    page.get_by_role("link", name="LAMBERT Noé").click()
    page.get_by_role("heading", name="LAMBERT Noé").wait_for()
    _sans_trace_du_jap(page)
    page.get_by_role("link", name="Suivi de l'accompagnement par domaine").click()
    page.get_by_role("heading", name="Accompagnement par domaine").wait_for()
    _sans_trace_du_jap(page)
    verifier_accessibilite(page)
    page.goto(page.base_url + parcours.get_absolute_url())
    page.get_by_role("heading", name="Parcours IAE").wait_for()
    _sans_trace_du_jap(page)
    page.get_by_role("link", name="Livret de compétences").click()
    page.get_by_role("heading", name="Livret de compétences", exact=True).wait_for()
    _sans_trace_du_jap(page)
    se_deconnecter(page)

    # Le CPIP, lui, voit l'échange depuis le même suivi : l'absence ci-dessus n'est pas un oubli.
    connecter(page, site.cpip, MOT_DE_PASSE)
    page.goto(page.base_url + f"/accompagnement/personnes/{personne.pk}/")
    page.get_by_role("link", name="Liaison avec le JAP (1 échange)").click()
    echanges = page.get_by_role("table", name="Échanges avec le JAP")
    echanges.get_by_role("row").filter(has_text="Rapport").get_by_role("link").click()
    page.get_by_text(SAISINE).wait_for()
    assert page.url == page.base_url + liaison.get_absolute_url()
    verifier_accessibilite(page)
