"""Les pages de la charte, par le client de test : portée (404), refus (403), parcours complet
d'adaptation et d'approbation, grille en htmx, conflit d'édition, comparaison, requêtes."""

import re

import pytest
from django.urls import reverse

from charte_iae import charte, versions
from charte_iae.models import ArticleModele, ChefDeFile, StatutVersion, VersionCharte
from tests.charte_iae.conftest import SAISIES_COMPLETES, remplir
from tests.factories import ImplantationFactory

SANS_CANAUX = {k: v for k, v in SAISIES_COMPLETES.items() if k != "canaux_information"}
PAGES_LECTURE = ["charte_detail", "charte_comparer"]
PAGES_ADAPTATION = ["charte_modifier", "charte_repartition"]
ACTIONS = [
    "charte_nouvelle_version",
    "charte_domaine_ajouter",
    "charte_soumettre",
    "charte_retirer",
    "charte_approuver",
]


def _url(nom, charte_pk):
    return reverse(nom, args=[charte_pk])


def _article(version, numero):
    return ArticleModele.objects.get(modele=version.modele, numero=numero)


# --- Portée et refus -----------------------------------------------------------------------


def _toutes_les_pages(charte_pk, article_pk):
    """(méthode, url) de chaque page et action de la charte."""
    pages = [("get", _url(nom, charte_pk)) for nom in PAGES_LECTURE + PAGES_ADAPTATION]
    pages += [("post", _url(nom, charte_pk)) for nom in ACTIONS]
    pages.append(("get", reverse("charte_article", args=[charte_pk, article_pk])))
    pages.append(("get", reverse("charte_version", args=[charte_pk, 1])))
    return pages


def test_anonyme_renvoye_vers_la_connexion(client, site, brouillon):
    for methode, url in _toutes_les_pages(site.charte.pk, _article(brouillon, "6").pk):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 302, url
        assert reponse["Location"].startswith(reverse("connexion"))


@pytest.mark.parametrize("role", ["dpip", "direction", "cip"])
def test_agent_d_une_autre_implantation_recoit_404(client, site, autre_site, brouillon, role):
    client.force_login(getattr(autre_site, role))
    for methode, url in _toutes_les_pages(site.charte.pk, _article(brouillon, "6").pk):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 404, url
        assert "Page introuvable" in reponse.content.decode()
    assert not site.charte.versions.exclude(pk=brouillon.pk).exists()


@pytest.mark.parametrize("role", ["dpip", "direction", "cpip", "cip", "et"])
def test_les_agents_de_l_implantation_lisent_la_charte(client, site, en_vigueur, role):
    client.force_login(getattr(site, role))
    detail = client.get(_url("charte_detail", site.charte.pk))
    assert "Seul le service pénitentiaire d’insertion" in detail.content.decode()
    assert client.get(_url("charte_comparer", site.charte.pk)).status_code == 200
    assert client.get(reverse("charte_version", args=[site.charte.pk, 1])).status_code == 200


@pytest.mark.parametrize("role", ["cip", "et", "cpip"])
def test_collegue_sans_designation_recoit_403_en_francais(client, site, brouillon, role):
    client.force_login(getattr(site, role))
    lecture = {_url(nom, site.charte.pk) for nom in PAGES_LECTURE}
    brouillon_url = reverse("charte_version", args=[site.charte.pk, brouillon.numero])
    for methode, url in _toutes_les_pages(site.charte.pk, _article(brouillon, "6").pk):
        if url in lecture:
            continue
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 403, url
        attendu = (
            "se lit par ceux qui l&#x27;adaptent"
            if url == brouillon_url
            else "Seuls le DPIP ou le référent IAE du SPIP et la direction de la SIAE"
        )
        assert attendu in reponse.content.decode(), url
    brouillon.refresh_from_db()
    assert brouillon.statut == StatutVersion.BROUILLON and brouillon.revision == 1


def test_cip_qui_tente_d_approuver_recoit_403_et_rien_ne_change(client, site, brouillon_complet):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    client.force_login(site.cip)
    reponse = client.post(_url("charte_approuver", site.charte.pk))
    assert reponse.status_code == 403
    assert "approuvent la charte, chacun pour sa partie" in reponse.content.decode()
    brouillon_complet.refresh_from_db()
    assert not brouillon_complet.approuvee_siae_le


def test_une_version_en_cours_ne_se_lit_pas_par_la_cip(client, site, en_vigueur):
    versions.creer_version(charte=site.charte, par=site.dpip)
    client.force_login(site.cip)
    assert client.get(reverse("charte_version", args=[site.charte.pk, 1])).status_code == 200
    assert client.get(reverse("charte_version", args=[site.charte.pk, 2])).status_code == 403
    html = client.get(_url("charte_comparer", site.charte.pk)).content.decode()
    assert "Version 2" not in html


def test_les_actions_refusent_le_get(client, site, brouillon):
    client.force_login(site.dpip)
    assert client.get(_url("charte_soumettre", site.charte.pk)).status_code == 405


# --- Le parcours complet ---------------------------------------------------------------------


def test_dpip_et_direction_adaptent_soumettent_approuvent_et_voient_la_charte_en_vigueur(
    client, site
):
    client.force_login(site.dpip)
    espace = _url("charte_modifier", site.charte.pk)
    assert "Commencer la charte à partir du modèle national" in client.get(espace).content.decode()
    assert client.post(_url("charte_nouvelle_version", site.charte.pk)).status_code == 302
    version = site.charte.versions.get()

    # Article 3.1 : les moyens de communication de la SIAE, avec la consigne du modèle.
    url = reverse("charte_article", args=[site.charte.pk, _article(version, "3.1").pk])
    page = client.get(url).content.decode()
    assert "Préciser ici les modalités de communication choisies" in page
    reponse = client.post(
        url,
        {
            "revision": version.revision,
            "canaux_information__quartier_arrivant": "on",
            "canaux_information__quartier_arrivant_rythme": "Chaque lundi",
        },
    )
    assert reponse.status_code == 302

    # La soumission est refusée tant que des champs obligatoires sont vides : la liste s'affiche.
    reponse = client.post(_url("charte_soumettre", site.charte.pk), follow=True)
    html = reponse.content.decode()
    assert "des champs obligatoires sont vides" in html
    assert "Article 6 — Modalités d’organisation de la transmission" in html
    version.refresh_from_db()
    remplir(version, site.dpip, saisies=SANS_CANAUX)

    # Tableau de répartition en htmx : un fragment, pas une page entière.
    version.refresh_from_db()
    sante = version.repartition.get(domaine__code="sante")
    donnees = {"revision": version.revision}
    for ligne in version.repartition.all():
        donnees[f"l{ligne.pk}-chef_de_file"] = ligne.chef_de_file
    donnees[f"l{sante.pk}-chef_de_file"] = "autres"
    donnees[f"l{sante.pk}-autres"] = "Unité sanitaire"
    reponse = client.post(
        _url("charte_repartition", site.charte.pk), donnees, HTTP_HX_REQUEST="true"
    )
    assert reponse.status_code == 200
    fragment = reponse.content.decode()
    assert "<html" not in fragment and 'id="grille"' in fragment
    assert "Tableau enregistré" in fragment

    assert client.post(_url("charte_soumettre", site.charte.pk)).status_code == 302
    client.post(_url("charte_approuver", site.charte.pk))
    client.force_login(site.direction)
    reponse = client.post(_url("charte_approuver", site.charte.pk), follow=True)
    html = reponse.content.decode()
    assert "est en vigueur" in html and "Finalisée" in html
    assert "Chaque lundi" in html and "Unité sanitaire" in html
    assert "Seul le service pénitentiaire d’insertion et de probation peut prescrire" in html
    assert charte.chef_de_file(site.implantation, "sante") == ChefDeFile.AUTRES

    # Un changement ultérieur est une nouvelle version, à réapprouver.
    client.post(_url("charte_nouvelle_version", site.charte.pk))
    assert site.charte.versions.get(numero=2).statut == StatutVersion.BROUILLON
    assert charte.version_en_vigueur(site.implantation).numero == 1


def test_double_envoi_de_nouvelle_version_n_en_cree_qu_une(client, site):
    client.force_login(site.dpip)
    client.post(_url("charte_nouvelle_version", site.charte.pk))
    reponse = client.post(_url("charte_nouvelle_version", site.charte.pk), follow=True)
    assert site.charte.versions.count() == 1
    assert "déjà en cours d&#x27;adaptation" in reponse.content.decode()


def test_rythme_sans_moyen_coche_message_a_cote_du_champ_sans_perte(client, site, brouillon):
    client.force_login(site.direction)
    url = reverse("charte_article", args=[site.charte.pk, _article(brouillon, "3.1").pk])
    reponse = client.post(
        url,
        {
            "revision": brouillon.revision,
            "canaux_information__flyers_rythme": "Tous les mois",
            "canaux_information__affichage": "on",
        },
    )
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Cochez ce moyen de communication ou videz son rythme." in html
    assert "Tous les mois" in html
    assert not brouillon.valeurs.exists()


def test_statut_de_la_charte_pendant_l_implantation_puis_au_demarrage(client, db):
    implantation = ImplantationFactory(date_demarrage=None)
    from tests.factories import UtilisateurFactory

    dpip = UtilisateurFactory(dpip=True, structure=implantation.spip)
    client.force_login(dpip)
    html = client.get(_url("charte_detail", implantation.charte.pk)).content.decode()
    assert "En rédaction" in html and "Période d&#x27;implantation depuis le 05/01/2026" in html
    implantation.date_demarrage = implantation.debut_implantation
    implantation.save()
    html = client.get(_url("charte_detail", implantation.charte.pk)).content.decode()
    assert "À finaliser" in html


# --- Concurrence ---------------------------------------------------------------------------


def test_deux_parties_enregistrent_le_meme_article_la_seconde_voit_le_conflit(
    client, site, brouillon
):
    url = reverse("charte_article", args=[site.charte.pk, _article(brouillon, "6").pk])
    lue = brouillon.revision
    client.force_login(site.dpip)
    client.post(url, {"revision": lue, "transmission_sortie": "Fiche de liaison (SPIP)"})
    client.force_login(site.direction)
    reponse = client.post(
        url, {"revision": lue, "transmission_sortie": "Appel téléphonique (SIAE)"}
    )
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "la version a changé pendant votre saisie" in html
    assert str(site.dpip) in html and "Fiche de liaison (SPIP)" in html
    assert "Appel téléphonique (SIAE)" in html, "la saisie de la seconde partie est conservée"
    valeur = brouillon.valeurs.get(champ__code="transmission_sortie")
    assert valeur.texte == "Fiche de liaison (SPIP)", "rien n'est écrasé en silence"
    # Renvoyer, en connaissance de cause, enregistre.
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    client.post(url, {"revision": revision, "transmission_sortie": "Appel téléphonique (SIAE)"})
    assert (
        VersionCharte.objects.get(pk=brouillon.pk)
        .valeurs.get(champ__code="transmission_sortie")
        .texte
        == "Appel téléphonique (SIAE)"
    )


def test_conflit_sur_la_grille_en_htmx(client, site, brouillon):
    lue = brouillon.revision
    logement = brouillon.repartition.get(domaine__code="logement")
    versions.enregistrer_repartition(
        version=brouillon,
        revision=lue,
        lignes={logement.pk: {"chef_de_file": "cpip"}},
        par=site.dpip,
    )
    client.force_login(site.direction)
    reponse = client.post(
        _url("charte_repartition", site.charte.pk),
        {"revision": lue, f"l{logement.pk}-chef_de_file": "siae"},
        HTTP_HX_REQUEST="true",
    )
    fragment = reponse.content.decode()
    assert "la version a changé pendant votre saisie" in fragment
    assert "Répartition — Logement / Hébergement : chef de file" in fragment
    assert brouillon.repartition.get(pk=logement.pk).chef_de_file == "cpip"


def test_ajout_d_un_domaine_local_en_htmx(client, site, brouillon):
    client.force_login(site.direction)
    reponse = client.post(
        _url("charte_domaine_ajouter", site.charte.pk),
        {"revision": brouillon.revision, "libelle": "Parentalité"},
        HTTP_HX_REQUEST="true",
    )
    assert reponse.status_code == 200
    assert "Parentalité" in reponse.content.decode()
    assert brouillon.repartition.filter(domaine__libelle="Parentalité").exists()


# --- Comparaison ---------------------------------------------------------------------------


def test_comparaison_des_versions_et_historique_des_approbations(client, site, en_vigueur):
    v2 = versions.creer_version(charte=site.charte, par=site.direction)
    versions.enregistrer_champs(
        version=v2,
        revision=v2.revision,
        saisies={
            "commission_insertion": versions.SaisieChamp(
                donnees={"nom": "Commission locale", "frequence": "Bimensuelle"}
            )
        },
        par=site.direction,
    )
    client.force_login(site.dpip)
    html = client.get(_url("charte_comparer", site.charte.pk) + "?de=1&a=2").content.decode()
    assert "Ce qui change de la version 1 à la version 2" in html
    assert "Commission de l’insertion professionnelle : Fréquence" in html
    assert "Mensuelle" in html and "Bimensuelle" in html
    assert "Nom local de la commission" not in html, "un élément inchangé n'apparaît pas"
    assert "Approuvée pour le SPIP le" in html and str(site.dpip) in html
    assert "Approuvée pour la SIAE le" in html and str(site.direction) in html


# --- Requêtes ------------------------------------------------------------------------------


# Session, agent, transaction de la requête, type de contenu (guardian), charte, version,
# 5 pour le contenu (articles, champs, valeurs, critères, grille), droits de l'agent,
# affectations (menu), notifications non lues.
NB_REQUETES_CONSULTATION = 14
NB_REQUETES_ESPACE = 15


def test_la_page_de_la_charte_a_un_nombre_de_requetes_fixe(
    client, site, en_vigueur, django_assert_num_queries
):
    client.force_login(site.cip)
    url = _url("charte_detail", site.charte.pk)
    client.get(url)  # la première requête après connexion réécrit la session
    with django_assert_num_queries(NB_REQUETES_CONSULTATION):
        client.get(url)

    # Plus de données : domaines locaux, critères, versions, autres chartes.
    v2 = versions.creer_version(charte=site.charte, par=site.dpip)
    for i in range(5):
        v2.refresh_from_db()
        versions.ajouter_domaine_local(
            version=v2, revision=v2.revision, libelle=f"Domaine {i}", par=site.dpip
        )
    v2.refresh_from_db()
    remplir(
        v2,
        site.dpip,
        saisies={
            "criteres_locaux": versions.SaisieChamp(criteres=[f"Critère {i}" for i in range(10)])
        },
    )
    v2.refresh_from_db()
    versions.soumettre(version=v2, par=site.dpip)
    versions.approuver(version=v2, par=site.dpip)
    versions.approuver(version=v2, par=site.direction)
    for _ in range(3):
        ImplantationFactory()
    with django_assert_num_queries(NB_REQUETES_CONSULTATION):
        html = client.get(url).content.decode()
    assert "Domaine 4" in html and "Critère 9" in html


def test_l_espace_d_adaptation_a_un_nombre_de_requetes_fixe(
    client, site, brouillon_complet, django_assert_num_queries
):
    client.force_login(site.dpip)
    url = _url("charte_modifier", site.charte.pk)
    client.get(url)  # la première requête après connexion réécrit la session
    with django_assert_num_queries(NB_REQUETES_ESPACE):
        client.get(url)
    for i in range(4):
        brouillon_complet.refresh_from_db()
        versions.ajouter_domaine_local(
            version=brouillon_complet,
            revision=brouillon_complet.revision,
            libelle=f"Domaine {i}",
            par=site.dpip,
        )
    with django_assert_num_queries(NB_REQUETES_ESPACE):
        html = client.get(url).content.decode()
    assert "Domaine 3" in html
