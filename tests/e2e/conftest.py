"""Parcours dans un vrai navigateur : le Chromium de Debian, sans téléchargement, sans réseau.
Chaque page visitée échoue au moindre message d'erreur de la console ou à toute requête vers
un autre hôte que le serveur de test."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright pilote le navigateur depuis une boucle asynchrone ; les tests, eux, lisent la base.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CAPTURES = Path(__file__).resolve().parents[1] / "captures"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def navigateur(page, live_server):
    """La page Playwright, surveillée : erreurs de console et requêtes hors du serveur de test."""
    hote = urlparse(live_server.url).netloc
    erreurs: list[str] = []
    hors_serveur: list[str] = []
    pages_refusees: list[int] = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: (
            pages_refusees.append(r.status)
            if r.request.resource_type == "document" and r.status >= 400
            else None
        ),
    )
    page.on("pageerror", lambda e: erreurs.append(str(e)))

    def _requete(requete):
        url = urlparse(requete.url)
        if url.scheme in {"http", "https"} and url.netloc != hote:
            hors_serveur.append(requete.url)

    page.on("request", _requete)
    # La machine d'intégration est souvent chargée : on attend un état visible, longtemps s'il le faut.
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(60_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    # Un test de refus déclare les statuts attendus ({403, 404}) : Chromium signale alors chaque
    # page refusée dans la console ; on retire exactement ces messages-là, rien d'autre.
    page.refus_attendus = set()  # type: ignore[attr-defined]
    yield page
    for statut in pages_refusees:
        message = f"Failed to load resource: the server responded with a status of {statut} "
        attendu = next((e for e in erreurs if e.startswith(message)), None)
        if statut in page.refus_attendus and attendu is not None:
            erreurs.remove(attendu)
    assert not erreurs, f"erreurs dans la console : {erreurs}"
    assert not hors_serveur, f"requêtes hors du serveur de test : {hors_serveur}"


def capturer(page, nom: str, sur=None) -> None:
    """Capture de la fenêtre (1280 × 900) : ce que l'agent voit en arrivant, ou autour de
    l'élément ``sur`` (un message d'erreur plus bas dans la page, par exemple)."""
    CAPTURES.mkdir(exist_ok=True)
    if sur is not None:
        sur.scroll_into_view_if_needed()
    page.screenshot(path=str(CAPTURES / f"{nom}.png"))


def se_connecter(page, email: str, mot_de_passe: str) -> None:
    page.goto(page.base_url + "/comptes/connexion/")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()


def connecter(page, utilisateur, mot_de_passe: str) -> None:
    """Connexion par la vraie page, jusqu'à l'accueil de l'agent."""
    se_connecter(page, utilisateur.email, mot_de_passe)
    page.wait_for_url(page.base_url + "/")
    page.get_by_role("heading", level=1).wait_for()


def champ(page, libelle: str):
    """Le champ d'un formulaire par son libellé, suivi de « : » (gabarit de Django) ou de
    l'aide (gabarit du DSFR, l'aide est dans le libellé) ; « Nom » ne prend pas « Prénom »."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(libelle)}(\s*:?\s*$|\s)"))


def se_deconnecter(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/comptes/connexion/")


def menu(page, libelle: str) -> None:
    """Suit une entrée du menu principal, comme l'agent."""
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name=libelle, exact=True
    ).click()
    page.wait_for_load_state()


def verifier_accessibilite(page) -> None:
    """axe-core (embarqué par axe-playwright-python, sans CDN) : aucune violation grave ou
    critique sur la page affichée."""
    resultats = Axe().run(page)
    graves = [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in resultats.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not graves, f"accessibilité, {page.url} :\n" + "\n".join(graves)
