"""Conservation : le journal d'audit de plus de 12 mois et les sessions expirées sont purgés ;
--dry-run ne touche à rien ; les applications inscrivent leurs étapes d'anonymisation."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command

from charte_iae import audit, retention, tasks
from charte_iae.models import ActionAudit, EntreeAudit

MAINTENANT = datetime.datetime(2027, 6, 1, 3, 0, tzinfo=datetime.UTC)


def _entree_le(quand: datetime.datetime, objet_id: int) -> EntreeAudit:
    with time_machine.travel(quand, tick=False):
        return audit.journaliser(
            None, action=ActionAudit.LECTURE, type_objet="parcours.personne", objet_id=objet_id
        )


@pytest.fixture
def journal(db):
    vieille = _entree_le(MAINTENANT - datetime.timedelta(days=366), 1)
    limite = _entree_le(MAINTENANT - datetime.timedelta(days=364), 2)
    recente = _entree_le(MAINTENANT - datetime.timedelta(days=1), 3)
    return vieille, limite, recente


@pytest.fixture
def sessions(db):
    with time_machine.travel(MAINTENANT - datetime.timedelta(days=2), tick=False):
        expiree = SessionStore()
        expiree.set_expiry(3600)
        expiree.create()
    with time_machine.travel(MAINTENANT, tick=False):
        vivante = SessionStore()
        vivante.create()
    return expiree.session_key, vivante.session_key


def _ids_restants():
    return set(
        EntreeAudit.objects.filter(type_objet="parcours.personne").values_list(
            "objet_id", flat=True
        )
    )


def test_purge_du_journal_de_plus_de_12_mois_et_des_sessions_expirees(journal, sessions):
    with time_machine.travel(MAINTENANT, tick=False):
        ctx = retention.purger()
    assert _ids_restants() == {"2", "3"}
    assert ctx.comptes["entrées du journal d'audit purgées"] == 1
    expiree, vivante = sessions
    assert not Session.objects.filter(session_key=expiree).exists()
    assert Session.objects.filter(session_key=vivante).exists()


def test_dry_run_ne_modifie_rien_et_dit_ce_qu_il_ferait(journal, sessions):
    sortie = io.StringIO()
    with time_machine.travel(MAINTENANT, tick=False):
        call_command("purger_donnees", "--dry-run", stdout=sortie)
    assert _ids_restants() == {"1", "2", "3"}
    assert Session.objects.count() == 2
    texte = sortie.getvalue()
    assert "[essai] entrées du journal d'audit purgées : 1" in texte
    assert "[essai] sessions expirées supprimées : 1" in texte


def test_la_commande_purge_et_la_duree_est_reglable(journal, settings):
    settings.RETENTION_AUDIT_JOURS = 2
    sortie = io.StringIO()
    with time_machine.travel(MAINTENANT, tick=False):
        call_command("purger_donnees", stdout=sortie)
    assert _ids_restants() == {"3"}
    assert "entrées du journal d'audit purgées : 2" in sortie.getvalue()


def test_la_tache_de_fond_fait_la_meme_purge(journal):
    with time_machine.travel(MAINTENANT, tick=False):
        resultat = tasks.purger_donnees.enqueue()
    assert resultat.return_value["entrées du journal d'audit purgées"] == 1
    assert _ids_restants() == {"2", "3"}


def test_une_application_inscrit_son_etape_d_anonymisation(db, settings):
    vus = []

    @retention.etape_retention(10)
    def anonymiser_personnes_de_test(ctx: retention.ContexteRetention) -> None:
        vus.append((ctx.essai, ctx.limite_dossiers))
        ctx.compter("personnes anonymisées", 0 if ctx.essai else 3)

    try:
        with time_machine.travel(MAINTENANT, tick=False):
            essai = retention.purger(essai=True)
            reel = retention.purger()
    finally:
        retention._etapes[:] = [
            e for e in retention._etapes if e[2] is not anonymiser_personnes_de_test
        ]
    deux_ans = MAINTENANT - datetime.timedelta(days=730)
    assert vus == [(True, deux_ans), (False, deux_ans)]
    assert essai.comptes["personnes anonymisées"] == 0
    assert reel.comptes["personnes anonymisées"] == 3
