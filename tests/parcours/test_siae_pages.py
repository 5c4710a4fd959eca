"""Chaque page du parcours côté SIAE et de la sortie : l'agent concerné, un collègue, un agent
d'un autre site (404 : l'objet n'existe pas pour lui), un visiteur anonyme (connexion) ; une
action refusée dans le périmètre est un 403 en français. Les listes ont un nombre de requêtes
fixe, qui ne grandit pas avec les lignes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours import services_siae as services
from parcours.enums import DecisionEntretien
from parcours.models import PosteOccupe
from tests.factories import UtilisateurFactory
from tests.parcours.siae_outils import avec_livret_finalise, en_parcours, prescrire, sortir

AUJOURD_HUI = timezone.localdate()


@dataclass
class Monde:
    objets: dict


def _construire(site) -> dict:
    attente = prescrire(site)
    entretien = services.enregistrer_entretien(
        prescription=attente,
        auteur=site.cip,
        date=AUJOURD_HUI,
        interlocuteurs=[site.cip],
        decision=DecisionEntretien.EN_ATTENTE,
    )
    actif = en_parcours(site)
    finalise = avec_livret_finalise(site, actif)
    poste = services.ajouter_au_livret(
        parcours=actif,
        auteur=site.cip,
        element=PosteOccupe(intitule="Cariste", debut=AUJOURD_HUI),
    )
    sorti = sortir(site, en_parcours(site))
    passage = services.confier_au_milieu_ouvert(
        parcours=sorti, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )
    return {
        "prescription": attente.pk,
        "entretien": entretien.pk,
        "parcours": actif.pk,
        "competence": finalise.competences.get().pk,
        "livret": finalise.pk,
        "brouillon": poste.livret_id,
        "poste": poste.pk,
        "sorti": sorti.pk,
        "passage": passage.pk,
    }


@pytest.fixture
def objets(site):
    return _construire(site)


# (nom, arguments, méthode, propriétaire, collègue, statut du propriétaire, du collègue)
PAGES = [
    ("entretien_creer", ["prescription"], "get", "cip", "et", 200, 200),
    ("entretien_decider", ["entretien"], "get", "cip", "direction", 200, 200),
    ("parcours_creer", ["prescription"], "get", "cip", "et", 200, 200),
    ("parcours", ["parcours"], "get", "cip", "cpip", 200, 200),
    ("parcours_cep", ["parcours"], "get", "cip", "direction", 200, 200),
    ("parcours_suspendre", ["parcours"], "get", "cip", "et", 200, 200),
    ("parcours_sortie", ["parcours"], "get", "cip", "et", 200, 200),
    ("parcours_accord", ["parcours"], "get", "cip", "cpip", 200, 200),
    ("livret", ["parcours"], "get", "et", "cpip", 200, 200),
    ("livret_projet", ["parcours"], "get", "cip", "et", 200, 200),
    ("livret_ajouter", ["parcours", "=poste"], "post", "cip", "et", 200, 200),
    ("livret_retirer", ["=poste", "poste"], "post", "et", "cpip", 302, 403),
    ("livret_observer", ["competence"], "get", "et", "cip", 200, 200),
    ("livret_version", ["livret"], "get", "cip", "cpip", 200, 200),
    ("livret_finaliser", ["brouillon"], "post", "cip", "et", 302, 302),
    ("livret_corriger", ["livret"], "post", "cip", "et", 302, 302),
    ("livret_remise", ["livret"], "get", "cip", "cpip", 200, 200),
    ("passage_creer", ["sorti"], "get", "cpip", "dpip", 200, 200),
    ("passage", ["passage"], "get", "cpip_mo", "cpip", 200, 200),
    ("passage_accepter", ["passage"], "post", "cpip_mo", "cpip", 302, 403),
    ("passage_renvoyer", ["passage"], "get", "cpip_mo", "dpip", 200, 403),
]


def _url(nom, arguments, objets):
    args = [a[1:] if a.startswith("=") else objets[a] for a in arguments]
    return reverse(f"parcours_siae:{nom}", args=args)


def _appeler(client, methode, url):
    return client.post(url) if methode == "post" else client.get(url)


@pytest.mark.parametrize(
    ("nom", "arguments", "methode", "proprietaire", "collegue", "statut", "statut_collegue"),
    PAGES,
)
def test_page_proprietaire_collegue_exterieur_anonyme(
    site,
    autre_site,
    client,
    objets,
    nom,
    arguments,
    methode,
    proprietaire,
    collegue,
    statut,
    statut_collegue,
):
    url = _url(nom, arguments, objets)

    reponse = _appeler(client, methode, url)
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]

    client.force_login(getattr(autre_site, proprietaire))
    assert _appeler(client, methode, url).status_code == 404

    client.force_login(getattr(site, collegue))
    assert _appeler(client, methode, url).status_code == statut_collegue

    client.force_login(getattr(site, proprietaire))
    assert _appeler(client, methode, url).status_code == statut


@pytest.mark.parametrize(
    ("nom", "arguments", "role", "message"),
    [
        ("entretien_creer", ["prescription"], "cpip", "mènent l&#x27;entretien"),
        ("parcours_sortie", ["parcours"], "cpip", "Seule la SIAE"),
        ("livret_projet", ["parcours"], "direction", "écrivent le livret"),
        ("passage_creer", ["sorti"], "cip", "passe le relais"),
        ("passage_creer", ["parcours"], "cpip_mo", None),
    ],
)
def test_une_action_refusee_dans_le_perimetre_est_un_403_en_francais(
    site, client, objets, nom, arguments, role, message
):
    if role == "cpip_mo":
        # Le parcours en cours n'est pas dans le périmètre du CPIP de milieu ouvert : 404.
        client.force_login(site.cpip_mo)
        assert client.get(_url(nom, arguments, objets)).status_code == 404
        return
    client.force_login(getattr(site, role))
    reponse = client.get(_url(nom, arguments, objets))
    assert reponse.status_code == 403
    assert message in reponse.content.decode()


@pytest.mark.parametrize(
    ("nom", "autorise", "refuse"),
    [
        ("a_recevoir", "direction", "cpip"),
        ("en_parcours", "et", "cpip_mo"),
        ("sortis", "cip", "orienteur"),
        ("passages_a_recevoir", "cpip_mo", "cip"),
    ],
)
def test_listes_reservees_et_anonyme(site, client, nom, autorise, refuse):
    url = reverse(f"parcours_siae:{nom}")
    assert "/comptes/connexion/" in client.get(url)["Location"]
    client.force_login(getattr(site, autorise))
    assert client.get(url).status_code == 200
    client.force_login(getattr(site, refuse))
    assert client.get(url).status_code == 403


def test_les_listes_ne_montrent_que_la_siae_de_l_agent(site, autre_site, client, objets):
    client.force_login(autre_site.cip)
    for nom in ("a_recevoir", "en_parcours", "sortis"):
        page = client.get(reverse(f"parcours_siae:{nom}"))
        assert page.status_code == 200 and not page.context["page"].object_list
    client.force_login(site.cip)
    assert len(client.get(reverse("parcours_siae:a_recevoir")).context["page"]) == 1
    assert len(client.get(reverse("parcours_siae:en_parcours")).context["page"]) == 1
    assert len(client.get(reverse("parcours_siae:sortis")).context["page"]) == 1


def test_la_liste_du_milieu_ouvert_ne_montre_que_mes_passages(site, client, objets):
    collegue = UtilisateurFactory(cpip_mo=True, structure=site.spip_mo)
    client.force_login(collegue)
    assert not client.get(reverse("parcours_siae:passages_a_recevoir")).context["page"]
    client.force_login(site.cpip_mo)
    assert len(client.get(reverse("parcours_siae:passages_a_recevoir")).context["page"]) == 1


# --- Nombre de requêtes des listes -------------------------------------------------------------

REQUETES = {"a_recevoir": 9, "en_parcours": 8, "sortis": 8, "passages_a_recevoir": 8}


def _compter(client, url) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


@pytest.mark.parametrize(
    ("nom", "role"),
    [
        ("a_recevoir", "cip"),
        ("en_parcours", "cip"),
        ("sortis", "cip"),
        ("passages_a_recevoir", "cpip_mo"),
    ],
)
def test_le_nombre_de_requetes_des_listes_est_fixe(
    site, client, django_assert_num_queries, nom, role
):
    _construire(site)
    client.force_login(getattr(site, role))
    url = reverse(f"parcours_siae:{nom}")
    _compter(client, url)  # sessions, contenus : premier appel hors mesure
    with django_assert_num_queries(REQUETES[nom]):
        client.get(url)
    for _ in range(3):
        _construire(site)
    with django_assert_num_queries(REQUETES[nom]):
        page = client.get(url)
    assert len(page.context["page"]) == 4


def test_la_liste_a_recevoir_garde_les_retenus_sans_parcours_et_retire_les_non_retenus(
    site, client
):
    retenue = prescrire(site)
    services.enregistrer_entretien(
        prescription=retenue,
        auteur=site.cip,
        date=AUJOURD_HUI,
        interlocuteurs=[site.cip],
        decision=DecisionEntretien.RETENU,
    )
    refusee = prescrire(site)
    services.enregistrer_entretien(
        prescription=refusee,
        auteur=site.cip,
        date=AUJOURD_HUI,
        interlocuteurs=[site.cip],
        decision=DecisionEntretien.NON_RETENU,
        motif_non_retenu="pas_de_poste",
    )
    en_parcours(site)
    client.force_login(site.cip)
    page = client.get(reverse("parcours_siae:a_recevoir"))
    assert [p.pk for p in page.context["page"]] == [retenue.pk]
    assert reverse("parcours_siae:parcours_creer", args=[retenue.pk]) in page.content.decode()
