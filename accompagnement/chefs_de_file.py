"""Qui mène chaque domaine, selon la charte en vigueur de l'implantation de la personne.

La seule source est la charte (``charte_iae.charte`` : ``chef_de_file`` et
``repartition_en_vigueur``). Tant que la charte versionnée n'est pas livrée, rien n'est
inventé : ``CHARTE_DISPONIBLE`` est faux, aucun chef de file n'est connu, et les pages
n'affichent pas la colonne.
"""

from __future__ import annotations

from dataclasses import dataclass

from accompagnement.enums import Cote, DomaineNational
from charte_iae.models import Implantation
from parcours.models import Personne, Prescription

try:  # La charte versionnée (tableau de répartition des rôles) arrive avec l'issue 3.
    from charte_iae import charte as _charte
    from charte_iae.models import ChefDeFile as _ChefDeFile
except ImportError:  # pragma: no cover - dépend de ce qui est livré
    _charte = None
    _ChefDeFile = None

CHARTE_DISPONIBLE = _charte is not None


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
        "cpip": frozenset({Cote.SPIP}),
        "siae": frozenset({Cote.SIAE}),
        "partage": frozenset({Cote.SPIP, Cote.SIAE}),
    }.get(str(valeur), frozenset())


def _chef(valeur: str | None) -> Chef | None:
    if not valeur or _ChefDeFile is None:
        return None
    return Chef(libelle=str(_ChefDeFile(valeur).label), cotes=_cotes(valeur))


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
    """Le chef de file du domaine selon la charte en vigueur (None : pas de charte en
    vigueur, domaine absent, ou charte non livrée)."""
    if implantation is None or _charte is None:
        return None
    return _chef(_charte.chef_de_file(implantation, domaine))


def domaines(implantation: Implantation | None) -> list[Domaine]:
    """Les domaines de la charte en vigueur (nationaux puis locaux) avec leur chef de file,
    en une requête ; à défaut de charte, les 8 domaines nationaux sans chef de file."""
    lignes = {}
    if implantation is not None and _charte is not None:
        lignes = _charte.repartition_en_vigueur(implantation)
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
