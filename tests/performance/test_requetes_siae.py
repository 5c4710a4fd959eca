"""Pages du parcours côté SIAE et de la sortie (listes de la SIAE, parcours, livret, passages
en milieu ouvert) : autant de requêtes avec 1 qu'avec 50 lignes, nombre épinglé, droits compris."""

import datetime

from django.urls import reverse
from django.utils import timezone

from parcours import services_siae as services
from parcours.enums import CategorieCompetence, MotifSuspension, NiveauCompetence
from parcours.models import CompetenceLivret, PosteOccupe, SuspensionParcours
from tests.parcours.siae_outils import en_parcours, prescrire, sortir

LIGNE_PARCOURS = r'href="/siae/parcours/\d+/"'


def test_liste_a_recevoir_de_la_siae(site, invariance):
    def ajouter(n):
        for _ in range(n):
            prescrire(site)

    invariance(
        site.cip,
        reverse("parcours_siae:a_recevoir"),
        ajouter,
        9,
        r'href="/siae/prescriptions/\d+/entretien/"',
    )


def test_liste_des_parcours_en_cours(site, invariance):
    def ajouter(n):
        for _ in range(n):
            en_parcours(site)

    invariance(site.cip, reverse("parcours_siae:en_parcours"), ajouter, 8, LIGNE_PARCOURS)


def test_liste_des_parcours_sortis(site, invariance):
    def ajouter(n):
        for _ in range(n):
            sortir(site, en_parcours(site))

    invariance(site.cip, reverse("parcours_siae:sortis"), ajouter, 8, LIGNE_PARCOURS)


def test_passages_a_recevoir_du_milieu_ouvert(site, invariance):
    def ajouter(n):
        for _ in range(n):
            parcours = sortir(site, en_parcours(site))
            services.confier_au_milieu_ouvert(
                parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
            )

    invariance(
        site.cpip_mo,
        reverse("parcours_siae:passages_a_recevoir"),
        ajouter,
        8,
        r'href="/siae/passages/\d+/"',
    )


def test_page_d_un_parcours(site, invariance):
    """Le parcours grandit (suspensions) : même nombre de requêtes."""
    parcours = en_parcours(site)
    debut = timezone.localdate() - datetime.timedelta(days=400)
    compteur = iter(range(1000))

    def ajouter(n):
        for _ in range(n):
            jour = debut + datetime.timedelta(days=next(compteur))
            SuspensionParcours.objects.create(
                parcours=parcours,
                debut=jour,
                fin=jour,
                motif=MotifSuspension.EXTRACTION,
                saisie_par=site.cip,
            )

    invariance(
        site.cip,
        reverse("parcours_siae:parcours", args=[parcours.pk]),
        ajouter,
        PAGE_PARCOURS,
        "Extraction, comparution",
    )


def test_livret_de_competences(site, invariance):
    """Le brouillon grandit (compétences, postes) : même nombre de requêtes."""
    parcours = en_parcours(site)
    compteur = iter(range(1000))

    def ajouter(n):
        for _ in range(n):
            i = next(compteur)
            services.ajouter_au_livret(
                parcours=parcours,
                auteur=site.et,
                element=CompetenceLivret(
                    categorie=CategorieCompetence.TECHNIQUE,
                    intitule=f"Compétence observée n° {i}",
                    niveau=NiveauCompetence.ACQUIS,
                ),
            )
            services.ajouter_au_livret(
                parcours=parcours,
                auteur=site.et,
                element=PosteOccupe(intitule=f"Poste n° {i}", debut=timezone.localdate()),
            )

    invariance(
        site.et,
        reverse("parcours_siae:livret", args=[parcours.pk]),
        ajouter,
        PAGE_LIVRET,
        r"Compétence observée n° \d+",
    )


def test_page_d_un_passage(site, client, django_assert_num_queries):
    """Page de détail sans lignes qui grandissent : coût fixe, même quand 50 autres passages
    existent."""
    sorti = sortir(site, en_parcours(site))
    passage = services.confier_au_milieu_ouvert(
        parcours=sorti,
        auteur=site.cpip,
        cpip_mo=site.cpip_mo,
        projet="Logistique.",
    )
    url = reverse("parcours_siae:passage", args=[passage.pk])
    client.force_login(site.cpip_mo)
    client.get(url)
    with django_assert_num_queries(PAGE_PASSAGE):
        assert client.get(url).status_code == 200
    for _ in range(49):
        autre = sortir(site, en_parcours(site))
        services.confier_au_milieu_ouvert(
            parcours=autre, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
        )
    with django_assert_num_queries(PAGE_PASSAGE):
        assert client.get(url).status_code == 200


# Les pages de dossier journalisent leur lecture (une insertion dans le journal d'audit).
PAGE_PARCOURS = 12
PAGE_LIVRET = 16
PAGE_PASSAGE = 8
