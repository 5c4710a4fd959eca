"""Qui ouvre le cahier de transmission d'une personne : le dossier fait la portée (404 au-dehors),
et parmi ceux qui voient le dossier, seules les fonctions qui tiennent un cahier."""

import pytest
from django.urls import reverse

from communication.models import CahierTransmission, EntreeCahier
from communication.permissions import can_view_cahier
from tests.communication.conftest import donnees_entree
from tests.communication.factories import EntreeCahierFactory
from tests.factories import PersonneFactory


@pytest.mark.parametrize("role", ["cpip", "dpip", "cip", "et", "direction"])
def test_le_spip_et_la_siae_prescrite_ouvrent_le_cahier(client, site, personne, role):
    client.force_login(getattr(site, role))
    reponse = client.get(reverse("communication:cahier", args=[personne.pk]))
    assert reponse.status_code == 200
    assert personne.numero_ecrou in reponse.content.decode()


@pytest.mark.parametrize("role", ["orienteur", "cpip_mo"])
def test_orienteur_et_cpip_mo_sans_passage_ont_404(client, site, personne, role):
    client.force_login(getattr(site, role))
    assert client.get(reverse("communication:cahier", args=[personne.pk])).status_code == 404
    assert not can_view_cahier(getattr(site, role), personne)


@pytest.mark.parametrize("role", ["cpip", "cip", "direction"])
def test_agents_d_un_autre_site_ont_404(client, autre_site, personne, role):
    client.force_login(getattr(autre_site, role))
    assert client.get(reverse("communication:cahier", args=[personne.pk])).status_code == 404
    reponse = client.post(
        reverse("communication:cahier_ecrire", args=[personne.pk]), donnees_entree()
    )
    assert reponse.status_code == 404
    assert not EntreeCahier.objects.exists()


def test_la_siae_sans_prescription_de_la_personne_a_404(client, site):
    non_prescrite = PersonneFactory(etablissement=site.implantation.etablissement)
    client.force_login(site.cip)
    assert client.get(reverse("communication:cahier", args=[non_prescrite.pk])).status_code == 404
    # Le SPIP de l'établissement, lui, l'ouvre.
    client.force_login(site.cpip)
    assert client.get(reverse("communication:cahier", args=[non_prescrite.pk])).status_code == 200


def test_anonyme_redirige_vers_la_connexion(client, personne):
    for url in (
        reverse("communication:cahiers"),
        reverse("communication:cahier", args=[personne.pk]),
        reverse("communication:cahier_ecrire", args=[personne.pk]),
    ):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("connexion"))


def test_le_cip_ecrit_au_nom_de_sa_siae_et_le_cpip_au_nom_du_spip(client, site, personne):
    client.force_login(site.cip)
    reponse = client.post(
        reverse("communication:cahier_ecrire", args=[personne.pk]),
        donnees_entree(texte="Absent à l'atelier lundi.", domaine="formation", urgente="on"),
    )
    assert reponse.status_code == 302
    client.force_login(site.cpip)
    client.post(reverse("communication:cahier_ecrire", args=[personne.pk]), donnees_entree())
    cip, cpip = EntreeCahier.objects.order_by("pk")
    assert (cip.auteur, cip.structure, cip.domaine, cip.urgente) == (
        site.cip,
        site.implantation.siae,
        "formation",
        True,
    )
    assert (cpip.auteur, cpip.structure) == (site.cpip, site.implantation.spip)
    html = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert "Absent à l&#x27;atelier lundi." in html and "Urgente" in html


def test_un_double_envoi_n_ecrit_qu_une_entree(client, site, personne):
    client.force_login(site.cpip)
    donnees = donnees_entree()
    url = reverse("communication:cahier_ecrire", args=[personne.pk])
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302
    assert EntreeCahier.objects.count() == 1
    assert CahierTransmission.objects.count() == 1


def test_une_correction_est_une_nouvelle_entree_qui_reference_l_ancienne(client, site, personne):
    originale = EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip, texte="RDV le 12.")
    client.force_login(site.cip)
    url = reverse("communication:entree_corriger", args=[originale.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, donnees_entree(texte="RDV le 13, pas le 12."))
    assert reponse.status_code == 302
    correction = EntreeCahier.objects.exclude(pk=originale.pk).get()
    assert correction.corrige == originale
    originale.refresh_from_db()
    assert originale.texte == "RDV le 12."
    html = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert "RDV le 12." in html and "RDV le 13, pas le 12." in html and "Corrigée" in html


def test_corriger_hors_de_portee_404(client, site, autre_site, personne):
    originale = EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip)
    client.force_login(autre_site.cip)
    url = reverse("communication:entree_corriger", args=[originale.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, donnees_entree()).status_code == 404
    client.force_login(site.orienteur)
    assert client.get(url).status_code == 404


def test_la_liste_des_cahiers_ne_montre_que_les_dossiers_accessibles(client, site, personne):
    autre = PersonneFactory(etablissement=site.implantation.etablissement)
    client.force_login(site.cip)
    html = client.get(reverse("communication:cahiers")).content.decode()
    assert personne.numero_ecrou in html and autre.numero_ecrou not in html
    client.force_login(site.orienteur)
    html = client.get(reverse("communication:cahiers")).content.decode()
    assert personne.numero_ecrou not in html
