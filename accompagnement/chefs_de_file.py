"""Qui mène chaque domaine, selon la charte en vigueur de l'implantation de la personne.

La seule source est la charte (``charte_iae.charte`` : ``chef_de_file`` et
``repartition_en_vigueur``) : rien n'est inventé. Sans version en vigueur, sans prescription
active ou sans chef de file désigné, le chef de file est inconnu (None).
"""

from __future__ import annotations

from dataclasses import dataclass

from accompagnement.enums import Cote, DomaineNational
from charte_iae import charte
from charte_iae.models import ChefDeFile, Implantation
from parcours.models import Personne, Prescription


@dataclass(frozen=True)
class Chef:
    """Le chef de file d'un domaine : son libellé et les côtés qui le portent."""

    libelle: str
    cotes: frozenset[str]

    def mene(self, cote: str) -> bool:
        return cote in self.cotes


@dataclass(frozen=True)
class Domaine:
    code: str
    libelle: str
    chef: Chef | None


def _cotes(valeur: str) -> frozenset[str]:
    # CPIP → SPIP ; permanents → SIAE ; intervention partagée → les deux ; autres acteurs → aucun
    # des deux (personne à prévenir dans l'application).
    return {
        ChefDeFile.CPIP: frozenset({Cote.SPIP}),
        ChefDeFile.SIAE: frozenset({Cote.SIAE}),
        ChefDeFile.PARTAGE: frozenset({Cote.SPIP, Cote.SIAE}),
    }.get(ChefDeFile(valeur), frozenset())


def _chef(valeur: str | None) -> Chef | None:
    if not valeur:
        return None
    return Chef(libelle=str(ChefDeFile(valeur).label), cotes=_cotes(valeur))


def implantation_de(personne: Personne) -> Implantation | None:
    """L'implantation où la personne a un parcours IAE prescrit en cours : c'est sa charte
    qui répartit les rôles. Sans prescription active, aucune charte ne s'applique."""
    prescription = (
        Prescription.objects.filter(personne=personne, fin_le__isnull=True)
        .select_related("implantation")
        .first()
    )
    return prescription.implantation if prescription else None


def chef_de_file(implantation: Implantation | None, domaine: str) -> Chef | None:
    """Le chef de file du domaine selon la charte en vigueur (None : pas de version en
    vigueur, domaine absent ou chef de file non désigné)."""
    if implantation is None:
        return None
    return _chef(charte.chef_de_file(implantation, domaine))


def domaines(implantation: Implantation | None) -> list[Domaine]:
    """Les domaines de la charte en vigueur (nationaux puis locaux) avec leur chef de file,
    en une requête ; à défaut de charte, les 8 domaines nationaux sans chef de file."""
    lignes = charte.repartition_en_vigueur(implantation) if implantation is not None else {}
    resultat = [
        Domaine(code, str(libelle), _chef(getattr(lignes.get(code), "chef_de_file", None)))
        for code, libelle in DomaineNational.choices
    ]
    nationaux = set(DomaineNational.values)
    resultat += [
        Domaine(code, ligne.domaine.libelle, _chef(ligne.chef_de_file))
        for code, ligne in lignes.items()
        if code not in nationaux
    ]
    return resultat


def libelle_domaine(code: str, connus: list[Domaine] | None = None) -> str:
    for domaine in connus or []:
        if domaine.code == code:
            return domaine.libelle
    if code in DomaineNational.values:
        return str(DomaineNational(code).label)
    return code
