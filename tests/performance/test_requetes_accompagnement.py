"""Pages de l'accompagnement (suivi d'une personne, contacts partenaires, projet
d'aménagement, échanges avec le JAP, présentations au JAP) : autant de requêtes avec 1 qu'avec
50 lignes, nombre épinglé ; les droits sur les échanges avec le JAP sont préchargés."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accompagnement import services
from accompagnement.enums import (
    DomaineNational,
    TypeAction,
    TypeAmenagement,
    TypeElementAmenagement,
)
from tests.accompagnement.factories import action, liaison_jap
from tests.factories import PrescriptionFactory


def _prescrite(site):
    return PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__cpip_referent=site.cpip,
    ).personne


def test_suivi_d_une_personne(site, invariance):
    """Les actions des deux côtés, dans tous les domaines : même nombre de requêtes."""
    personne = _prescrite(site)
    domaines = list(DomaineNational.values)
    compteur = iter(range(1000))

    def ajouter(n):
        for _ in range(n):
            i = next(compteur)
            action(
                auteur=site.cip if i % 2 else site.cpip,
                personne=personne,
                domaine=domaines[i % len(domaines)],
            )

    invariance(
        site.cpip,
        reverse("accompagnement:suivi", args=[personne.pk]),
        ajouter,
        SUIVI,
        r'href="/accompagnement/actions/\d+/"',
    )


def test_contacts_partenaires(site, invariance):
    def ajouter(n):
        for i in range(n):
            action(
                auteur=site.cip,
                personne=_prescrite(site),
                type=TypeAction.CONTACT_PARTENAIRE,
                partenaire=f"Mission locale {i}",
            )

    invariance(
        site.cpip,
        reverse("accompagnement:contacts_partenaires"),
        ajouter,
        CONTACTS,
        r'href="/accompagnement/personnes/\d+/"',
    )


def test_echanges_avec_le_jap(site, invariance):
    personne = _prescrite(site)

    def ajouter(n):
        for _ in range(n):
            liaison_jap(auteur=site.cpip, personne=personne)

    invariance(
        site.cpip,
        reverse("accompagnement:liaisons_jap", args=[personne.pk]),
        ajouter,
        LIAISONS,
        r'href="/accompagnement/jap/\d+/"',
    )


def test_projet_d_amenagement(site, invariance):
    """Les éléments apportés par la SIAE s'ajoutent : même nombre de requêtes."""
    personne = _prescrite(site)
    projet = services.creer_projet_amenagement(
        auteur=site.cpip, personne=personne, type=TypeAmenagement.SEMI_LIBERTE
    )

    def ajouter(n):
        for i in range(n):
            services.apporter_element(
                auteur=site.cip,
                projet=projet,
                type=TypeElementAmenagement.OBSERVATIONS,
                contenu=f"Observation d'atelier {i}.",
            )

    invariance(
        site.cpip,
        reverse("accompagnement:amenagement", args=[projet.pk]),
        ajouter,
        AMENAGEMENT,
        r"Observation d&#x27;atelier \d+",
    )


def test_presentations_au_jap(site, invariance):
    compteur = iter(range(1000))

    def ajouter(n):
        for _ in range(n):
            services.enregistrer_presentation_jap(
                auteur=site.dpip,
                implantation=site.implantation,
                date=timezone.localdate() - datetime.timedelta(days=next(compteur)),
                participants="JAP, DPIP, direction de la SIAE",
            )

    invariance(
        site.dpip,
        reverse("accompagnement:presentations_jap"),
        ajouter,
        PRESENTATIONS,
        "JAP, DPIP, direction de la SIAE",
    )


def test_page_d_un_echange_avec_le_jap(site, client, django_assert_num_queries):
    """Détail sans lignes qui grandissent : coût fixe, même avec 50 autres échanges."""
    personne = _prescrite(site)
    liaison = liaison_jap(auteur=site.cpip, personne=personne)
    url = reverse("accompagnement:liaison_jap", args=[liaison.pk])
    client.force_login(site.cpip)
    client.get(url)
    with django_assert_num_queries(LIAISON):
        assert client.get(url).status_code == 200
    for _ in range(49):
        liaison_jap(auteur=site.cpip, personne=personne)
    with django_assert_num_queries(LIAISON):
        assert client.get(url).status_code == 200


# Les pages de dossier journalisent leur lecture (une insertion dans le journal d'audit).
SUIVI = 19
CONTACTS = 8
LIAISONS = 13
AMENAGEMENT = 15
PRESENTATIONS = 10
LIAISON = 11
