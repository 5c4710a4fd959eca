"""L'annuaire des personnes ressources : lu par les agents de l'implantation, tenu par ses
administrateurs locaux (DPIP / référent IAE, direction de la SIAE), exporté en CSV sans
formule exécutable."""

import csv
import io

import pytest
from django.urls import reverse

from communication.models import PersonneRessource
from communication.views.annuaire import cellule_csv
from tests.communication.factories import PersonneRessourceFactory


def _donnees(site, **autres):
    return {
        "implantation": site.implantation.pk,
        "nom": "Claire Martin",
        "organisation": "Mission locale de Rennes",
        "fonction": "Référente justice",
        "telephone": "02 99 00 00 00",
        "email": "claire.martin@ml.fr",
        "domaines": ["recherche_emploi_sortie", "formation"],
        "notes": "Jeunes de 16 à 25 ans.",
        "active": "on",
        **autres,
    }


@pytest.mark.parametrize("role", ["dpip", "direction"])
def test_les_administrateurs_locaux_ajoutent_une_personne_ressource(client, site, role):
    client.force_login(getattr(site, role))
    reponse = client.post(reverse("communication:ressource_creer"), _donnees(site))
    assert reponse.status_code == 302
    ressource = PersonneRessource.objects.get()
    assert ressource.creee_par == getattr(site, role)
    assert sorted(ressource.domaines.values_list("domaine", flat=True)) == [
        "formation",
        "recherche_emploi_sortie",
    ]


@pytest.mark.parametrize("role", ["cpip", "cip", "et"])
def test_les_agents_lisent_sans_tenir_l_annuaire(client, site, role):
    ressource = PersonneRessourceFactory(implantation=site.implantation, nom="Paul Durand")
    client.force_login(getattr(site, role))
    assert "Paul Durand" in client.get(reverse("communication:annuaire")).content.decode()
    assert client.get(reverse("communication:ressource_creer")).status_code == 403
    assert client.post(reverse("communication:ressource_creer"), _donnees(site)).status_code == 403
    url = reverse("communication:ressource_modifier", args=[ressource.pk])
    reponse = client.get(url)
    assert reponse.status_code == 403
    assert "direction de la SIAE" in reponse.content.decode()


def test_l_administrateur_modifie_et_retire_un_contact(client, site):
    ressource = PersonneRessourceFactory(implantation=site.implantation, nom="Paul Durand")
    client.force_login(site.direction)
    url = reverse("communication:ressource_modifier", args=[ressource.pk])
    assert client.get(url).status_code == 200
    donnees = _donnees(site, nom="Paul Durand-Leroy", domaines=["mobilite"])
    del donnees["active"]
    assert client.post(url, donnees).status_code == 302
    ressource.refresh_from_db()
    assert ressource.nom == "Paul Durand-Leroy" and not ressource.active
    assert list(ressource.domaines.values_list("domaine", flat=True)) == ["mobilite"]
    assert ressource.modifiee_par == site.direction
    assert "Paul Durand" not in client.get(reverse("communication:annuaire")).content.decode()


def test_un_autre_site_ne_voit_ni_ne_modifie_l_annuaire(client, site, autre_site):
    ressource = PersonneRessourceFactory(implantation=site.implantation, nom="Paul Durand")
    client.force_login(autre_site.dpip)
    assert "Paul Durand" not in client.get(reverse("communication:annuaire")).content.decode()
    url = reverse("communication:ressource_modifier", args=[ressource.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _donnees(site)).status_code == 404
    export = client.get(reverse("communication:annuaire_export")).content.decode()
    assert "Paul Durand" not in export
    # L'orienteur de l'établissement n'est pas un agent de l'implantation.
    client.force_login(site.orienteur)
    assert client.get(url).status_code == 404


def test_anonyme_redirige_vers_la_connexion(client, site):
    ressource = PersonneRessourceFactory(implantation=site.implantation)
    for url in (
        reverse("communication:annuaire"),
        reverse("communication:annuaire_export"),
        reverse("communication:ressource_creer"),
        reverse("communication:ressource_modifier", args=[ressource.pk]),
    ):
        assert client.get(url)["Location"].startswith(reverse("connexion"))


def test_recherche_par_texte_et_par_domaine(client, site):
    a = PersonneRessourceFactory(
        implantation=site.implantation, nom="Anne Logement", organisation="SIAO"
    )
    a.domaines.create(domaine="logement")
    b = PersonneRessourceFactory(implantation=site.implantation, nom="Bruno Emploi")
    b.domaines.create(domaine="recherche_emploi_sortie")
    client.force_login(site.cip)
    html = client.get(reverse("communication:annuaire"), {"q": "siao"}).content.decode()
    assert "Anne Logement" in html and "Bruno Emploi" not in html
    html = client.get(
        reverse("communication:annuaire"), {"domaine": "recherche_emploi_sortie"}
    ).content.decode()
    assert "Bruno Emploi" in html and "Anne Logement" not in html


def test_l_export_csv_neutralise_les_formules(client, site):
    PersonneRessourceFactory(
        implantation=site.implantation,
        nom='=HYPERLINK("http://pirate")',
        organisation="+33 Organisation",
        fonction="-2+3",
        telephone="@SUM(A1)",
        notes="Notes ordinaires",
    )
    client.force_login(site.cpip)
    reponse = client.get(reverse("communication:annuaire_export"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][0] == "Nom"
    nom, organisation, fonction, telephone, _, _, notes, _ = lignes[1]
    assert nom == '\'=HYPERLINK("http://pirate")'
    assert organisation == "'+33 Organisation"
    assert fonction == "'-2+3"
    assert telephone == "'@SUM(A1)"
    assert notes == "Notes ordinaires"


def test_cellule_csv_neutralise_tabulation_et_retour_chariot():
    assert cellule_csv("\t=1") == "'\t=1"
    assert cellule_csv("\r=1") == "'\r=1"
    assert cellule_csv(None) == ""
    assert cellule_csv("Texte = normal") == "Texte = normal"
