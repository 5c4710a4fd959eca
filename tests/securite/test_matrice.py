"""Chaque motif d'URL × chaque profil × GET et POST donne exactement le résultat déclaré dans
``tests/securite/matrice.py`` ; une URL non déclarée échoue. Un refus (connexion, 403, 404, 405)
n'écrit rien : aucune écriture n'apparaît au journal d'audit (qui les voit toutes)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from charte_iae.models import EntreeAudit
from charte_iae.models.audit import ACTIONS_ECRITURE
from tests.securite.matrice import (
    ACCESSIBLE,
    CONNEXION,
    HORS_ADMIN,
    INTROUVABLE,
    METHODE,
    PERSONAS,
    REFUS,
    adresse,
    attendu_pour,
    classer,
    concorde,
    motifs_du_projet,
)

MOTIFS = list(motifs_du_projet())
REFUSES = {CONNEXION, HORS_ADMIN, REFUS, INTROUVABLE, METHODE}


def _ecritures() -> int:
    return EntreeAudit.objects.filter(action__in=ACTIONS_ECRITURE).count()


def test_chaque_url_du_projet_est_declaree_dans_la_matrice():
    absentes = [m.cle for m in MOTIFS if attendu_pour(m) is None]
    assert not absentes, (
        "URL sans ligne dans tests/securite/matrice.py (déclarez ce que chaque profil obtient) : "
        f"{absentes}"
    )


def test_la_matrice_ne_declare_pas_d_url_disparue():
    from tests.securite.matrice import MATRICE

    cles = {m.cle for m in MOTIFS}
    assert set(MATRICE) <= cles, f"lignes sans URL : {sorted(set(MATRICE) - cles)}"


@pytest.mark.parametrize("motif", MOTIFS, ids=[m.cle for m in MOTIFS])
def test_matrice(monde, motif):
    attendu = attendu_pour(motif)
    assert attendu is not None, f"{motif.cle} absente de la matrice"
    url = adresse(motif, attendu, monde)
    ecarts = []
    for persona in PERSONAS:
        client = Client()
        agent = monde.agent(persona)
        if agent is not None:
            client.force_login(agent)
        for methode in ("get", "post"):
            voulu = attendu.pour_methode(methode)[persona]
            # Chaque requête part du même monde : ce qu'un profil a écrit (une ligne retirée du
            # livret…) est annulé avant le profil suivant.
            with transaction.atomic():
                avant = _ecritures()
                if methode == "get":
                    reponse = client.get(url)
                else:
                    reponse = client.post(url, attendu.donnees(monde))
                obtenu = classer(reponse)
                a_ecrit = _ecritures() != avant
                transaction.set_rollback(True)
            if not concorde(voulu, obtenu):
                ecarts.append(
                    f"{methode.upper()} {url} [{persona}] : attendu {voulu}, obtenu {obtenu}"
                )
            elif voulu in REFUSES and a_ecrit:
                ecarts.append(f"{methode.upper()} {url} [{persona}] : refusé mais a écrit en base")
            assert voulu == ACCESSIBLE or not (isinstance(obtenu, int) and obtenu >= 500)
    assert not ecarts, "\n".join(ecarts)
