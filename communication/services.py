"""Les cas d'usage de la communication : écrire dans un cahier (et prévenir l'autre équipe),
accuser la lecture, tenir l'annuaire, planifier et compléter une réunion (et prévenir les
participants). Les notifications passent par la seule fonction du noyau, ``notifier`` ;
leurs textes ne contiennent jamais le nom ni la situation d'une personne."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from charte_iae.enums import FONCTIONS_PERMANENTS_SIAE, Fonction, Milieu, TypeStructure
from charte_iae.models import Affectation, Implantation, Structure, Utilisateur
from charte_iae.notifications import notifier
from communication.models import (
    FONCTIONS_CAHIER,
    CahierTransmission,
    DomaineRessource,
    EntreeCahier,
    LectureEntree,
    PersonneRessource,
    Reunion,
)
from communication.permissions import (
    can_edit_reunion,
    can_manage_annuaire,
    can_plan_reunion,
    can_view_cahier,
    can_write_cahier,
    personnes_evoquees_visibles,
)
from parcours.models import Personne, Prescription


class ModificationConcurrente(Exception):
    """Quelqu'un a modifié l'objet entre l'ouverture du formulaire et son envoi."""


# --- Cahier de transmission ----------------------------------------------------------------------


def _siae_prescrites(personne: Personne) -> list[int]:
    return list(
        Prescription.objects.filter(personne=personne, fin_le__isnull=True).values_list(
            "implantation__siae_id", flat=True
        )
    )


def structure_de_l_auteur(*, auteur: Utilisateur, personne: Personne) -> Structure:
    """La structure au nom de laquelle l'agent écrit : l'antenne SPIP de milieu fermé de
    l'établissement de la personne, sinon la SIAE prescrite, sinon sa structure du cahier."""
    affectations = [a for a in auteur.affectations_actives if a.fonction in FONCTIONS_CAHIER]
    for a in affectations:
        if (
            a.structure.type == TypeStructure.SPIP
            and a.structure.milieu == Milieu.FERME
            and a.structure.etablissement_id == personne.etablissement_id
        ):
            return a.structure
    siae = set(_siae_prescrites(personne))
    for a in affectations:
        if a.structure_id in siae:
            return a.structure
    if not affectations:
        raise PermissionDenied("Seuls le SPIP et la SIAE écrivent dans le cahier de transmission.")
    return affectations[0].structure


def _agents(structures: Iterable[int], fonctions: Iterable[str]) -> list[Utilisateur]:
    return list(
        Utilisateur.objects.filter(
            is_active=True,
            pk__in=Affectation.objects.actives()
            .filter(structure_id__in=list(structures), fonction__in=list(fonctions))
            .values("utilisateur_id"),
        )
    )


def destinataires_entree(entree: EntreeCahier) -> list[Utilisateur]:
    """L'autre équipe, parmi ceux qui ont accès au cahier : écrite par la SIAE, l'entrée va au
    CPIP référent (à défaut, aux CPIP de l'antenne) ; écrite par le SPIP, aux permanents (CIP,
    ET) de la SIAE prescrite."""
    personne = entree.cahier.personne
    if entree.structure.type == TypeStructure.SIAE:
        if personne.cpip_referent_id:
            candidats = [personne.cpip_referent]
        else:
            antennes = Structure.objects.spip_milieu_ferme_de(personne.etablissement).values_list(
                "pk", flat=True
            )
            candidats = _agents(antennes, [Fonction.CPIP_MF])
    else:
        candidats = _agents(_siae_prescrites(personne), FONCTIONS_PERMANENTS_SIAE)
    return [
        u
        for u in candidats
        if u is not None and u.pk != entree.auteur_id and can_view_cahier(u, personne)
    ]


@transaction.atomic
def ecrire_entree(
    *,
    auteur: Utilisateur,
    personne: Personne,
    entree: EntreeCahier,
    jeton: uuid.UUID | None = None,
) -> EntreeCahier:
    """Ajoute une entrée au cahier de la personne (créé au premier écrit). Refuse un auteur sans
    accès au cahier et une information personnelle partagée sans que la personne en ait été
    informée (``full_clean``). Un même formulaire envoyé deux fois n'écrit qu'une entrée.
    L'autre équipe est notifiée ; l'auteur a lu son entrée."""
    if not can_write_cahier(auteur, personne):
        raise PermissionDenied("Vous n'avez pas accès au cahier de transmission de cette personne.")
    if jeton is not None:
        deja = EntreeCahier.objects.filter(jeton=jeton, auteur=auteur).first()
        if deja is not None:
            return deja
    cahier, _ = CahierTransmission.objects.get_or_create(personne=personne)
    entree.cahier = cahier
    entree.auteur = auteur
    entree.structure = structure_de_l_auteur(auteur=auteur, personne=personne)
    entree.ecrite_le = timezone.now()
    entree.jeton = jeton
    entree.full_clean()
    entree.save()
    LectureEntree.objects.create(entree=entree, lecteur=auteur, lue_le=entree.ecrite_le)
    texte = (
        "Transmission urgente dans un cahier de suivi."
        if entree.urgente
        else "Nouvelle transmission dans un cahier de suivi."
    )
    notifier(
        destinataires=destinataires_entree(entree),
        texte=texte,
        lien=f"{cahier.get_absolute_url()}#entree-{entree.pk}",
        evenement="cahier.entree",
    )
    return entree


def marquer_lues(*, lecteur: Utilisateur, entrees: Sequence[EntreeCahier]) -> int:
    """Accuse la lecture des entrées affichées à l'agent (une requête ; sans effet sur celles
    déjà lues)."""
    a_marquer = [e for e in entrees if not getattr(e, "lue", False)]
    if not a_marquer:
        return 0
    maintenant = timezone.now()
    LectureEntree.objects.bulk_create(
        [LectureEntree(entree=e, lecteur=lecteur, lue_le=maintenant) for e in a_marquer],
        ignore_conflicts=True,
    )
    return len(a_marquer)


# --- Annuaire --------------------------------------------------------------------------------------


@transaction.atomic
def enregistrer_ressource(
    *, auteur: Utilisateur, ressource: PersonneRessource, domaines: Iterable[str]
) -> PersonneRessource:
    """Crée ou modifie une personne ressource et ses domaines. Seuls les administrateurs
    locaux de l'implantation tiennent l'annuaire."""
    if not can_manage_annuaire(auteur, ressource.implantation):
        raise PermissionDenied(
            "L'annuaire est tenu par le DPIP ou le référent IAE du SPIP et la direction de la SIAE."
        )
    maintenant = timezone.now()
    if ressource.pk is None:
        ressource.creee_par = auteur
        ressource.creee_le = maintenant
    ressource.modifiee_par = auteur
    ressource.modifiee_le = maintenant
    ressource.full_clean()
    ressource.save()
    voulus = set(domaines)
    ressource.domaines.exclude(domaine__in=voulus).delete()
    existants = set(ressource.domaines.values_list("domaine", flat=True))
    DomaineRessource.objects.bulk_create(
        [DomaineRessource(ressource=ressource, domaine=d) for d in sorted(voulus - existants)]
    )
    return ressource


# --- Réunions --------------------------------------------------------------------------------------


def _texte_reunion(reunion: Reunion) -> str:
    return (
        f"Réunion prévue le {timezone.localtime(reunion.debut):%d/%m/%Y à %H:%M} : {reunion.titre}."
    )


@transaction.atomic
def planifier_reunion(
    *,
    auteur: Utilisateur,
    reunion: Reunion,
    participants: Iterable[Utilisateur],
    ressources: Iterable[PersonneRessource],
    personnes: Iterable[Personne],
) -> Reunion:
    """Planifie une réunion de l'implantation et prévient les agents participants."""
    implantation: Implantation = reunion.implantation
    if not can_plan_reunion(auteur, implantation):
        raise PermissionDenied("Seuls les agents du SPIP et de la SIAE organisent les réunions.")
    participants = list(participants)
    _verifier_ressources(implantation, ressources)
    maintenant = timezone.now()
    reunion.creee_par = reunion.modifiee_par = auteur
    reunion.creee_le = reunion.modifiee_le = maintenant
    reunion.full_clean()
    reunion.save()
    reunion.participants.set(participants)
    reunion.ressources.set(list(ressources))
    reunion.personnes.set(list(personnes))
    notifier(
        destinataires=[u for u in participants if u.pk != auteur.pk],
        texte=_texte_reunion(reunion),
        lien=reunion.get_absolute_url(),
        evenement="reunion.planifiee",
    )
    return reunion


def _verifier_ressources(
    implantation: Implantation, ressources: Iterable[PersonneRessource]
) -> None:
    if any(r.implantation_id != implantation.pk for r in ressources):
        raise ValidationError(
            "Choisissez des personnes ressources de l'annuaire de l'implantation."
        )


@transaction.atomic
def modifier_reunion(
    *,
    auteur: Utilisateur,
    reunion: Reunion,
    version: int,
    participants: Iterable[Utilisateur],
    ressources: Iterable[PersonneRessource],
    personnes_choisies: Iterable[Personne],
) -> Reunion:
    """Complète une réunion (ordre du jour, compte rendu, décisions, participants). Refuse
    d'écraser une modification concurrente. Les personnes évoquées que l'auteur ne voit pas
    restent évoquées : il ne peut ni les voir ni les retirer. Les nouveaux participants sont
    prévenus."""
    if not can_edit_reunion(auteur, reunion):
        raise PermissionDenied("Seuls les agents du SPIP et de la SIAE complètent les réunions.")
    modifiees = Reunion.objects.filter(pk=reunion.pk, version=version).update(
        version=version + 1, modifiee_le=timezone.now(), modifiee_par=auteur
    )
    if not modifiees:
        raise ModificationConcurrente(
            "Cette réunion a été modifiée entre-temps : rechargez la page et refaites vos changements."
        )
    reunion.version = version + 1
    reunion.modifiee_par = auteur
    participants = list(participants)
    _verifier_ressources(reunion.implantation, ressources)
    reunion.full_clean()
    reunion.save()
    anciens = set(reunion.participants.values_list("pk", flat=True))
    evoquees = list(reunion.personnes.all())
    visibles = personnes_evoquees_visibles(auteur, evoquees)
    cachees = [p for p in evoquees if p.pk not in visibles]
    reunion.participants.set(participants)
    reunion.ressources.set(list(ressources))
    reunion.personnes.set([*personnes_choisies, *cachees])
    notifier(
        destinataires=[u for u in participants if u.pk not in anciens and u.pk != auteur.pk],
        texte=_texte_reunion(reunion),
        lien=reunion.get_absolute_url(),
        evenement="reunion.planifiee",
    )
    return reunion
