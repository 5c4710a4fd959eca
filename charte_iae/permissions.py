"""Qui peut quoi sur la charte d'une implantation.

- La lire : tous les agents du SPIP (antenne de milieu fermé) et de la SIAE de l'implantation.
- L'adapter (brouillon, tableau, soumission) : seulement les agents désignés par leur
  fonction — DPIP ou référent IAE de l'antenne SPIP, direction de la SIAE — tant que leur
  affectation est active.
- L'approuver : chaque partie pour elle-même — le DPIP / référent IAE pour le SPIP,
  la direction pour la SIAE (« sous réserve de l'accord des deux parties »).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from charte_iae import acces, audit
from charte_iae.enums import FONCTIONS_ADMIN_SPIP, Fonction
from charte_iae.models import (
    Affectation,
    Charte,
    CharteUserObjectPermission,
    Partie,
    StatutVersion,
    Structure,
    Utilisateur,
    VersionCharte,
)

PERMISSION_APPROBATION = {
    Partie.SPIP: "approuver_spip_charte",
    Partie.SIAE: "approuver_siae_charte",
}


class RegleCharte(acces.RegleAcces):
    modele = Charte
    permissions = ("view_charte", "change_charte", *PERMISSION_APPROBATION.values())

    def droits_attendus(self, objets: Sequence[Charte]) -> Iterable[acces.Droit]:
        chartes = list(
            Charte.objects.filter(pk__in=[c.pk for c in objets]).select_related(
                "implantation__spip", "implantation__siae"
            )
        )
        structures = {c.implantation.spip_id for c in chartes} | {
            c.implantation.siae_id for c in chartes
        }
        redacteurs: dict[int, set[int]] = defaultdict(set)
        for structure_id, utilisateur_id in (
            Affectation.objects.actives()
            .filter(structure_id__in=structures, utilisateur__is_active=True)
            .filter(fonction__in=[*FONCTIONS_ADMIN_SPIP, Fonction.DIRECTION_SIAE])
            .values_list("structure_id", "utilisateur_id")
        ):
            redacteurs[structure_id].add(utilisateur_id)
        for charte in chartes:
            spip, siae = charte.implantation.spip, charte.implantation.siae
            yield acces.Droit("view_charte", charte.pk, groupe_id=spip.groupe_id)
            yield acces.Droit("view_charte", charte.pk, groupe_id=siae.groupe_id)
            for utilisateur_id in redacteurs[spip.pk] | redacteurs[siae.pk]:
                yield acces.Droit("change_charte", charte.pk, utilisateur_id=utilisateur_id)
            # Chaque partie approuve pour elle-même : le SPIP par son encadrement désigné,
            # la SIAE par sa direction.
            for utilisateur_id in redacteurs[spip.pk]:
                yield acces.Droit(
                    PERMISSION_APPROBATION[Partie.SPIP], charte.pk, utilisateur_id=utilisateur_id
                )
            for utilisateur_id in redacteurs[siae.pk]:
                yield acces.Droit(
                    PERMISSION_APPROBATION[Partie.SIAE], charte.pk, utilisateur_id=utilisateur_id
                )

    def objets_concernes_par_structure(self, structure: Structure) -> QuerySet[Charte]:
        return Charte.objects.filter(
            Q(implantation__spip=structure) | Q(implantation__siae=structure)
        )


acces.registre.enregistrer(RegleCharte())


def can_view_charte(utilisateur: Any, charte: Charte) -> bool:
    """Tout agent actif du SPIP ou de la SIAE de l'implantation lit sa charte."""
    return acces.a_permission(utilisateur, "charte_iae.view_charte", charte)


def can_edit_charte(utilisateur: Any, charte: Charte) -> bool:
    """Seuls le DPIP / référent IAE de l'antenne SPIP et la direction de la SIAE de
    l'implantation adaptent la charte (« sous réserve de l'accord des deux parties »)."""
    return acces.a_permission(utilisateur, "charte_iae.change_charte", charte)


def parties_approbation(utilisateur: Any, charte: Charte) -> list[Partie]:
    """Les parties au nom desquelles l'agent peut approuver une version de cette charte :
    le SPIP pour son DPIP / référent IAE, la SIAE pour sa direction."""
    return [
        partie
        for partie, codename in PERMISSION_APPROBATION.items()
        if acces.a_permission(utilisateur, f"charte_iae.{codename}", charte)
    ]


def can_approve_charte(utilisateur: Any, charte: Charte) -> bool:
    """Approuver une version : le DPIP / référent IAE pour le SPIP, la direction pour la
    SIAE ; personne d'autre, pas même un autre agent de l'implantation."""
    return bool(parties_approbation(utilisateur, charte))


def can_view_version(utilisateur: Any, version: VersionCharte) -> bool:
    """Une version en vigueur ou remplacée se lit par tous les agents de l'implantation ;
    une version en cours d'adaptation seulement par ceux qui l'adaptent ou l'approuvent."""
    if version.statut in (StatutVersion.EN_VIGUEUR, StatutVersion.REMPLACEE):
        return can_view_charte(utilisateur, version.charte)
    return can_edit_charte(utilisateur, version.charte) or can_approve_charte(
        utilisateur, version.charte
    )


def chartes_visibles(utilisateur: Any) -> QuerySet[Charte]:
    return acces.objets_pour(utilisateur, "charte_iae.view_charte", Charte.objects.all())


def detenteurs(charte: Charte, codenames: Iterable[str]) -> QuerySet[Utilisateur]:
    """Les agents actifs qui détiennent en nom propre l'une de ces permissions sur la charte
    (destinataires des notifications de la charte)."""
    ids = CharteUserObjectPermission.objects.filter(
        content_object=charte, permission__codename__in=list(codenames)
    ).values("user_id")
    return Utilisateur.objects.filter(pk__in=ids, is_active=True)


def versions_visibles(utilisateur: Any) -> QuerySet[VersionCharte]:
    """Les versions que l'agent peut lire (la règle de ``can_view_version``, en requête) :
    en vigueur ou remplacées pour tout agent de l'implantation ; en cours d'adaptation
    seulement pour ceux qui l'adaptent ou l'approuvent."""
    chartes = Charte.objects.all()
    redaction = Q(charte__in=acces.objets_pour(utilisateur, "charte_iae.change_charte", chartes))
    for codename in PERMISSION_APPROBATION.values():
        redaction |= Q(charte__in=acces.objets_pour(utilisateur, f"charte_iae.{codename}", chartes))
    return VersionCharte.objects.filter(
        Q(
            charte__in=chartes_visibles(utilisateur),
            statut__in=[StatutVersion.EN_VIGUEUR, StatutVersion.REMPLACEE],
        )
        | redaction
    )


# Le journal des accès à une charte se consulte par ceux qui l'adaptent (DPIP / direction).
audit.registre_journaux.enregistrer(Charte, objets=chartes_visibles, peut_consulter=can_edit_charte)
