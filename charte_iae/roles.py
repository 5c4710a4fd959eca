"""Le profil d'un agent, déduit de ses affectations actives : il choisit la page d'accueil
et la navigation. Les décisions d'accès aux objets, elles, passent par les prédicats
``can_…`` des modules ``permissions.py``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from charte_iae.enums import (
    FONCTIONS_ADMIN,
    FONCTIONS_ADMIN_SPIP,
    FONCTIONS_ORIENTEURS,
    FONCTIONS_PARTENAIRES,
    Fonction,
)


class Profil(StrEnum):
    CPIP = "cpip"
    CPIP_MO = "cpip_mo"
    ADMIN_SPIP = "admin_spip"
    SIAE = "siae"
    DIRECTION_SIAE = "direction_siae"
    ORIENTEUR = "orienteur"
    PARTENAIRE = "partenaire"
    ADMIN = "admin"
    SANS_AFFECTATION = "sans_affectation"


LIBELLES_PROFILS = {
    Profil.CPIP: "CPIP milieu fermé",
    Profil.CPIP_MO: "CPIP milieu ouvert",
    Profil.ADMIN_SPIP: "Encadrement du SPIP",
    Profil.SIAE: "Permanent de la SIAE",
    Profil.DIRECTION_SIAE: "Direction de la SIAE",
    Profil.ORIENTEUR: "Orienteur",
    Profil.PARTENAIRE: "Partenaire",
    Profil.ADMIN: "Administration",
    Profil.SANS_AFFECTATION: "Sans affectation",
}


def profil(utilisateur: Any) -> Profil:
    """Le profil principal : la fonction la plus engageante parmi les affectations actives."""
    if not utilisateur.is_authenticated:
        return Profil.SANS_AFFECTATION
    fonctions = utilisateur.fonctions
    if fonctions & FONCTIONS_ADMIN_SPIP:
        return Profil.ADMIN_SPIP
    if Fonction.CPIP_MF in fonctions:
        return Profil.CPIP
    if Fonction.CPIP_MO in fonctions:
        return Profil.CPIP_MO
    if Fonction.DIRECTION_SIAE in fonctions:
        return Profil.DIRECTION_SIAE
    if fonctions & {Fonction.CIP, Fonction.ENCADRANT_TECHNIQUE}:
        return Profil.SIAE
    if fonctions & FONCTIONS_ORIENTEURS:
        return Profil.ORIENTEUR
    if fonctions & FONCTIONS_PARTENAIRES:
        return Profil.PARTENAIRE
    if fonctions & FONCTIONS_ADMIN:
        return Profil.ADMIN
    return Profil.SANS_AFFECTATION
