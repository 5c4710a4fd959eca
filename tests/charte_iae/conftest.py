"""Fixtures de la charte : une version remplie de bout en bout, prête à soumettre."""

from __future__ import annotations

import pytest

from charte_iae import versions
from charte_iae.models import VersionCharte

SAISIES_COMPLETES = {
    "canaux_information": versions.SaisieChamp(
        donnees={"quartier_arrivant": True, "quartier_arrivant_rythme": "Chaque semaine"}
    ),
    "outil_suivi": versions.SaisieChamp(donnees={"outil": "cahier_transmission"}),
    "echanges_partenaires": versions.SaisieChamp(texte="Réunion mensuelle avec France Travail"),
    "commission_insertion": versions.SaisieChamp(
        donnees={"nom": "Commission locale", "frequence": "Mensuelle"}
    ),
    "transmission_sortie": versions.SaisieChamp(texte="Fiche de liaison un mois avant"),
    "criteres_locaux": versions.SaisieChamp(criteres=["Aptitude au port de charges"]),
}


def remplir(version: VersionCharte, par, saisies=None) -> VersionCharte:
    """Remplit tous les champs obligatoires et désigne un chef de file par domaine."""
    version = versions.enregistrer_champs(
        version=version, revision=version.revision, saisies=saisies or SAISIES_COMPLETES, par=par
    )
    lignes = {
        ligne.pk: {"chef_de_file": "siae" if ligne.domaine.code == "formation" else "cpip"}
        for ligne in version.repartition.all()
    }
    return versions.enregistrer_repartition(
        version=version, revision=version.revision, lignes=lignes, par=par
    )


@pytest.fixture
def brouillon(site) -> VersionCharte:
    return versions.creer_version(charte=site.charte, par=site.dpip)


@pytest.fixture
def brouillon_complet(site, brouillon) -> VersionCharte:
    return remplir(brouillon, site.dpip)


@pytest.fixture
def en_vigueur(site, brouillon_complet) -> VersionCharte:
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    versions.approuver(version=brouillon_complet, par=site.dpip)
    return versions.approuver(version=brouillon_complet, par=site.direction)
