"""Le nombre de requêtes SQL des pages de la communication ne grandit pas avec les données.

Chaque mesure suit une première visite (caches des types de contenu chauds), puis est refaite
après l'ajout de nouvelles lignes : le nombre doit rester le même."""

import pytest
from django.urls import reverse

from charte_iae.notifications import notifier
from tests.communication.factories import (
    EntreeCahierFactory,
    PersonneRessourceFactory,
    ReunionFactory,
)
from tests.factories import PrescriptionFactory


def _mesurer(client, django_assert_num_queries, url, nombre, ajouter):
    assert client.get(url).status_code == 200
    for lot in (1, 4):
        for _ in range(lot):
            ajouter()
        with django_assert_num_queries(nombre):
            assert client.get(url).status_code == 200


# session, agent, savepoint, affectations, personne (portée), comptage, entrées, lectures,
# accusés de lecture, droits (prédicat), implantations (notice), cloche, release savepoint
def test_page_du_cahier(client, site, personne, django_assert_num_queries):
    client.force_login(site.cip)

    def ajouter():
        entree = EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip)
        entree.lectures.create(lecteur=site.et)

    url = reverse("communication:cahier", args=[personne.pk])
    _mesurer(client, django_assert_num_queries, url, 13, ajouter)


def test_liste_des_cahiers(client, site, personne, django_assert_num_queries):
    client.force_login(site.cpip)

    def ajouter():
        autre = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
        EntreeCahierFactory(cahier__personne=autre.personne, auteur=site.cip)

    _mesurer(client, django_assert_num_queries, reverse("communication:cahiers"), 8, ajouter)


def test_annuaire(client, site, django_assert_num_queries):
    client.force_login(site.direction)

    def ajouter():
        ressource = PersonneRessourceFactory(implantation=site.implantation)
        ressource.domaines.create(domaine="logement")
        ressource.domaines.create(domaine="mobilite")

    _mesurer(client, django_assert_num_queries, reverse("communication:annuaire"), 10, ajouter)


def test_export_de_l_annuaire(client, site, django_assert_num_queries):
    client.force_login(site.cip)

    def ajouter():
        PersonneRessourceFactory(implantation=site.implantation).domaines.create(domaine="sante")

    url = reverse("communication:annuaire_export")
    _mesurer(client, django_assert_num_queries, url, 7, ajouter)


def test_liste_des_reunions(client, site, django_assert_num_queries):
    client.force_login(site.cip)

    def ajouter():
        ReunionFactory(implantation=site.implantation).participants.add(site.cip)

    _mesurer(client, django_assert_num_queries, reverse("communication:reunions"), 9, ajouter)


def test_page_d_une_reunion(client, site, personne, django_assert_num_queries):
    reunion = ReunionFactory(implantation=site.implantation)
    client.force_login(site.cip)

    def ajouter():
        autre = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
        reunion.personnes.add(personne, autre.personne)
        reunion.participants.add(site.cpip, site.et)
        reunion.ressources.add(PersonneRessourceFactory(implantation=site.implantation))

    url = reverse("communication:reunion", args=[reunion.pk])
    _mesurer(client, django_assert_num_queries, url, 11, ajouter)


@pytest.mark.parametrize("non_lues", ["", "1"])
def test_liste_des_notifications(client, site, django_assert_num_queries, non_lues):
    client.force_login(site.cip)

    def ajouter():
        notifier(destinataires=[site.cip], texte="Un élément vous attend.", lien="/")

    url = reverse("communication:notifications") + (f"?non_lues={non_lues}" if non_lues else "")
    _mesurer(client, django_assert_num_queries, url, 8, ajouter)
