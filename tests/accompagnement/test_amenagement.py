"""Préparation d'un aménagement de peine (le CPIP suit, la SIAE apporte des éléments) et
présentation institutionnelle de la SIAE au JAP (consignée par le SPIP)."""

import pytest
from django.urls import reverse

from accompagnement import services
from accompagnement.enums import StatutProjetAmenagement, TypeAmenagement, TypeElementAmenagement
from accompagnement.models import ElementAmenagement, PresentationJAP, ProjetAmenagement
from charte_iae.models import Notification


@pytest.fixture
def projet(site, personne):
    return services.creer_projet_amenagement(
        auteur=site.cpip, personne=personne, type=TypeAmenagement.PLACEMENT_EXTERIEUR
    )


def test_le_cpip_ouvre_et_fait_avancer_un_projet(client, site, personne):
    client.force_login(site.cpip)
    reponse = client.post(
        reverse("accompagnement:amenagement_nouveau", args=[personne.pk]),
        {"type": TypeAmenagement.LIBERATION_CONDITIONNELLE, "date_cible": "2026-09-01"},
    )
    projet = ProjetAmenagement.objects.get()
    assert reponse.status_code == 302 and projet.cree_par == site.cpip
    reponse = client.post(
        reverse("accompagnement:amenagement_statut", args=[projet.pk]),
        {"statut": StatutProjetAmenagement.DEPOSE, "date_cible": "2026-10-01"},
    )
    projet.refresh_from_db()
    assert reponse.status_code == 302
    assert (projet.statut, projet.modifie_par) == (StatutProjetAmenagement.DEPOSE, site.cpip)


@pytest.mark.parametrize("role", ["cip", "et", "direction"])
def test_la_siae_ne_pilote_pas_le_projet(client, site, personne, projet, role):
    client.force_login(getattr(site, role))
    nouveau = client.post(
        reverse("accompagnement:amenagement_nouveau", args=[personne.pk]),
        {"type": TypeAmenagement.DDSE},
    )
    statut = client.post(
        reverse("accompagnement:amenagement_statut", args=[projet.pk]),
        {"statut": StatutProjetAmenagement.ACCORDE},
    )
    assert (nouveau.status_code, statut.status_code) == (403, 403)
    assert "JAP" not in nouveau.content.decode() + statut.content.decode()
    projet.refresh_from_db()
    assert ProjetAmenagement.objects.count() == 1
    assert projet.statut == StatutProjetAmenagement.EN_PREPARATION
    with pytest.raises(services.ActionInterdite):
        services.creer_projet_amenagement(
            auteur=getattr(site, role), personne=personne, type=TypeAmenagement.DDSE
        )


def test_la_cip_apporte_un_element_et_le_cpip_est_prevenu(
    client, site, projet, django_capture_on_commit_callbacks
):
    client.force_login(site.cip)
    page = client.get(projet.get_absolute_url())
    assert page.status_code == 200 and "Apporter un élément" in page.content.decode()
    assert "Faire avancer le projet" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("accompagnement:element_nouveau", args=[projet.pk]),
            {
                "type": TypeElementAmenagement.ATTESTATION_EMPLOI,
                "contenu": "Employé depuis mars.",
            },
        )
    assert reponse.status_code == 302
    element = ElementAmenagement.objects.get()
    assert (element.auteur, element.cote) == (site.cip, "siae")
    notification = Notification.objects.get()
    assert notification.destinataire == site.cpip
    assert notification.lien == projet.get_absolute_url()


def test_la_direction_lit_le_projet_sans_y_contribuer(client, site, projet):
    client.force_login(site.direction)
    assert client.get(projet.get_absolute_url()).status_code == 200
    reponse = client.post(
        reverse("accompagnement:element_nouveau", args=[projet.pk]),
        {"type": TypeElementAmenagement.OBSERVATIONS, "contenu": "x"},
    )
    assert reponse.status_code == 403 and not ElementAmenagement.objects.exists()


def test_projet_hors_portee_404_et_anonyme(client, site, autre_site, projet):
    urls = [
        projet.get_absolute_url(),
        reverse("accompagnement:amenagement_statut", args=[projet.pk]),
        reverse("accompagnement:element_nouveau", args=[projet.pk]),
    ]
    for agent in (site.orienteur, site.cpip_mo, autre_site.cpip, autre_site.cip):
        client.force_login(agent)
        for url in urls:
            assert client.get(url).status_code == 404, (agent, url)
    client.logout()
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("connexion"))


# --- Présentation de la SIAE au JAP -----------------------------------------------------------


def test_le_spip_consigne_la_presentation_de_la_siae(client, site, autre_site):
    client.force_login(site.dpip)
    url = reverse("accompagnement:presentations_jap")
    reponse = client.post(
        url,
        {
            "implantation": site.implantation.pk,
            "date": "2026-04-15",
            "participants": "JAP, DPIP, direction de la SIAE",
            "notes": "Présentation des ateliers.",
        },
    )
    assert reponse.status_code == 302
    presentation = PresentationJAP.objects.get()
    assert presentation.creee_par == site.dpip
    client.force_login(site.cpip)
    assert "Présentation des ateliers." in client.get(url).content.decode()
    # Le SPIP d'un autre établissement ne la voit pas, et ne peut pas consigner pour ce site.
    client.force_login(autre_site.cpip)
    assert "Présentation des ateliers." not in client.get(url).content.decode()
    reponse = client.post(
        url,
        {"implantation": site.implantation.pk, "date": "2026-04-16", "participants": "x"},
    )
    assert reponse.status_code == 200 and PresentationJAP.objects.count() == 1


@pytest.mark.parametrize("role", ["cip", "et", "direction", "orienteur", "cpip_mo"])
def test_la_presentation_n_existe_pas_hors_spip(client, site, role):
    client.force_login(getattr(site, role))
    reponse = client.post(
        reverse("accompagnement:presentations_jap"),
        {"implantation": site.implantation.pk, "date": "2026-04-16", "participants": "x"},
    )
    assert reponse.status_code == 404 and not PresentationJAP.objects.exists()
    with pytest.raises(services.ActionInterdite):
        services.enregistrer_presentation_jap(
            auteur=getattr(site, role),
            implantation=site.implantation,
            date="2026-04-16",
            participants="x",
        )
