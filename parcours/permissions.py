"""Qui peut quoi sur le dossier d'une personne et ses orientations (DESIGN.md §3).

Dossier (``Personne``) :
- le groupe de chaque antenne SPIP de milieu fermé de l'établissement de la personne le voit,
  le modifie et peut prescrire (CPIP, DPIP, référent IAE : seuls membres de ce groupe) ;
- le groupe de la SIAE vers laquelle la personne a une prescription *active* le voit ;
  il le perd quand la prescription prend fin (orientation close).
- un orienteur ne voit pas le dossier : seulement les orientations qu'il a faites.

Orientation :
- le SPIP de milieu fermé de l'établissement la voit et la traite (avis, clôture) ;
- son auteur la voit (et son issue) tant que son compte et une affectation sont actifs ;
- la SIAE prescrite la voit tant que la prescription est active.

Côté SIAE et sortie (issue 5) :
- le CPIP de milieu ouvert qui accepte le passage voit le dossier (droit en nom propre, tant
  que son affectation de CPIP de milieu ouvert est active) ;
- à la sortie, la prescription prend fin : la SIAE perd le dossier, sauf si la personne a
  accepté qu'elle continue l'accompagnement à l'extérieur. Sans accord, la SIAE ne garde que
  la lecture de ses propres traces (entretiens, parcours, livrets : voir leurs ``for_user``),
  conservées pour la durée de rétention.

Pour étendre une règle (CPIP de milieu ouvert après le passage, SIAE qui garde l'accès après
la sortie si la personne l'accepte…) : ajouter une méthode ``_droits_…(objets)`` qui produit des
``acces.Droit`` et l'ajouter à ``sources`` ; si elle accorde des droits à des agents désignés,
compléter ``objets_concernes_par_structure``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet

from charte_iae import acces
from charte_iae.enums import (
    FONCTIONS_ADMIN_SPIP,
    FONCTIONS_ORIENTEURS,
    FONCTIONS_PERMANENTS_SIAE,
    FONCTIONS_SIAE,
    Fonction,
    Milieu,
    TypeStructure,
)
from charte_iae.models import Affectation, Etablissement, Implantation, Structure
from parcours.enums import TYPES_ALERTE_A_PRENDRE_EN_COMPTE, StatutPassage
from parcours.models import (
    Orientation,
    ParcoursIAE,
    PassageMilieuOuvert,
    Personne,
    Prescription,
)

# Les fonctions du SPIP qui prescrivent et donnent l'avis (DESIGN.md §3 : « CPIP … DPIP yes »).
FONCTIONS_PRESCRIPTEURS = frozenset({Fonction.CPIP_MF, Fonction.DPIP, Fonction.REFERENT_IAE})


def _groupes_spip_mf(etablissement_ids: Iterable[int]) -> dict[int, set[int]]:
    """Établissement → groupes de ses antennes SPIP de milieu fermé."""
    groupes: dict[int, set[int]] = defaultdict(set)
    for etablissement_id, groupe_id in Structure.objects.filter(
        type=TypeStructure.SPIP, milieu=Milieu.FERME, etablissement_id__in=set(etablissement_ids)
    ).values_list("etablissement_id", "groupe_id"):
        groupes[etablissement_id].add(groupe_id)
    return groupes


class RegleExtensible(acces.RegleAcces):
    """Une règle dont les droits attendus sont la réunion de plusieurs sources nommées."""

    sources: ClassVar[tuple[str, ...]] = ()

    def droits_attendus(self, objets: Sequence[Any]) -> Iterable[acces.Droit]:
        objets = list(objets)
        for source in self.sources:
            yield from getattr(self, source)(objets)


class ReglePersonne(RegleExtensible):
    modele = Personne
    permissions = ("view_personne", "change_personne", "prescrire_personne")
    sources = (
        "_droits_spip_milieu_ferme",
        "_droits_siae_prescrite",
        "_droits_cpip_milieu_ouvert",
        "_droits_siae_suivi_exterieur",
    )

    def _droits_spip_milieu_ferme(self, personnes: list[Personne]) -> Iterable[acces.Droit]:
        groupes = _groupes_spip_mf(p.etablissement_id for p in personnes)
        for personne in personnes:
            for groupe_id in groupes[personne.etablissement_id]:
                for permission in self.permissions:
                    yield acces.Droit(permission, personne.pk, groupe_id=groupe_id)

    def _droits_siae_prescrite(self, personnes: list[Personne]) -> Iterable[acces.Droit]:
        for personne_id, groupe_id in Prescription.objects.filter(
            personne_id__in=[p.pk for p in personnes], fin_le__isnull=True
        ).values_list("personne_id", "implantation__siae__groupe_id"):
            yield acces.Droit("view_personne", personne_id, groupe_id=groupe_id)

    def _droits_cpip_milieu_ouvert(self, personnes: list[Personne]) -> Iterable[acces.Droit]:
        """Le CPIP de milieu ouvert qui a accepté le passage voit le dossier, tant que son
        compte et une affectation de CPIP de milieu ouvert sont actifs."""
        passages = list(
            PassageMilieuOuvert.objects.filter(
                personne_id__in=[p.pk for p in personnes], statut=StatutPassage.ACCEPTE
            ).values_list("personne_id", "cpip_mo_id")
        )
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
                yield acces.Droit("view_personne", personne_id, utilisateur_id=utilisateur_id)

    def _droits_siae_suivi_exterieur(self, personnes: list[Personne]) -> Iterable[acces.Droit]:
        """Après la sortie, la SIAE garde le dossier seulement si la personne a accepté
        qu'elle continue l'accompagnement à l'extérieur (accord enregistré)."""
        for personne_id, groupe_id in ParcoursIAE.objects.filter(
            personne_id__in=[p.pk for p in personnes],
            date_sortie__isnull=False,
            accord_suivi_exterieur=True,
        ).values_list("personne_id", "implantation__siae__groupe_id"):
            yield acces.Droit("view_personne", personne_id, groupe_id=groupe_id)

    def objets_concernes_par_structure(self, structure: Structure) -> QuerySet[Personne]:
        return Personne.objects.filter(
            passages_mo__statut=StatutPassage.ACCEPTE,
            passages_mo__cpip_mo__affectations__structure=structure,
        ).distinct()


class RegleOrientation(RegleExtensible):
    modele = Orientation
    permissions = ("view_orientation", "change_orientation")
    sources = ("_droits_spip_milieu_ferme", "_droits_auteur", "_droits_siae_prescrite")

    def _droits_spip_milieu_ferme(self, orientations: list[Orientation]) -> Iterable[acces.Droit]:
        etablissement_par_personne = dict(
            Personne.objects.filter(pk__in={o.personne_id for o in orientations}).values_list(
                "pk", "etablissement_id"
            )
        )
        groupes = _groupes_spip_mf(etablissement_par_personne.values())
        for orientation in orientations:
            etablissement_id = etablissement_par_personne[orientation.personne_id]
            for groupe_id in groupes[etablissement_id]:
                yield acces.Droit("view_orientation", orientation.pk, groupe_id=groupe_id)
                yield acces.Droit("change_orientation", orientation.pk, groupe_id=groupe_id)

    def _droits_auteur(self, orientations: list[Orientation]) -> Iterable[acces.Droit]:
        auteurs = {o.signalee_par_id for o in orientations}
        actifs = set(
            Affectation.objects.actives()
            .filter(utilisateur_id__in=auteurs, utilisateur__is_active=True)
            .values_list("utilisateur_id", flat=True)
        )
        for orientation in orientations:
            if orientation.signalee_par_id in actifs:
                yield acces.Droit(
                    "view_orientation", orientation.pk, utilisateur_id=orientation.signalee_par_id
                )

    def _droits_siae_prescrite(self, orientations: list[Orientation]) -> Iterable[acces.Droit]:
        for orientation_id, groupe_id in Prescription.objects.filter(
            orientation_id__in=[o.pk for o in orientations], fin_le__isnull=True
        ).values_list("orientation_id", "implantation__siae__groupe_id"):
            yield acces.Droit("view_orientation", orientation_id, groupe_id=groupe_id)

    def objets_concernes_par_structure(self, structure: Structure) -> QuerySet[Orientation]:
        return Orientation.objects.filter(
            signalee_par__affectations__structure=structure
        ).distinct()


acces.registre.enregistrer(ReglePersonne())
acces.registre.enregistrer(RegleOrientation())


# --- Prédicats -----------------------------------------------------------------------------------


def est_agent_spip_de(utilisateur: Any, etablissement: Etablissement | int) -> bool:
    """Vrai si l'agent, actif, a une affectation active de CPIP de milieu fermé, de DPIP ou de
    référent IAE dans une antenne SPIP de milieu fermé de cet établissement. C'est la règle de la
    charte (« seul le SPIP peut prescrire »), vérifiée sur les affectations elles-mêmes : les
    services l'appliquent quel que soit le point d'entrée (vue, administration, shell, import)."""
    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return False
    etablissement_id = getattr(etablissement, "pk", etablissement)
    return any(
        a.fonction in FONCTIONS_PRESCRIPTEURS
        and a.structure.type == TypeStructure.SPIP
        and a.structure.milieu == Milieu.FERME
        and a.structure.etablissement_id == etablissement_id
        for a in utilisateur.affectations_actives
    )


def can_view_personne(utilisateur: Any, personne: Personne) -> bool:
    """Le SPIP de milieu fermé de l'établissement et la SIAE prescrite voient le dossier."""
    return acces.a_permission(utilisateur, "parcours.view_personne", personne)


def can_edit_personne(utilisateur: Any, personne: Personne) -> bool:
    """Seul le SPIP de milieu fermé de l'établissement tient le dossier (identité, date de
    libération, pièce d'identité, informations, demande de classement, CPU)."""
    return acces.a_permission(
        utilisateur, "parcours.change_personne", personne
    ) and est_agent_spip_de(utilisateur, personne.etablissement_id)


def can_prescribe(utilisateur: Any, personne: Personne) -> bool:
    """Seul un CPIP (ou le DPIP, le référent IAE) du SPIP de l'établissement de la personne
    prescrit un parcours IAE. Jamais la SIAE, jamais un orienteur. (L'éligibilité, elle, est
    vérifiée par le service.)"""
    return acces.a_permission(
        utilisateur, "parcours.prescrire_personne", personne
    ) and est_agent_spip_de(utilisateur, personne.etablissement_id)


def can_view_orientation(utilisateur: Any, orientation: Orientation) -> bool:
    """Le SPIP de l'établissement, l'auteur de l'orientation et la SIAE prescrite la voient."""
    return acces.a_permission(utilisateur, "parcours.view_orientation", orientation)


def can_give_opinion(utilisateur: Any, orientation: Orientation) -> bool:
    """L'avis du SPIP sur une orientation est donné par un CPIP (ou DPIP) du SPIP de
    l'établissement de la personne."""
    return acces.a_permission(
        utilisateur, "parcours.change_orientation", orientation
    ) and est_agent_spip_de(utilisateur, orientation.personne.etablissement_id)


def can_close_orientation(utilisateur: Any, orientation: Orientation) -> bool:
    """Seul le SPIP de l'établissement clôt une orientation (avec son motif)."""
    return can_give_opinion(utilisateur, orientation)


def can_signal(utilisateur: Any, etablissement: Etablissement | int | None = None) -> bool:
    """Tout orienteur (référent travail, formation, enseignement, officier activité, PPAIP,
    psychologue PEP, assistant social…) et tout CPIP de milieu fermé signalent une personne."""
    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return False
    return bool(etablissements_orienteur(utilisateur)) and (
        etablissement is None
        or getattr(etablissement, "pk", etablissement) in etablissements_orienteur(utilisateur)
    )


def etablissements_orienteur(utilisateur: Any) -> set[int]:
    """Les établissements où l'agent peut signaler : ceux de ses affectations d'orienteur
    (structure de l'établissement ou partenaire qui y intervient) ou de CPIP de milieu fermé."""

    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return set()
    return {
        a.structure.etablissement_id
        for a in utilisateur.affectations_actives
        if a.structure.etablissement_id
        and (
            a.fonction in FONCTIONS_ORIENTEURS
            or (a.fonction in FONCTIONS_PRESCRIPTEURS and a.structure.milieu == Milieu.FERME)
        )
    }


def can_manage_cpu(utilisateur: Any, etablissement: Etablissement | int) -> bool:
    """Le SPIP de milieu fermé de l'établissement prépare les CPU et y inscrit les personnes ;
    il enregistre ensuite la décision de classement du chef d'établissement."""
    return est_agent_spip_de(utilisateur, etablissement)


# --- Côté SIAE : entretien, parcours, livret ; passage en milieu ouvert (issue 5) ---------------


def est_agent_siae_de(
    utilisateur: Any, siae_id: int, fonctions: frozenset[str] = FONCTIONS_SIAE
) -> bool:
    """Vrai si l'agent, actif, a une affectation active dans cette SIAE, avec l'une de ces
    fonctions (par défaut : CIP, encadrant technique, direction)."""
    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return False
    return any(
        a.structure_id == siae_id and a.fonction in fonctions
        for a in utilisateur.affectations_actives
    )


def est_cpip_milieu_ouvert(utilisateur: Any) -> bool:
    """Vrai si l'agent, actif, est CPIP dans une antenne SPIP de milieu ouvert."""
    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return False
    return any(
        a.fonction == Fonction.CPIP_MO
        and a.structure.type == TypeStructure.SPIP
        and a.structure.milieu == Milieu.OUVERT
        for a in utilisateur.affectations_actives
    )


def can_interview(utilisateur: Any, prescription: Prescription) -> bool:
    """Les permanents (CIP, ET) et la direction de la SIAE vers laquelle la personne a une
    prescription active mènent l'entretien de recrutement et décident."""
    return prescription.fin_le is None and est_agent_siae_de(
        utilisateur, prescription.implantation.siae_id
    )


def can_manage_parcours(utilisateur: Any, parcours: ParcoursIAE) -> bool:
    """La SIAE du parcours le tient (CEP, suspensions, sortie) tant qu'elle a accès au
    dossier : après une sortie sans accord de la personne, elle ne fait plus que lire."""
    return est_agent_siae_de(utilisateur, parcours.implantation.siae_id) and can_view_personne(
        utilisateur, parcours.personne
    )


def can_write_livret(utilisateur: Any, parcours: ParcoursIAE) -> bool:
    """Le CIP et l'encadrant technique de la SIAE écrivent le livret de compétences (et le
    finalisent), tant que la SIAE a accès au dossier."""
    return est_agent_siae_de(
        utilisateur, parcours.implantation.siae_id, FONCTIONS_PERMANENTS_SIAE
    ) and can_view_personne(utilisateur, parcours.personne)


def can_hand_over(utilisateur: Any, parcours: ParcoursIAE) -> bool:
    """Seul le SPIP de milieu fermé de l'établissement de la personne passe le relais au
    milieu ouvert."""
    return est_agent_spip_de(utilisateur, parcours.personne.etablissement_id)


def can_record_agreement(utilisateur: Any, parcours: ParcoursIAE) -> bool:
    """L'accord (ou le refus) de la personne pour un suivi par la SIAE à l'extérieur est
    recueilli par le CPIP de milieu fermé ou par la SIAE qui tient le parcours."""
    return can_hand_over(utilisateur, parcours) or can_manage_parcours(utilisateur, parcours)


def can_answer_passage(utilisateur: Any, passage: PassageMilieuOuvert) -> bool:
    """Seul le CPIP de milieu ouvert désigné accepte ou renvoie le passage."""
    return passage.cpip_mo_id == getattr(utilisateur, "pk", None) and est_cpip_milieu_ouvert(
        utilisateur
    )


# --- Pilotage (statistiques, tableaux de l'encadrement) -------------------------------------------


def etablissements_pilotes(utilisateur: Any) -> set[int]:
    """Les établissements dont l'agent voit les chiffres de pilotage (jamais de nom) :
    le DPIP et le référent IAE, ceux de leurs antennes SPIP de milieu fermé ; la direction d'une
    SIAE, ceux où elle est implantée ; un administrateur DISP, ceux de sa DISP ; un
    administrateur national, tous."""
    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return set()
    etablissements: set[int] = set()
    structures_siae, disps = [], set()
    for a in utilisateur.affectations_actives:
        s = a.structure
        if a.fonction == Fonction.ADMIN_NATIONAL:
            return set(Etablissement.objects.values_list("pk", flat=True))
        if a.fonction in FONCTIONS_ADMIN_SPIP and s.milieu == Milieu.FERME and s.etablissement_id:
            etablissements.add(s.etablissement_id)
        elif a.fonction == Fonction.DIRECTION_SIAE:
            structures_siae.append(s.pk)
        elif a.fonction == Fonction.ADMIN_DISP and s.disp:
            disps.add(s.disp)
    if structures_siae:
        etablissements |= set(
            Implantation.objects.filter(siae_id__in=structures_siae).values_list(
                "etablissement_id", flat=True
            )
        )
    if disps:
        etablissements |= set(
            Etablissement.objects.filter(disp__in=disps).values_list("pk", flat=True)
        )
    return etablissements


def can_view_statistiques(utilisateur: Any) -> bool:
    """Le DPIP, le référent IAE, la direction de la SIAE et les administrateurs (DISP, national)
    voient les statistiques de pilotage de leurs établissements — agrégées, sans nom."""
    return bool(etablissements_pilotes(utilisateur))


def can_acknowledge_alerte(utilisateur: Any, alerte: Any) -> bool:
    """Une alerte qui ne demande qu'une vérification (changement de date de libération qui
    modifie l'éligibilité) est prise en compte par qui tient le dossier : le SPIP de milieu
    fermé de l'établissement. Les autres se résolvent quand leur cause disparaît."""
    return alerte.type in TYPES_ALERTE_A_PRENDRE_EN_COMPTE and can_edit_personne(
        utilisateur, alerte.personne
    )


FONCTIONS_DROIT_D_ACCES = frozenset({Fonction.DPIP, Fonction.REFERENT_IAE})


def can_export_personne(utilisateur: Any, personne: Personne) -> bool:
    """Répondre à une demande d'accès (tout ce qui est détenu, JAP compris) : le DPIP (ou le
    référent IAE) du SPIP de milieu fermé de l'établissement de la personne, qui voit le dossier."""
    if not can_view_personne(utilisateur, personne):
        return False
    return any(
        a.fonction in FONCTIONS_DROIT_D_ACCES
        and a.structure.type == TypeStructure.SPIP
        and a.structure.milieu == Milieu.FERME
        and a.structure.etablissement_id == personne.etablissement_id
        for a in utilisateur.affectations_actives
    )
