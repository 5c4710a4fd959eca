"""Qui peut quoi sur la charte d'une implantation.

- La lire : tous les agents du SPIP (antenne de milieu fermé) et de la SIAE de l'implantation.
- La modifier : seulement les agents désignés par leur fonction — DPIP ou référent IAE de
  l'antenne SPIP, direction de la SIAE — tant que leur affectation est active.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from charte_iae import acces
from charte_iae.enums import FONCTIONS_ADMIN_SPIP, Fonction
from charte_iae.models import Affectation, Charte, Structure


class RegleCharte(acces.RegleAcces):
    modele = Charte
    permissions = ("view_charte", "change_charte")

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


def chartes_visibles(utilisateur: Any) -> QuerySet[Charte]:
    return acces.objets_pour(utilisateur, "charte_iae.view_charte", Charte.objects.all())
