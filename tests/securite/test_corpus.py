"""Le corpus hostile dans chaque formulaire existant : jamais de 500, enregistré tel quel ou
refusé en français, toujours échappé à l'affichage."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils.html import escape

from charte_iae.models import Charte
from tests.factories import MOT_DE_PASSE
from tests.securite.corpus import CORPUS, TEXTES, ids

MESSAGES_DE_REFUS = (
    "Assurez-vous que cette valeur comporte au plus",
    "Ce champ est obligatoire.",
    "Le caractère nul n’est pas autorisé.",
)


def _sans_injection(html: str, valeur: str) -> None:
    if any(c in valeur for c in "<>\"'") and len(valeur) < 1000:
        assert valeur not in html, f"valeur réaffichée sans échappement : {valeur!r}"
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("valeur", TEXTES, ids=ids(TEXTES))
def test_intitule_de_la_charte(client, site, valeur):
    client.force_login(site.dpip)
    reponse = client.post(reverse("charte_modifier", args=[site.charte.pk]), {"intitule": valeur})
    assert reponse.status_code in {200, 302}
    html = reponse.content.decode()
    _sans_injection(html, valeur)
    enregistre = Charte.objects.get(pk=site.charte.pk).intitule
    if reponse.status_code == 302:
        assert enregistre == valeur.strip()  # tel quel (aux espaces de bord près)
        detail = client.get(reverse("charte_detail", args=[site.charte.pk])).content.decode()
        _sans_injection(detail, valeur)
        assert escape(enregistre) in detail
        if "{{7*7}}" in valeur:
            assert "{{7*7}}" in detail  # le gabarit n'est pas interprété
    else:
        assert any(m in html for m in MESSAGES_DE_REFUS), "refus sans message français"
        assert enregistre == site.charte.intitule


@pytest.mark.parametrize("valeur", CORPUS, ids=ids(CORPUS))
def test_formulaire_de_connexion(client, site, valeur):
    for donnees in (
        {"username": valeur, "password": valeur},
        {"username": site.cip.email, "password": valeur},
    ):
        reponse = client.post(reverse("connexion") + f"?next={valeur[:200]}", donnees)
        assert reponse.status_code in {200, 429}
        _sans_injection(reponse.content.decode(), valeur)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("valeur", CORPUS, ids=ids(CORPUS))
def test_suite_de_connexion_reste_sur_le_site(client, site, valeur):
    reponse = client.post(
        reverse("connexion"),
        {"username": site.cpip.email, "password": MOT_DE_PASSE, "next": valeur[:2000]},
    )
    assert reponse.status_code == 302
    cible = reponse["Location"]
    morceaux = urlsplit(cible)
    assert morceaux.scheme in {"", "http", "https"} and morceaux.netloc in {"", "testserver"}
    assert not cible.startswith("//")


@pytest.mark.parametrize("valeur", CORPUS, ids=ids(CORPUS))
def test_formulaires_du_second_facteur(client, site, valeur):
    client.force_login(site.dpip)
    for nom in ("otp_activer", "otp_verifier"):
        reponse = client.post(reverse(nom), {"code": valeur, "next": valeur[:2000]})
        assert reponse.status_code in {200, 302}
        _sans_injection(reponse.content.decode(), valeur)


@pytest.mark.parametrize("valeur", TEXTES[:20], ids=ids(TEXTES[:20]))
def test_parametres_d_url_des_pages(client, site, valeur):
    client.force_login(site.dpip)
    for url in (
        reverse("chartes"),
        reverse("accueil"),
        reverse("journal_objet", args=["charte_iae.charte", site.charte.pk]),
    ):
        reponse = client.get(url, {"page": valeur, "q": valeur})
        assert reponse.status_code == 200
        _sans_injection(reponse.content.decode(), valeur)
    assert client.get(f"/journal/{valeur[:50]}/1/").status_code in {404}
