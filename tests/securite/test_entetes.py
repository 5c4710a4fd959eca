"""Chaque adresse qu'un profil peut ouvrir en GET porte les en-têtes de sécurité : CSP stricte à
nonce, nosniff, Referrer-Policy, COOP, pas d'inclusion dans un cadre, et « no-store » dès qu'un agent
est connecté ; son HTML n'a aucun script en ligne sans nonce ni gestionnaire d'événement en ligne.

Les adresses sont choisies à la collecte, d'après la matrice : celles qu'aucun profil n'ouvre en GET
(POST seul, refus pour tous) ne sont pas paramétrées, rien n'est sauté à l'exécution. Pour une page
d'administration où l'administrateur national est seulement « accessible » (renvoi, 403, 404 selon
les droits de l'administration Django), les en-têtes sont vérifiés sur la réponse obtenue."""

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


def _premier_profil_qui_voit(motif) -> str | None:
    """Un profil qui affiche la page (200) de préférence ; à défaut, un profil « accessible »."""
    attendu = attendu_pour(motif)
    if attendu is None:
        return None
    for voulu in (OK, ACCESSIBLE):
        for persona in PERSONAS:
            if attendu.get[persona] == voulu:
                return persona
    return None


# (motif, profil) pour chaque adresse qu'au moins un profil ouvre en GET, calculé à la collecte.
PAGES = [
    (motif, persona)
    for motif in motifs_du_projet()
    if (persona := _premier_profil_qui_voit(motif)) is not None
]


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


@pytest.mark.parametrize(("motif", "persona"), PAGES, ids=[m.cle for m, _ in PAGES])
def test_entetes_de_securite_sur_chaque_page(monde, motif, persona):
    attendu = attendu_pour(motif)
    client = Client()
    agent = monde.agent(persona)
    if agent is not None:
        client.force_login(agent)
    reponse = client.get(adresse(motif, attendu, monde))
    if attendu.get[persona] == OK:
        assert reponse.status_code == 200, f"{persona} obtient {reponse.status_code}"
    else:
        assert reponse.status_code < 500
    verifier_entetes(reponse, connecte=agent is not None)


def test_seules_les_adresses_sans_get_pour_personne_sont_ecartees():
    """Garde-fou : une adresse n'est écartée que si la matrice ne donne le GET à aucun profil."""
    retenues = {m.cle for m, _ in PAGES}
    for motif in motifs_du_projet():
        if motif.cle in retenues:
            continue
        attendu = attendu_pour(motif)
        assert attendu is not None, f"{motif.cle} absente de la matrice"
        assert not any(r in {OK, ACCESSIBLE} for r in attendu.get.values()), motif.cle


def test_pages_publiques_memes_entetes(client, db):
    verifier_entetes(client.get("/comptes/connexion/"), connecte=False)
    verifier_entetes(client.get("/nexiste-pas/"), connecte=False)
