"""Qui peut quoi dans la communication entre le SPIP et la SIAE.

Le cahier de transmission suit le dossier de la personne (règle de ``parcours.permissions``),
restreint aux fonctions qui tiennent un cahier : CPIP, encadrement du SPIP, permanents et
direction de la SIAE. L'annuaire et les réunions appartiennent à une implantation.
Les vues, les gabarits (par des drapeaux du contexte) et les services demandent ces prédicats.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from charte_iae import acces
from charte_iae.enums import FONCTIONS_ADMIN_SPIP, Fonction
from charte_iae.models import Implantation
from communication.models import FONCTIONS_CAHIER, Reunion, implantations_de
from parcours.models import Personne


def _actif(utilisateur: Any) -> bool:
    return bool(utilisateur and utilisateur.is_authenticated and utilisateur.is_active)


def can_view_cahier(utilisateur: Any, personne: Personne) -> bool:
    """Le cahier d'une personne se lit avec son dossier : le SPIP de milieu fermé de son
    établissement (CPIP, DPIP, référent IAE) et la SIAE vers laquelle elle a une prescription
    active (CIP, ET, direction). Jamais un orienteur ni un partenaire."""
    return (
        _actif(utilisateur)
        and bool(utilisateur.fonctions & FONCTIONS_CAHIER)
        and acces.a_permission(utilisateur, "parcours.view_personne", personne)
    )


def can_write_cahier(utilisateur: Any, personne: Personne) -> bool:
    """Tous ceux qui lisent le cahier y écrivent : l'échange entre le CPIP référent et les
    permanents de la SIAE est la raison d'être du cahier (charte, « Modalités de communication »)."""
    return can_view_cahier(utilisateur, personne)


def implantations_administrees(utilisateur: Any) -> QuerySet[Implantation]:
    """Les implantations dont l'agent est administrateur local : DPIP ou référent IAE de
    l'antenne SPIP, direction de la SIAE."""
    if not _actif(utilisateur):
        return Implantation.objects.none()
    spip = [
        a.structure_id
        for a in utilisateur.affectations_actives
        if a.fonction in FONCTIONS_ADMIN_SPIP
    ]
    siae = [
        a.structure_id
        for a in utilisateur.affectations_actives
        if a.fonction == Fonction.DIRECTION_SIAE
    ]
    return Implantation.objects.filter(Q(spip_id__in=spip) | Q(siae_id__in=siae))


def _structures(utilisateur: Any, fonctions: frozenset[str] | None = None) -> set[int]:
    return {
        a.structure_id
        for a in utilisateur.affectations_actives
        if fonctions is None or a.fonction in fonctions
    }


def can_manage_annuaire(utilisateur: Any, implantation: Implantation) -> bool:
    """L'annuaire des personnes ressources est tenu par les administrateurs locaux de
    l'implantation : DPIP ou référent IAE du SPIP, direction de la SIAE."""
    if not _actif(utilisateur):
        return False
    return implantation.spip_id in _structures(
        utilisateur, FONCTIONS_ADMIN_SPIP
    ) or implantation.siae_id in _structures(utilisateur, frozenset({Fonction.DIRECTION_SIAE}))


def can_view_annuaire(utilisateur: Any, implantation: Implantation) -> bool:
    """Tout agent actif de l'implantation (antenne SPIP de milieu fermé, SIAE) lit l'annuaire."""
    if not _actif(utilisateur):
        return False
    structures = _structures(utilisateur)
    return implantation.spip_id in structures or implantation.siae_id in structures


def can_plan_reunion(utilisateur: Any, implantation: Implantation) -> bool:
    """Les agents de l'implantation (SPIP de milieu fermé et SIAE) organisent les réunions et
    les commissions ; un partenaire invité y participe sans les organiser."""
    return can_view_annuaire(utilisateur, implantation)


def can_edit_reunion(utilisateur: Any, reunion: Reunion) -> bool:
    """Les agents de l'implantation tiennent l'ordre du jour, le compte rendu et les décisions."""
    return can_plan_reunion(utilisateur, reunion.implantation)


def personnes_evoquees_visibles(utilisateur: Any, personnes: list[Personne]) -> set[int]:
    """Parmi les personnes évoquées, celles dont l'agent voit le dossier (une requête) : pour
    les autres, ni lien ni nom."""
    if not _actif(utilisateur) or not personnes:
        return set()
    acces.precharger(utilisateur, personnes)
    return {p.pk for p in personnes if acces.a_permission(utilisateur, "parcours.view_personne", p)}


__all__ = [
    "can_edit_reunion",
    "can_manage_annuaire",
    "can_plan_reunion",
    "can_view_annuaire",
    "can_view_cahier",
    "can_write_cahier",
    "implantations_administrees",
    "implantations_de",
    "personnes_evoquees_visibles",
]
