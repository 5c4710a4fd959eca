"""La charte imprimée : une version en vigueur ou un projet (marqué comme tel sur chaque
page), ses articles et champs locaux, le tableau de répartition des rôles (en-tête répété sur
chaque page) et les approbations ; la lisent ceux qui peuvent lire la version."""

import html

import pytest
from django.urls import reverse

from charte_iae import documents, pdf, versions
from charte_iae.models import VersionCharte
from charte_iae.permissions import can_view_version, versions_visibles
from tests.charte_iae.conftest import SAISIES_COMPLETES
from tests.impression_outils import (
    Ecouteur,
    apparait_comme_texte,
    hostile,
    hostiles,
    pages,
    rendre_et_verifier_inerte,
)


def _url(version: VersionCharte) -> str:
    return reverse("charte_version_pdf", args=[version.charte_id, version.numero])


def test_la_charte_en_vigueur_s_imprime_depuis_sa_page(client, site, en_vigueur):
    client.force_login(site.cip)
    page = client.get(reverse("charte_detail", args=[site.charte.pk])).content.decode()
    assert _url(en_vigueur) in page
    reponse = client.get(_url(en_vigueur))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    textes = pages(reponse.content)
    assert len(textes) >= 3
    tout = " ".join(textes)
    assert site.charte.intitule in tout
    assert str(site.implantation.siae) in tout and str(site.implantation.spip) in tout
    assert "Article 1 —" in tout
    # Champs locaux, critère local, tableau de répartition, approbations nominatives et datées.
    assert "Réunion mensuelle avec France Travail" in tout
    assert "Aptitude au port de charges" in tout
    assert "Chef de file" in tout and "Permanents de la SIAE (CIP et ET)" in tout
    en_vigueur.refresh_from_db()
    jour = f"{en_vigueur.approuvee_spip_le:%d/%m/%Y}"
    assert f"{site.dpip} {jour}" in tout and f"{site.direction}" in tout
    assert "Approbation attendue" not in tout
    for numero, texte_page in enumerate(textes, start=1):
        assert "Version en vigueur" in texte_page
        assert f"page {numero} / {len(textes)}" in texte_page
    assert "PROJET" not in tout


def test_un_projet_est_marque_comme_tel_sur_chaque_page(client, site, brouillon_complet):
    client.force_login(site.dpip)
    espace = client.get(reverse("charte_modifier", args=[site.charte.pk])).content.decode()
    assert _url(brouillon_complet) in espace
    reponse = client.get(_url(brouillon_complet))
    assert reponse.status_code == 200
    textes = pages(reponse.content)
    assert all("PROJET — non approuvé" in t for t in textes)
    assert "Approbation attendue" in " ".join(textes)
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    textes = pages(client.get(_url(brouillon_complet)).content)
    assert all("PROJET — soumis, non approuvé" in t for t in textes)


def test_le_tableau_de_repartition_repete_son_en_tete_sur_chaque_page(settings, site, brouillon):
    settings.PDF_DELAI_SECONDES = 120  # document long, machine de test parfois très chargée
    long = "Accompagnement détaillé : entretiens, démarches, suivi. " * 6
    lignes = {
        ligne.pk: {"chef_de_file": "partage", "cpip": long, "siae": long, "partage": long}
        for ligne in brouillon.repartition.all()
    }
    versions.enregistrer_repartition(
        version=brouillon, revision=brouillon.revision, lignes=lignes, par=site.dpip
    )
    prepare = documents.CHARTE.preparer(brouillon)
    textes = pages(pdf.rendre_document(prepare.gabarit, prepare.contexte))
    avec_tableau = [t for t in textes if "Accompagnement détaillé" in t]
    assert len(avec_tableau) >= 2
    assert all("Interventions partagées" in t and "Chef de file" in t for t in avec_tableau)


def test_un_projet_ne_se_lit_pas_hors_redacteurs_et_approbateurs(client, site, brouillon):
    client.force_login(site.cip)
    reponse = client.get(_url(brouillon))
    assert reponse.status_code == 403
    assert "en cours d'adaptation" in html.unescape(reponse.content.decode())


def test_la_charte_d_une_autre_implantation_est_introuvable(client, site, autre_site, en_vigueur):
    client.force_login(autre_site.dpip)
    assert client.get(_url(en_vigueur)).status_code == 404
    client.force_login(site.cpip)
    url = reverse("charte_version_pdf", args=[site.charte.pk, 99])
    assert client.get(url).status_code == 404


def test_anonyme_renvoye_vers_la_connexion(client, en_vigueur):
    reponse = client.get(_url(en_vigueur))
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]


@pytest.mark.parametrize("role", ["cpip", "cip", "dpip", "direction", "orienteur", "cpip_mo"])
def test_versions_imprimables_suivent_la_regle_de_lecture(site, en_vigueur, role):
    nouvelle = versions.creer_version(charte=site.charte, par=site.dpip)
    agent = getattr(site, role)
    imprimables = set(documents.CHARTE.objets_imprimables(agent))
    for version in (en_vigueur, nouvelle):
        version.refresh_from_db()
        assert (version in imprimables) == can_view_version(agent, version)
    assert set(versions_visibles(agent)) == imprimables


def test_les_saisies_hostiles_restent_du_texte_et_rien_n_est_demande(site, brouillon):
    ecouteur = Ecouteur()
    try:
        piege = hostile(ecouteur.url)
        site.charte.intitule = "Charte <b>piégée</b> {{7*7}}"
        site.charte.save()
        saisies = dict(SAISIES_COMPLETES)
        saisies["echanges_partenaires"] = versions.SaisieChamp(texte=piege)
        saisies["commission_insertion"] = versions.SaisieChamp(
            donnees={"nom": piege[:200], "frequence": "Mensuelle"}
        )
        saisies["criteres_locaux"] = versions.SaisieChamp(criteres=hostiles(ecouteur.url))
        version = versions.enregistrer_champs(
            version=brouillon, revision=brouillon.revision, saisies=saisies, par=site.dpip
        )
        lignes = {ligne.pk: {"autres": piege} for ligne in version.repartition.all()[:1]}
        version = versions.enregistrer_repartition(
            version=version, revision=version.revision, lignes=lignes, par=site.dpip
        )
        version = VersionCharte.objects.select_related("charte__implantation").get(pk=version.pk)
        prepare = documents.CHARTE.preparer(version)
        _, contenu = rendre_et_verifier_inerte(prepare.gabarit, prepare.contexte, ecouteur)
    finally:
        ecouteur.fermer()
    assert apparait_comme_texte(contenu, "Charte <b>piégée</b> {{7*7}}")
    for valeur in hostiles(ecouteur.url):
        assert apparait_comme_texte(contenu, valeur), valeur
