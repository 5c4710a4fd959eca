"""Qui peut quoi dans l'accompagnement (DESIGN.md §3).

Actions et situations des domaines : elles suivent le dossier de la personne (``parcours``).
Les écrivent le SPIP de milieu fermé de l'établissement (CPIP, DPIP, référent IAE) et les
permanents (CIP, ET) de la SIAE vers laquelle la personne a une prescription active ; chacun
ne modifie que les actions de son côté.

Liaison avec le JAP : « le SPIP est l'interlocuteur unique du JAP sur les dossiers
individuels ». Une règle propre, ``RegleLiaisonJAP`` : pour chaque personne, les *ayants droit*
(groupes d'antennes SPIP, agents désignés) sont la réunion des ``sources`` ; la même réunion
donne les droits de lecture posés sur chaque liaison et le droit d'en écrire
(``can_access_jap``). Sources : les antennes SPIP de milieu fermé de l'établissement, et le
CPIP de milieu ouvert qui a accepté le passage (tant que son affectation est active). Pour une
autre source : une méthode ``_…(personne_ids)`` qui produit des ``AyantDroit``, ajoutée à
``sources`` ; aucune autre ligne ne change. La règle *suit* la personne (``suit``) : chaque
``acces.appliquer(personne)`` (passage accepté, changement d'établissement…) remet aussi à
jour les droits de ses échanges avec le JAP.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import QuerySet

from accompagnement.enums import Cote
from accompagnement.models import ActionAccompagnement, LiaisonJAP, ProjetAmenagement
from charte_iae import acces
from charte_iae.enums import FONCTIONS_PERMANENTS_SIAE, Fonction, Milieu, TypeStructure
from charte_iae.models import Affectation, Implantation, Structure
from parcours.enums import StatutPassage
from parcours.models import PassageMilieuOuvert, Personne, Prescription
from parcours.permissions import can_view_personne, est_agent_spip_de

# Les fonctions qui correspondent avec le JAP : le SPIP seul (jamais la SIAE, jamais un orienteur).
FONCTIONS_JAP = frozenset(
    {Fonction.CPIP_MF, Fonction.DPIP, Fonction.REFERENT_IAE, Fonction.CPIP_MO}
)


def _actif(utilisateur: Any) -> bool:
    return bool(utilisateur and utilisateur.is_authenticated and utilisateur.is_active)


@dataclass
class AyantsDroit:
    groupes: set[int] = field(default_factory=set)
    utilisateurs: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class AyantDroit:
    personne_id: int
    groupe_id: int | None = None
    utilisateur_id: int | None = None


class RegleLiaisonJAP(acces.RegleAcces):
    modele = LiaisonJAP
    permissions = ("view_liaisonjap",)
    sources: ClassVar[tuple[str, ...]] = ("_spip_milieu_ferme", "_cpip_milieu_ouvert")
    suit = (Personne, "personne")

    def _spip_milieu_ferme(self, personne_ids: set[int]) -> Iterable[AyantDroit]:
        """Les antennes SPIP de milieu fermé de l'établissement de la personne."""
        etablissements = dict(
            Personne.objects.filter(pk__in=personne_ids).values_list("pk", "etablissement_id")
        )
        groupes: dict[int, set[int]] = defaultdict(set)
        for etablissement_id, groupe_id in Structure.objects.filter(
            type=TypeStructure.SPIP,
            milieu=Milieu.FERME,
            etablissement_id__in=set(etablissements.values()),
        ).values_list("etablissement_id", "groupe_id"):
            groupes[etablissement_id].add(groupe_id)
        for personne_id, etablissement_id in etablissements.items():
            for groupe_id in groupes[etablissement_id]:
                yield AyantDroit(personne_id, groupe_id=groupe_id)

    def _cpip_milieu_ouvert(self, personne_ids: set[int]) -> Iterable[AyantDroit]:
        """Le CPIP de milieu ouvert qui a accepté le passage, tant que son compte et une
        affectation de CPIP dans une antenne de milieu ouvert sont actifs."""
        passages = list(
            PassageMilieuOuvert.objects.filter(
                personne_id__in=personne_ids, statut=StatutPassage.ACCEPTE
            ).values_list("personne_id", "cpip_mo_id")
        )
        if not passages:
            return
        actifs = set(
            Affectation.objects.actives()
            .filter(
                utilisateur_id__in={u for _, u in passages},
                utilisateur__is_active=True,
                fonction=Fonction.CPIP_MO,
                structure__type=TypeStructure.SPIP,
                structure__milieu=Milieu.OUVERT,
            )
            .values_list("utilisateur_id", flat=True)
        )
        for personne_id, utilisateur_id in passages:
            if utilisateur_id in actifs:
                yield AyantDroit(personne_id, utilisateur_id=utilisateur_id)

    def ayants_droit(self, personne_ids: Iterable[int]) -> dict[int, AyantsDroit]:
        """Par personne : qui correspond avec le JAP à son sujet (réunion des sources)."""
        ids = set(personne_ids)
        resultat: dict[int, AyantsDroit] = defaultdict(AyantsDroit)
        for source in self.sources:
            for ayant in getattr(self, source)(ids):
                if ayant.groupe_id is not None:
                    resultat[ayant.personne_id].groupes.add(ayant.groupe_id)
                if ayant.utilisateur_id is not None:
                    resultat[ayant.personne_id].utilisateurs.add(ayant.utilisateur_id)
        return resultat

    def droits_attendus(self, objets: Sequence[LiaisonJAP]) -> Iterable[acces.Droit]:
        liaisons = list(objets)
        ayants = self.ayants_droit(liaison.personne_id for liaison in liaisons)
        for liaison in liaisons:
            ayant = ayants[liaison.personne_id]
            for groupe_id in ayant.groupes:
                yield acces.Droit("view_liaisonjap", liaison.pk, groupe_id=groupe_id)
            for utilisateur_id in ayant.utilisateurs:
                yield acces.Droit("view_liaisonjap", liaison.pk, utilisateur_id=utilisateur_id)

    def objets_concernes_par_structure(self, structure: Structure) -> QuerySet[LiaisonJAP]:
        return LiaisonJAP.objects.filter(
            personne__passages_mo__statut=StatutPassage.ACCEPTE,
            personne__passages_mo__cpip_mo__affectations__structure=structure,
        ).distinct()


regle_liaison_jap = acces.registre.enregistrer(RegleLiaisonJAP())


# --- Prédicats -----------------------------------------------------------------------------------


def can_access_jap(utilisateur: Any, personne: Personne) -> bool:
    """Le SPIP est l'interlocuteur unique du JAP : seul un agent du SPIP (CPIP, DPIP,
    référent IAE) parmi les ayants droit de la personne écrit au JAP, voit ses échanges et
    suit ses projets d'aménagement. Vérifié sur les affectations actives elles-mêmes : le
    service l'applique quel que soit le point d'entrée (vue, administration, shell, import)."""
    if not _actif(utilisateur):
        return False
    ayants = regle_liaison_jap.ayants_droit([personne.pk]).get(personne.pk)
    if ayants is None:
        return False
    affectations_jap = [
        a
        for a in utilisateur.affectations_actives
        if a.fonction in FONCTIONS_JAP and a.structure.type == TypeStructure.SPIP
    ]
    return any(a.structure.groupe_id in ayants.groupes for a in affectations_jap) or (
        bool(affectations_jap) and utilisateur.pk in ayants.utilisateurs
    )


def can_view_liaison_jap(utilisateur: Any, liaison: LiaisonJAP) -> bool:
    """Seuls les ayants droit du SPIP voient un échange avec le JAP (par le droit posé)."""
    return acces.a_permission(utilisateur, "accompagnement.view_liaisonjap", liaison)


def cote_de(utilisateur: Any, personne: Personne) -> Cote | None:
    """Le côté au titre duquel l'agent agit pour cette personne : SPIP (milieu fermé de
    l'établissement) ou SIAE (CIP ou ET de la SIAE prescrite, prescription active) ; None
    s'il n'est ni l'un ni l'autre (direction de la SIAE, orienteur, autre établissement…)."""
    if not _actif(utilisateur):
        return None
    if est_agent_spip_de(utilisateur, personne.etablissement_id):
        return Cote.SPIP
    siae_ids = {
        a.structure_id
        for a in utilisateur.affectations_actives
        if a.fonction in FONCTIONS_PERMANENTS_SIAE
    }
    if (
        siae_ids
        and Prescription.objects.filter(
            personne=personne, fin_le__isnull=True, implantation__siae_id__in=siae_ids
        ).exists()
    ):
        return Cote.SIAE
    return None


def can_add_action(utilisateur: Any, personne: Personne) -> bool:
    """Le SPIP de l'établissement et les permanents (CIP, ET) de la SIAE prescrite
    enregistrent des actions d'accompagnement et la situation des domaines."""
    return can_view_personne(utilisateur, personne) and cote_de(utilisateur, personne) is not None


def can_edit_action(utilisateur: Any, action: ActionAccompagnement) -> bool:
    """Une action se met à jour (statut, résultat) par son côté : les collègues SIAE pour une
    action de la SIAE, le SPIP pour une action du SPIP."""
    return (
        can_view_personne(utilisateur, action.personne)
        and cote_de(utilisateur, action.personne) == action.cote
    )


def can_view_contacts_partenaires(utilisateur: Any) -> bool:
    """La liste des contacts noués par la SIAE avec des partenaires est celle du CPIP
    (« il en informe le CPIP ») : réservée aux agents du SPIP."""
    return _actif(utilisateur) and any(
        a.fonction in FONCTIONS_JAP and a.structure.type == TypeStructure.SPIP
        for a in utilisateur.affectations_actives
    )


def can_manage_amenagement(utilisateur: Any, personne: Personne) -> bool:
    """Le CPIP (le SPIP) suit le projet d'aménagement de peine : il le crée et en change le
    statut. Mêmes ayants droit que la liaison avec le JAP, à qui il est destiné."""
    return can_access_jap(utilisateur, personne)


def can_contribute_amenagement(utilisateur: Any, projet: ProjetAmenagement) -> bool:
    """Les permanents de la SIAE prescrite (et le SPIP) apportent des éléments au projet
    d'aménagement ; la SIAE n'écrit jamais elle-même au JAP."""
    return can_add_action(utilisateur, projet.personne)


def can_record_presentation(utilisateur: Any, implantation: Implantation) -> bool:
    """La présentation de la SIAE au JAP est organisée et consignée par le SPIP de
    l'implantation (CPIP, DPIP, référent IAE de l'antenne)."""
    return _actif(utilisateur) and any(
        a.fonction in FONCTIONS_JAP and a.structure_id == implantation.spip_id
        for a in utilisateur.affectations_actives
    )


def implantations_spip(utilisateur: Any) -> Any:
    """Les implantations dont l'agent est au SPIP (antenne) avec une fonction qui correspond
    avec le JAP : celles où il consigne la présentation de la SIAE."""
    if not _actif(utilisateur):
        return Implantation.objects.none()
    return Implantation.objects.filter(
        spip_id__in={
            a.structure_id for a in utilisateur.affectations_actives if a.fonction in FONCTIONS_JAP
        }
    )
