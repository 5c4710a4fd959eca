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

from accompagnement.models import ActionAccompagnement, ElementAmenagement, LiaisonJAP
from charte_iae import audit, retention, tasks
from charte_iae.models import ActionAudit, EntreeAudit
from parcours.models import EntretienRecrutement, PassageMilieuOuvert, Personne

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


# --- Textes libres du parcours côté SIAE et de l'accompagnement --------------------------------


def _dossier_complet(site):
    """Une personne avec entretien, parcours, sortie, passage, action avec partenaire, élément
    d'aménagement et échange avec le JAP — tous avec du texte libre."""
    from accompagnement import services as accompagnement_services
    from accompagnement.enums import TypeAction, TypeAmenagement, TypeElementAmenagement
    from parcours import services_siae
    from tests.accompagnement import factories as fabriques
    from tests.parcours import siae_outils

    parcours = siae_outils.en_parcours(site)
    personne = parcours.personne
    fabriques.action(
        auteur=site.cip,
        personne=personne,
        type=TypeAction.CONTACT_PARTENAIRE,
        partenaire="Mme Partenaire, Mission locale",
    )
    ActionAccompagnement.objects.filter(personne=personne).update(resultat="Résultat confidentiel")
    projet = accompagnement_services.creer_projet_amenagement(
        auteur=site.cpip, personne=personne, type=TypeAmenagement.SEMI_LIBERTE
    )
    accompagnement_services.apporter_element(
        auteur=site.cip,
        projet=projet,
        type=TypeElementAmenagement.values[0],
        contenu="Élément confidentiel",
    )
    fabriques.liaison_jap(auteur=site.cpip, personne=personne, contenu="Rapport confidentiel")
    siae_outils.sortir(site, parcours)
    services_siae.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Projet confidentiel"
    )
    return personne


def _textes(personne):
    return {
        "notes": set(
            EntretienRecrutement.objects.filter(personne=personne).values_list("notes", flat=True)
        ),
        "projet": set(
            PassageMilieuOuvert.objects.filter(personne=personne).values_list("projet", flat=True)
        ),
        "resultat": set(
            ActionAccompagnement.objects.filter(personne=personne).values_list(
                "resultat", flat=True
            )
        ),
        "partenaire": set(
            ActionAccompagnement.objects.filter(personne=personne).values_list(
                "partenaire", flat=True
            )
        ),
        "element": set(
            ElementAmenagement.objects.filter(projet__personne=personne).values_list(
                "contenu", flat=True
            )
        ),
        "jap": set(LiaisonJAP.objects.filter(personne=personne).values_list("contenu", flat=True)),
    }


def test_les_textes_libres_d_une_personne_liberee_depuis_2_ans_sont_effaces(site):
    ancienne = _dossier_complet(site)
    recente = _dossier_complet(site)
    Personne.objects.filter(pk=ancienne.pk).update(
        date_liberation_previsible=datetime.date(2025, 5, 1)
    )
    Personne.objects.filter(pk=recente.pk).update(
        date_liberation_previsible=datetime.date(2025, 7, 1)
    )
    avant = _textes(recente)
    actions_avant = ActionAccompagnement.objects.count()
    contacts_avant = ActionAccompagnement.objects.contacts_partenaires().count()

    with time_machine.travel(MAINTENANT, tick=False):
        essai = retention.purger(essai=True)
        assert _textes(ancienne)["jap"] == {"Rapport confidentiel"}
        ctx = retention.purger()
        second = retention.purger()

    assert essai.comptes["échanges avec le JAP effacés"] == 1
    assert _textes(ancienne) == {
        "notes": {""},
        "projet": {"(anonymisé)"},
        "resultat": {""},
        "partenaire": {"(anonymisé)"},
        "element": {"(anonymisé)"},
        "jap": {"(anonymisé)"},
    }
    assert ctx.comptes["notes d'entretien effacées"] == 1
    assert ctx.comptes["partenaires contactés anonymisés"] == 1
    # Idempotent ; la personne libérée il y a moins de deux ans garde tout.
    assert second.comptes["échanges avec le JAP effacés"] == 0
    assert _textes(recente) == avant
    # Les statistiques comptent les mêmes lignes.
    assert ActionAccompagnement.objects.count() == actions_avant
    assert ActionAccompagnement.objects.contacts_partenaires().count() == contacts_avant
    # Chaque effacement est journalisé, sans valeur.
    liaison = LiaisonJAP.objects.get(personne=ancienne)
    assert EntreeAudit.objects.sur(liaison).filter(action=ActionAudit.MODIFICATION).exists()


def test_les_textes_libres_d_un_livret_finalise_sont_effaces_apres_la_conservation(site):
    """Une version finalisée ne change plus (LivretFige)… sauf pour l'effacement légal."""
    from parcours.models import LivretCompetences, LivretFige
    from tests.parcours import siae_outils

    def _livret_sorti():
        parcours = siae_outils.en_parcours(site)
        livret = siae_outils.avec_livret_finalise(site, parcours)
        siae_outils.sortir(site, parcours)
        return livret

    ancien, recent = _livret_sorti(), _livret_sorti()
    Personne.objects.filter(pk=ancien.parcours.personne_id).update(
        date_liberation_previsible=datetime.date(2025, 5, 1)
    )
    Personne.objects.filter(pk=recent.parcours.personne_id).update(
        date_liberation_previsible=datetime.date(2025, 7, 1)
    )
    with pytest.raises(LivretFige):
        LivretCompetences.objects.filter(pk=ancien.pk).update(objectifs="")

    with time_machine.travel(MAINTENANT, tick=False):
        ctx = retention.purger()
        second = retention.purger()

    ancien.refresh_from_db()
    recent.refresh_from_db()
    assert (ancien.objectifs, ancien.projet_professionnel) == ("", "")
    assert ancien.est_finalise and ancien.competences.exists()  # la version et ses compétences
    assert recent.objectifs == "Obtenir le CACES 1."
    assert ctx.comptes["objectifs et projets des livrets effacés"] == 1
    assert second.comptes["objectifs et projets des livrets effacés"] == 0
    assert EntreeAudit.objects.sur(ancien).filter(action=ActionAudit.MODIFICATION).exists()
