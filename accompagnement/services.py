"""Les cas d'usage de l'accompagnement. Chaque service vérifie lui-même la règle (quel que
soit le point d'entrée : vue, administration, shell, import), valide avant d'enregistrer et
prévient dans ``on_commit`` — les notifications ne portent ni nom ni situation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accompagnement import chefs_de_file
from accompagnement.enums import Cote, StatutProjetAmenagement, TypeAmenagement
from accompagnement.models import (
    ActionAccompagnement,
    ElementAmenagement,
    LiaisonJAP,
    PresentationJAP,
    ProjetAmenagement,
    SituationDomaine,
)
from accompagnement.permissions import (
    can_access_jap,
    can_add_action,
    can_contribute_amenagement,
    can_edit_action,
    can_manage_amenagement,
    can_record_presentation,
    cote_de,
)
from charte_iae import acces
from charte_iae.enums import FONCTIONS_ADMIN_SPIP, FONCTIONS_PERMANENTS_SIAE
from charte_iae.models import Affectation, Implantation, Structure, Utilisateur
from charte_iae.notifications import notifier
from communication.models import PersonneRessource
from parcours.models import Personne


class ActionInterdite(PermissionDenied):
    """Une action refusée par la règle ; la vue la rend en 403 avec son message français."""


# --- Destinataires ------------------------------------------------------------------------------


def _cpip_referent_ou_encadrement(personne: Personne) -> list[Utilisateur]:
    """Le CPIP référent ; à défaut, l'encadrement (DPIP, référent IAE) de l'antenne de milieu
    fermé, pour que l'information ne se perde pas."""
    if personne.cpip_referent_id:
        return [personne.cpip_referent]
    return list(
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(
                fonction__in=FONCTIONS_ADMIN_SPIP,
                structure__in=Structure.objects.spip_milieu_ferme_de(personne.etablissement),
            ),
        ).distinct()
    )


def _permanents_siae(implantation: Implantation) -> list[Utilisateur]:
    return list(
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(
                fonction__in=FONCTIONS_PERMANENTS_SIAE, structure_id=implantation.siae_id
            ),
        ).distinct()
    )


def _domaines_permis(personne: Personne) -> set[str]:
    return {d.code for d in chefs_de_file.domaines(chefs_de_file.implantation_de(personne))}


def _cote_requis(auteur: Utilisateur, personne: Personne) -> Cote:
    cote = cote_de(auteur, personne)
    if cote is None or not can_add_action(auteur, personne):
        raise ActionInterdite(
            "Seuls le SPIP de l'établissement et les permanents de la SIAE prescrite "
            "enregistrent l'accompagnement de cette personne."
        )
    return cote


# --- Actions et domaines ----------------------------------------------------------------------


@transaction.atomic
def enregistrer_action(
    *,
    auteur: Utilisateur,
    personne: Personne,
    domaine: str,
    type: str,
    date: datetime.date,
    statut: str,
    partenaire: str = "",
    personne_ressource: PersonneRessource | None = None,
    resultat: str = "",
) -> ActionAccompagnement:
    """Enregistre une action dans un domaine de la charte. Prévient le chef de file du
    domaine (charte en vigueur) si l'auteur n'en est pas ; un contact noué par la SIAE avec
    un partenaire prévient le CPIP référent (« il en informe le CPIP »). Le partenaire vient
    de l'annuaire de l'implantation de la personne, ou est saisi en texte libre."""
    cote = _cote_requis(auteur, personne)
    implantation = chefs_de_file.implantation_de(personne)
    if domaine not in {d.code for d in chefs_de_file.domaines(implantation)}:
        raise ValidationError({"domaine": "Choisissez un domaine de la charte."})
    if personne_ressource is not None:
        if implantation is None or personne_ressource.implantation_id != implantation.pk:
            raise ValidationError(
                {"personne_ressource": "Ce contact n'est pas dans l'annuaire de l'implantation."}
            )
        partenaire = partenaire.strip() or (
            f"{personne_ressource.organisation} — {personne_ressource.nom}"
        )
    action = ActionAccompagnement(
        personne=personne,
        domaine=domaine,
        type=type,
        date=date,
        agent=auteur,
        cote=cote,
        statut=statut,
        partenaire=partenaire.strip()[:200],
        personne_ressource=personne_ressource,
        resultat=resultat,
    )
    action.full_clean()
    action.save()

    lien = reverse("accompagnement:suivi", args=[personne.pk])
    informes: set[int] = set()
    if cote == Cote.SIAE and action.est_contact_partenaire:
        cpip = _cpip_referent_ou_encadrement(personne)
        informes |= {u.pk for u in cpip}
        transaction.on_commit(
            lambda: notifier(
                destinataires=cpip,
                texte="La SIAE a noué un contact avec un partenaire pour une personne que vous suivez.",
                lien=reverse("accompagnement:contacts_partenaires"),
                evenement="contact_partenaire_siae",
            )
        )
    chef = chefs_de_file.chef_de_file(implantation, domaine)
    if chef is not None and implantation is not None and not chef.mene(cote):
        destinataires: list[Utilisateur] = []
        if chef.mene(Cote.SPIP):
            destinataires += _cpip_referent_ou_encadrement(personne)
        if chef.mene(Cote.SIAE):
            destinataires += _permanents_siae(implantation)
        destinataires = [u for u in destinataires if u.pk not in informes and u.pk != auteur.pk]
        if destinataires:
            transaction.on_commit(
                lambda: notifier(
                    destinataires=destinataires,
                    texte="Une action d'accompagnement a été enregistrée dans un domaine "
                    "dont vous êtes chef de file.",
                    lien=lien,
                    evenement="action_domaine_chef_de_file",
                )
            )
    return action


@transaction.atomic
def mettre_a_jour_action(
    *, auteur: Utilisateur, action: ActionAccompagnement, statut: str, resultat: str
) -> ActionAccompagnement:
    """Met à jour le statut et le résultat d'une action, par son côté seulement."""
    action = ActionAccompagnement.objects.select_for_update().get(pk=action.pk)
    if not can_edit_action(auteur, action):
        raise ActionInterdite("Seul le côté qui a enregistré l'action la met à jour.")
    action.statut = statut
    action.resultat = resultat
    action.modifiee_le = timezone.now()
    action.modifiee_par = auteur
    action.full_clean()
    action.save(update_fields=["statut", "resultat", "modifiee_le", "modifiee_par"])
    return action


@transaction.atomic
def definir_situation_domaine(
    *, auteur: Utilisateur, personne: Personne, domaine: str, statut: str, commentaire: str = ""
) -> SituationDomaine:
    """Note, pour un domaine, le besoin identifié, l'absence de besoin ou le refus de la
    personne (une situation par domaine, remplacée à chaque décision, datée et attribuée)."""
    _cote_requis(auteur, personne)
    if domaine not in _domaines_permis(personne):
        raise ValidationError({"domaine": "Choisissez un domaine de la charte."})
    situation = (
        SituationDomaine.objects.select_for_update()
        .filter(personne=personne, domaine=domaine)
        .first()
    ) or SituationDomaine(personne=personne, domaine=domaine)
    situation.statut = statut
    situation.commentaire = commentaire
    situation.modifiee_le = timezone.now()
    situation.modifiee_par = auteur
    situation.full_clean()
    situation.save()
    return situation


# --- Aménagement de peine ---------------------------------------------------------------------


def _spip_requis(auteur: Utilisateur, personne: Personne) -> None:
    if not can_access_jap(auteur, personne):
        raise ActionInterdite(
            "Seul le SPIP, interlocuteur unique du juge de l'application des peines, "
            "mène cette démarche."
        )


@transaction.atomic
def creer_projet_amenagement(
    *,
    auteur: Utilisateur,
    personne: Personne,
    type: TypeAmenagement | str,
    date_cible: datetime.date | None = None,
) -> ProjetAmenagement:
    """Le CPIP ouvre le suivi d'un projet d'aménagement de peine."""
    if not can_manage_amenagement(auteur, personne):
        raise ActionInterdite("Le projet d'aménagement de peine est suivi par le SPIP.")
    projet = ProjetAmenagement(
        personne=personne, type=type, date_cible=date_cible, cree_par=auteur, modifie_par=auteur
    )
    projet.full_clean()
    projet.save()
    return projet


@transaction.atomic
def modifier_projet_amenagement(
    *,
    auteur: Utilisateur,
    projet: ProjetAmenagement,
    statut: StatutProjetAmenagement | str,
    date_cible: datetime.date | None,
) -> ProjetAmenagement:
    """Le CPIP fait avancer le projet (statut, date visée)."""
    projet = ProjetAmenagement.objects.select_for_update().get(pk=projet.pk)
    _spip_requis(auteur, projet.personne)
    projet.statut = statut
    projet.date_cible = date_cible
    projet.modifie_le = timezone.now()
    projet.modifie_par = auteur
    projet.full_clean()
    projet.save(update_fields=["statut", "date_cible", "modifie_le", "modifie_par"])
    return projet


@transaction.atomic
def apporter_element(
    *, auteur: Utilisateur, projet: ProjetAmenagement, type: str, contenu: str
) -> ElementAmenagement:
    """Un permanent de la SIAE (ou le SPIP) apporte un élément au projet ; le CPIP référent
    en est prévenu quand il vient de la SIAE."""
    if not can_contribute_amenagement(auteur, projet):
        raise ActionInterdite(
            "Seuls le SPIP et les permanents de la SIAE prescrite apportent des éléments."
        )
    cote = cote_de(auteur, projet.personne)
    element = ElementAmenagement(
        projet=projet, type=type, contenu=contenu, auteur=auteur, cote=str(cote)
    )
    element.full_clean()
    element.save()
    if cote == Cote.SIAE:
        cpip = _cpip_referent_ou_encadrement(projet.personne)
        transaction.on_commit(
            lambda: notifier(
                destinataires=cpip,
                texte="La SIAE a apporté un élément à un projet d'aménagement de peine.",
                lien=projet.get_absolute_url(),
                evenement="element_amenagement_siae",
            )
        )
    return element


# --- Liaison avec le JAP ----------------------------------------------------------------------


@transaction.atomic
def enregistrer_liaison_jap(
    *,
    auteur: Utilisateur,
    personne: Personne,
    type: str,
    date: datetime.date,
    contenu: str,
    projet: ProjetAmenagement | None = None,
    elements: Iterable[ElementAmenagement] = (),
) -> LiaisonJAP:
    """Consigne un échange avec le JAP. Refusé à tout auteur qui n'est pas du SPIP de la
    personne, d'où qu'il vienne. Les éléments joints viennent des projets de la même
    personne. Les droits de lecture sont posés dans la même transaction."""
    _spip_requis(auteur, personne)
    elements = list(elements)
    if projet is not None and projet.personne_id != personne.pk:
        raise ValidationError({"projet": "Ce projet ne concerne pas cette personne."})
    if any(e.projet.personne_id != personne.pk for e in elements):
        raise ValidationError({"elements": "Un élément joint ne concerne pas cette personne."})
    liaison = LiaisonJAP(
        personne=personne, type=type, date=date, contenu=contenu, projet=projet, auteur=auteur
    )
    liaison.full_clean()
    liaison.save()
    if elements:
        liaison.elements.set(elements)
    acces.appliquer(liaison)
    return liaison


@transaction.atomic
def enregistrer_presentation_jap(
    *,
    auteur: Utilisateur,
    implantation: Implantation,
    date: datetime.date,
    participants: str,
    notes: str = "",
) -> PresentationJAP:
    """Consigne la présentation institutionnelle de la SIAE au JAP (par le SPIP)."""
    if not can_record_presentation(auteur, implantation):
        raise ActionInterdite("La présentation de la SIAE au JAP est consignée par le SPIP.")
    presentation = PresentationJAP(
        implantation=implantation,
        date=date,
        participants=participants,
        notes=notes,
        creee_par=auteur,
    )
    presentation.full_clean()
    presentation.save()
    return presentation
