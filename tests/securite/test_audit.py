"""Le journal d'audit : chaque écriture et chaque lecture déclarée y laisse une entrée (qui, quoi,
quand, requête), sans valeur personnelle ; il est en ajout seul, jusque dans PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accompagnement.enums import StatutAction, TypeAction
from accompagnement.models import ActionAccompagnement
from charte_iae import audit, services
from charte_iae.models import ActionAudit, Charte, EntreeAudit
from charte_iae.models.audit import JournalInalterable
from tests.factories import ImplantationFactory, PrescriptionFactory, UtilisateurFactory

# Déclencheur propre à PostgreSQL : écarté à la collecte sur SQLite (tests/conftest.py), jamais sauté.
sur_postgresql = pytest.mark.postgresql


def _entrees(objet, action):
    return list(EntreeAudit.objects.sur(objet).filter(action=action))


def test_une_ecriture_par_une_vue_est_journalisee_sans_valeur_personnelle(client, site):
    personne = PrescriptionFactory(
        implantation=site.implantation, prescrite_par=site.cpip, personne__cpip_referent=site.cpip
    ).personne
    client.force_login(site.cip)
    reponse = client.post(
        reverse("accompagnement:action_nouvelle", args=[personne.pk]),
        {
            "domaine": "formation",
            "type": TypeAction.ATELIER,
            "date": timezone.localdate().isoformat(),
            "statut": StatutAction.EN_COURS,
            "resultat": "Texte Secret 42",
        },
    )
    assert reponse.status_code == 302
    action = ActionAccompagnement.objects.get(personne=personne)
    (entree,) = _entrees(action, ActionAudit.CREATION)
    assert entree.acteur == site.cip
    assert entree.type_objet == "accompagnement.actionaccompagnement"
    assert entree.objet_id == str(action.pk)
    assert entree.id_requete == reponse["X-Request-ID"]
    assert entree.horodatage.utcoffset() == datetime.timedelta(0)
    valeurs = [str(v) for v in EntreeAudit.objects.values_list().order_by()]
    assert not any("Secret" in v for v in valeurs)


def test_une_creation_hors_requete_est_journalisee_sans_agent(db):
    implantation = ImplantationFactory()
    (entree,) = _entrees(implantation, ActionAudit.CREATION)
    assert entree.acteur is None and entree.id_requete == ""
    assert _entrees(implantation.charte, ActionAudit.CREATION)


def test_une_suppression_est_journalisee(db):
    utilisateur = UtilisateurFactory()
    notification = utilisateur.notifications.create(texte="À lire")
    pk = notification.pk
    notification.delete()
    assert EntreeAudit.objects.filter(
        type_objet="charte_iae.notification", objet_id=str(pk), action=ActionAudit.SUPPRESSION
    ).exists()


def test_connexion_et_deconnexion_journalisees(client, site):
    from tests.factories import MOT_DE_PASSE

    client.post(reverse("connexion"), {"username": site.cpip.email, "password": MOT_DE_PASSE})
    client.post(reverse("deconnexion"))
    actions = list(
        EntreeAudit.objects.filter(acteur=site.cpip).order_by("pk").values_list("action", flat=True)
    )
    assert actions[-2:] == [ActionAudit.CONNEXION, ActionAudit.DECONNEXION]
    # La date de dernière connexion n'est pas une « modification » du compte.
    assert not _entrees(site.cpip, ActionAudit.MODIFICATION)


def test_journaliser_lecture_et_decorateur_seulement_si_la_vue_repond(site):
    requete = RequestFactory().get("/")
    requete.user = site.cpip
    requete.id_requete = "abcdef123456"
    audit.journaliser_lecture(requete, site.charte)
    (entree,) = _entrees(site.charte, ActionAudit.LECTURE)
    assert (entree.acteur, entree.id_requete) == (site.cpip, "abcdef123456")

    @audit.lecture_auditee(Charte)
    def vue(request, pk):
        if pk != site.charte.pk:
            raise Http404
        return HttpResponse("ok")

    vue(requete, pk=site.charte.pk)
    with pytest.raises(Http404):
        vue(requete, pk=site.charte.pk + 1000)
    assert len(_entrees(site.charte, ActionAudit.LECTURE)) == 2
    assert not EntreeAudit.objects.filter(objet_id=str(site.charte.pk + 1000)).exists()


def test_le_modele_refuse_modification_et_suppression(site):
    entree = audit.journaliser(None, action=ActionAudit.LECTURE, type_objet="x.y", objet_id=1)
    entree.action = ActionAudit.EXPORT
    with pytest.raises(JournalInalterable):
        entree.save()
    with pytest.raises(JournalInalterable):
        entree.delete()
    with pytest.raises(JournalInalterable):
        EntreeAudit.objects.filter(pk=entree.pk).update(action=ActionAudit.EXPORT)
    with pytest.raises(JournalInalterable):
        EntreeAudit.objects.all().delete()
    assert EntreeAudit.objects.get(pk=entree.pk).action == ActionAudit.LECTURE


@sur_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE charte_iae_entreeaudit SET action = 'export'",
        "DELETE FROM charte_iae_entreeaudit",
    ],
)
def test_postgresql_refuse_update_et_delete_meme_en_sql_brut(db, sql):
    audit.journaliser(None, action=ActionAudit.LECTURE, type_objet="x.y", objet_id=1)
    with (
        pytest.raises(DatabaseError, match="ajout seul"),
        transaction.atomic(),
        connection.cursor() as curseur,
    ):
        curseur.execute(sql)
    assert EntreeAudit.objects.filter(action=ActionAudit.LECTURE).count() == 1


def test_la_purge_seule_supprime_et_ne_rouvre_pas_la_porte(db):
    ancienne = audit.journaliser(None, action=ActionAudit.LECTURE, type_objet="x.y", objet_id=1)
    assert EntreeAudit.objects.filter(pk=ancienne.pk).purger() == 1
    audit.journaliser(None, action=ActionAudit.LECTURE, type_objet="x.y", objet_id=2)
    if connection.vendor == "postgresql":
        # Après la purge, dans la même transaction, le déclencheur refuse de nouveau.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as curseur:
            curseur.execute("DELETE FROM charte_iae_entreeaudit")
    assert EntreeAudit.objects.count() >= 1


def test_acces_a_dit_qui_a_lu_l_objet_du_plus_recent_au_plus_ancien(site):
    requete = RequestFactory().get("/")
    for agent in (site.cpip, site.cip):
        requete.user = agent
        audit.journaliser_lecture(requete, site.charte)
    lectures = audit.acces_a(site.charte).filter(action=ActionAudit.LECTURE)
    assert [e.acteur for e in lectures] == [site.cip, site.cpip]


def test_page_journal_pour_la_direction_403_pour_la_cip_404_ailleurs(client, site, autre_site):
    requete = RequestFactory().get("/")
    requete.user = site.cip
    audit.journaliser_lecture(requete, site.charte)
    url = reverse("journal_objet", args=["charte_iae.charte", site.charte.pk])

    client.force_login(site.direction)
    html = client.get(url).content.decode()
    assert site.cip.get_full_name() in html and "Lecture" in html

    client.force_login(site.cip)
    assert client.get(url).status_code == 403
    client.force_login(autre_site.dpip)
    assert client.get(url).status_code == 404
    client.force_login(site.dpip)
    assert client.get(reverse("journal_objet", args=["parcours.inconnu", 1])).status_code == 404
    assert (
        client.get(reverse("journal_objet", args=["charte_iae.charte", "abc"])).status_code == 404
    )


def test_horodatage_en_utc(db):
    entree = audit.journaliser(None, action=ActionAudit.LECTURE, type_objet="x.y", objet_id=1)
    assert abs(entree.horodatage - timezone.now()) < datetime.timedelta(seconds=5)
    assert EntreeAudit.objects.get(pk=entree.pk).horodatage.tzinfo is not None


def test_un_service_multi_modeles_journalise_chaque_ecriture(db):
    agent = UtilisateurFactory()
    implantation = ImplantationFactory()
    affectation = services.affecter(
        utilisateur=agent, structure=implantation.spip, fonction="cpip_mf"
    )
    assert _entrees(affectation, ActionAudit.CREATION)
