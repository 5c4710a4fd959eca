"""Chaque page qui s'affiche (GET 200) porte les en-têtes de sécurité : CSP stricte à nonce,
nosniff, Referrer-Policy, COOP, pas d'inclusion dans un cadre, et « no-store » dès qu'un agent est
connecté ; son HTML n'a aucun script en ligne sans nonce ni gestionnaire d'événement en ligne."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.securite.matrice import (
    ACCESSIBLE,
    OK,
    PERSONAS,
    adresse,
    attendu_pour,
    motifs_du_projet,
)

MOTIFS = list(motifs_du_projet())


def _premier_profil_qui_voit(motif) -> str | None:
    attendu = attendu_pour(motif)
    for persona in PERSONAS:
        if attendu.get[persona] in {OK, ACCESSIBLE}:
            return persona
    return None


def _csp(entete: str) -> dict[str, list[str]]:
    directives = {}
    for partie in entete.split(";"):
        mots = partie.split()
        if mots:
            directives[mots[0]] = mots[1:]
    return directives


def verifier_entetes(reponse, *, connecte: bool) -> None:
    csp = _csp(reponse["Content-Security-Policy"])
    script = csp["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    # Django n'ajoute le nonce que si la page s'en sert (JSON, images : 'self' seul, plus strict).
    nonces = [s for s in script if s.startswith("'nonce-")]
    assert len(nonces) <= 1
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Referrer-Policy"] == "same-origin"
    assert reponse["Cross-Origin-Opener-Policy"] == "same-origin"
    assert reponse["X-Frame-Options"] == "DENY"
    if connecte:
        assert "no-store" in reponse["Cache-Control"]
    if reponse["Content-Type"].startswith("text/html"):
        html = reponse.content.decode()
        nonce = nonces[0][len("'nonce-") : -1] if nonces else "(aucun)"
        for balise in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
            if "src=" in balise or 'type="application/json"' in balise:
                continue
            assert f'nonce="{nonce}"' in balise, f"script en ligne sans nonce : {balise}"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, flags=re.IGNORECASE), (
            "gestionnaire d'événement en ligne (bloqué par la CSP)"
        )
        assert "javascript:" not in html.lower()


@pytest.mark.parametrize("motif", MOTIFS, ids=[m.cle for m in MOTIFS])
def test_entetes_de_securite_sur_chaque_page(monde, motif):
    persona = _premier_profil_qui_voit(motif)
    if persona is None:
        pytest.skip("aucun profil n'affiche cette adresse en GET (POST seul ou refus pour tous)")
    client = Client()
    agent = monde.agent(persona)
    if agent is not None:
        client.force_login(agent)
    reponse = client.get(adresse(motif, attendu_pour(motif), monde))
    if reponse.status_code != 200:
        pytest.skip(f"{persona} obtient {reponse.status_code} : rien à afficher")
    verifier_entetes(reponse, connecte=agent is not None)


def test_pages_publiques_memes_entetes(client, db):
    verifier_entetes(client.get("/comptes/connexion/"), connecte=False)
    verifier_entetes(client.get("/nexiste-pas/"), connecte=False)
