"""Invariance du nombre de requêtes : chaque page est comptée avec 1 puis 50 lignes, et son
nombre est épinglé. Les droits sont préchargés (``acces.precharger``), jamais vérifiés ligne
à ligne."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PEU, BEAUCOUP = 1, 50


def compter(client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200, (url, reponse.status_code)
    return len(requetes)


@pytest.fixture
def invariance(client, django_assert_num_queries) -> Callable[..., None]:
    """``invariance(agent, url, ajouter, attendu)`` : ``ajouter(n)`` crée n lignes de plus
    (et rend éventuellement l'URL à visiter) ; la page coûte ``attendu`` requêtes avec 1 ligne
    comme avec 50."""

    def verifier(
        agent,
        url: str,
        ajouter: Callable[[int], object],
        attendu: int,
        motif: str | None,
    ) -> None:
        """``motif`` : une expression rationnelle qui repère une ligne dans la page, pour
        prouver que les lignes ajoutées sont bien affichées (sinon le test ne prouverait rien).
        ``None`` pour une page d'agrégats : la page doit alors au moins avoir changé."""
        client.force_login(agent)
        # Première visite, avant toute ligne : la session est réécrite, les caches se
        # remplissent ; ensuite 1 puis 50 lignes sont vues dans le même état (non lues…).
        client.get(url)
        ajouter(PEU)
        avec_une = compter(client, url)
        avant = client.get(url).content.decode()
        lignes_avant = len(re.findall(motif, avant)) if motif else 1
        ajouter(BEAUCOUP - PEU)
        with django_assert_num_queries(attendu):
            reponse = client.get(url)
        assert reponse.status_code == 200
        apres = reponse.content.decode()
        if motif:
            lignes_apres = len(re.findall(motif, apres))
            assert lignes_apres > lignes_avant >= 1, (lignes_avant, lignes_apres)
        else:
            assert apres != avant, "les lignes ajoutées n'ont rien changé à la page"
        assert avec_une == attendu, f"{avec_une} requêtes avec 1 ligne, {attendu} attendues"

    return verifier
