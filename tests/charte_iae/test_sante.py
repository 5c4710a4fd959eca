from unittest import mock

from django.db import OperationalError


def test_healthz_repond_sans_toucher_a_la_base(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        reponse = client.get("/healthz")
    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok"}


def test_readyz_200_quand_la_base_repond(client, db):
    reponse = client.get("/readyz")
    assert reponse.status_code == 200
    assert reponse.json()["base"] == "ok"


def test_readyz_503_quand_la_base_ne_repond_pas(client, db):
    with mock.patch(
        "charte_iae.views.connection.cursor", side_effect=OperationalError("base arrêtée")
    ):
        reponse = client.get("/readyz")
    assert reponse.status_code == 503
    assert reponse.json()["statut"] == "indisponible"


def test_page_temoin_une_requete_derriere_la_connexion(client, site, django_assert_num_queries):
    etablissement = site.implantation.etablissement
    assert client.get(f"/mesure/temoin/{etablissement.pk}/").status_code == 302
    client.force_login(site.cpip)
    client.get("/")  # la session est chargée une première fois
    # point de sauvegarde et sa libération (ATOMIC_REQUESTS), session, agent, établissement
    with django_assert_num_queries(5):
        reponse = client.get(f"/mesure/temoin/{etablissement.pk}/")
    assert reponse.content.decode() == etablissement.code
    assert client.get("/mesure/temoin/999999/").status_code == 404
