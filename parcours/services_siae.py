"""Les cas d'usage du parcours côté SIAE et à la sortie : entretien de recrutement, parcours
sous CEP, livret de compétences, sortie, accord de la personne et passage en milieu ouvert.

Chaque service vérifie lui-même qui agit (quel que soit le point d'entrée), verrouille la
ligne qui porte l'état, date et attribue l'étape, applique les droits dans la même transaction
et prévient les agents concernés une fois la transaction validée. Une étape impossible lève
``TransitionInterdite`` avec un message en français ; une saisie invalide, ``ValidationError``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from charte_iae import acces
from charte_iae.enums import Fonction, Milieu, TypeStructure
from charte_iae.models import Affectation, Structure, Utilisateur
from charte_iae.notifications import notifier
from parcours import alertes
from parcours.enums import (
    DecisionClassement,
    DecisionEntretien,
    MotifCloture,
    MotifNonRetenu,
    MotifSortie,
    SituationSortie,
    StatutPassage,
)
from parcours.exceptions import TransitionInterdite
from parcours.models import (
    CompetenceLivret,
    ContenuLivret,
    DemarcheEngagee,
    EntretienRecrutement,
    ExamenCPU,
    FormationSuivie,
    LivretCompetences,
    LivretFige,
    ObservationCompetence,
    Orientation,
    ParcoursIAE,
    PassageMilieuOuvert,
    PosteOccupe,
    Prescription,
    RemiseLivret,
    SuspensionParcours,
)
from parcours.permissions import (
    can_answer_passage,
    can_hand_over,
    can_interview,
    can_manage_parcours,
    can_record_agreement,
    can_write_livret,
    est_agent_siae_de,
)

REFUS_SIAE = "Seuls les agents de la SIAE vers laquelle la personne est prescrite peuvent le faire."
REFUS_PARCOURS = (
    "Seule la SIAE qui tient ce parcours, tant qu'elle suit la personne, peut le faire."
)
REFUS_LIVRET = (
    "Seuls le CIP et l'encadrant technique de la SIAE écrivent le livret de compétences, "
    "tant que la SIAE suit la personne."
)
REFUS_PASSAGE = (
    "Seul un CPIP (ou le DPIP, le référent IAE) du SPIP de l'établissement de la personne "
    "passe le relais au milieu ouvert."
)
REFUS_REPONSE = "Seul le CPIP de milieu ouvert désigné répond à ce passage."

# Le motif de clôture de l'orientation quand le parcours prend fin.
_CLOTURE_PAR_SORTIE = {
    MotifSortie.LIBERATION: MotifCloture.LIBERATION,
    MotifSortie.AMENAGEMENT: MotifCloture.LIBERATION,
    MotifSortie.TRANSFERT: MotifCloture.TRANSFERT,
}


def _pas_a_venir(jour: datetime.date, champ: str, quoi: str) -> None:
    if jour > timezone.localdate():
        raise ValidationError({champ: f"{quoi} ne peut être à venir."})


def _cpip_a_prevenir(personne: Any) -> list[Utilisateur]:
    """Le CPIP référent ; à défaut, les CPIP de milieu fermé de l'établissement."""
    if personne.cpip_referent_id and personne.cpip_referent.is_active:
        return [personne.cpip_referent]
    return list(
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(
                fonction=Fonction.CPIP_MF,
                structure__in=Structure.objects.spip_milieu_ferme_de(personne.etablissement),
            ),
        ).distinct()
    )


# --- Entretien de recrutement -------------------------------------------------------------------


def _verifier_decision(decision: str, motif: str, precision: str, jour: datetime.date) -> None:
    if decision not in DecisionEntretien.values:
        raise ValidationError({"decision": "Choisissez la décision."})
    if decision == DecisionEntretien.NON_RETENU:
        if motif not in MotifNonRetenu.values:
            raise ValidationError(
                {"motif_non_retenu": "Indiquez pourquoi la personne n'est pas retenue."}
            )
        if motif == MotifNonRetenu.AUTRE and not precision.strip():
            raise ValidationError({"motif_precision": "Précisez le motif."})
    if decision != DecisionEntretien.EN_ATTENTE and jour > timezone.localdate():
        raise ValidationError(
            {"decision": "Un entretien à venir ne peut pas encore avoir de décision."}
        )


def _prevenir_decision(entretien: EntretienRecrutement) -> None:
    if entretien.decision == DecisionEntretien.EN_ATTENTE:
        return
    texte = (
        "La SIAE a retenu une personne que vous suivez."
        if entretien.decision == DecisionEntretien.RETENU
        else "La SIAE n'a pas retenu une personne que vous suivez : l'orientation est à revoir."
    )
    personne = entretien.personne
    transaction.on_commit(
        lambda: notifier(
            destinataires=_cpip_a_prevenir(personne),
            texte=texte,
            evenement="entretien_decide",
        )
    )


@transaction.atomic
def enregistrer_entretien(
    *,
    prescription: Prescription,
    auteur: Utilisateur,
    date: datetime.date,
    interlocuteurs: Iterable[Utilisateur],
    notes: str = "",
    decision: str = DecisionEntretien.EN_ATTENTE,
    motif_non_retenu: str = "",
    motif_precision: str = "",
) -> EntretienRecrutement:
    """Enregistre l'entretien de recrutement d'une personne prescrite vers la SIAE de l'auteur.

    Règles : la prescription est active et vers la SIAE de l'auteur (CIP, ET, direction) ;
    les interlocuteurs sont des agents de cette SIAE ; l'entretien ne précède pas la
    prescription ; une décision déjà prise (retenu ou non) ferme les entretiens ; un refus a
    un motif codé. Le CPIP référent est prévenu de la décision."""
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if not est_agent_siae_de(auteur, prescription.implantation.siae_id):
        raise PermissionDenied(REFUS_SIAE)
    if not can_interview(auteur, prescription):
        raise TransitionInterdite("Cette prescription a pris fin : plus d'entretien possible.")
    if prescription.entretiens.exclude(decision=DecisionEntretien.EN_ATTENTE).exists():
        raise TransitionInterdite("La SIAE a déjà pris sa décision pour cette prescription.")
    if prescription.entretiens.filter(date=date).exists():
        raise TransitionInterdite("Un entretien est déjà enregistré à cette date.")
    if date < timezone.localdate(prescription.prescrite_le):
        raise ValidationError({"date": "L'entretien ne peut précéder la prescription."})
    interlocuteurs = list(interlocuteurs)
    if not interlocuteurs:
        raise ValidationError({"interlocuteurs": "Indiquez qui a mené l'entretien."})
    if any(not _est_agent_actif_de(u, prescription.implantation.siae_id) for u in interlocuteurs):
        raise ValidationError({"interlocuteurs": "Les interlocuteurs sont des agents de la SIAE."})
    _verifier_decision(decision, motif_non_retenu, motif_precision, date)
    maintenant = timezone.now()
    entretien = EntretienRecrutement(
        personne_id=prescription.personne_id,
        prescription=prescription,
        date=date,
        notes=notes.strip(),
        decision=decision,
        motif_non_retenu=motif_non_retenu if decision == DecisionEntretien.NON_RETENU else "",
        motif_precision=motif_precision.strip(),
        saisi_le=maintenant,
        saisi_par=auteur,
    )
    if decision != DecisionEntretien.EN_ATTENTE:
        entretien.decide_le = maintenant
        entretien.decide_par = auteur
    entretien.full_clean()
    entretien.save()
    entretien.interlocuteurs.set(interlocuteurs)
    alertes.recalculer(personne=entretien.personne)
    _prevenir_decision(entretien)
    return entretien


def _est_agent_actif_de(utilisateur: Utilisateur, siae_id: int) -> bool:
    return (
        utilisateur.is_active
        and Affectation.objects.actives()
        .filter(utilisateur=utilisateur, structure_id=siae_id)
        .exists()
    )


@transaction.atomic
def decider_entretien(
    *,
    entretien: EntretienRecrutement,
    auteur: Utilisateur,
    decision: str,
    motif_non_retenu: str = "",
    motif_precision: str = "",
) -> EntretienRecrutement:
    """Décide après un entretien resté en attente : retenu, ou non retenu avec son motif."""
    prescription = Prescription.objects.select_for_update().get(pk=entretien.prescription_id)
    if not est_agent_siae_de(auteur, prescription.implantation.siae_id):
        raise PermissionDenied(REFUS_SIAE)
    entretien = EntretienRecrutement.objects.get(pk=entretien.pk)
    if entretien.est_decide:
        raise TransitionInterdite("La décision de cet entretien est déjà enregistrée.")
    if not can_interview(auteur, prescription):
        raise TransitionInterdite("Cette prescription a pris fin : plus de décision possible.")
    if prescription.entretiens.exclude(decision=DecisionEntretien.EN_ATTENTE).exists():
        raise TransitionInterdite("La SIAE a déjà pris sa décision pour cette prescription.")
    if decision == DecisionEntretien.EN_ATTENTE:
        raise ValidationError({"decision": "Choisissez : retenu ou non retenu."})
    _verifier_decision(decision, motif_non_retenu, motif_precision, entretien.date)
    entretien.decision = decision
    entretien.motif_non_retenu = (
        motif_non_retenu if decision == DecisionEntretien.NON_RETENU else ""
    )
    entretien.motif_precision = motif_precision.strip()
    entretien.decide_le = timezone.now()
    entretien.decide_par = auteur
    entretien.full_clean()
    entretien.save(
        update_fields=[
            "decision",
            "motif_non_retenu",
            "motif_precision",
            "decide_le",
            "decide_par",
        ]
    )
    alertes.recalculer(personne=entretien.personne)
    _prevenir_decision(entretien)
    return entretien


# --- Parcours -----------------------------------------------------------------------------------


def derniere_decision_classement(personne_id: int) -> str:
    """La dernière décision de classement du chef d'établissement enregistrée ("" si aucune)."""
    return (
        ExamenCPU.objects.filter(personne_id=personne_id, decision_saisie_le__isnull=False)
        .order_by("-decision_saisie_le", "-pk")
        .values_list("decision", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def commencer_parcours(
    *,
    prescription: Prescription,
    auteur: Utilisateur,
    date_debut: datetime.date,
    activite_support: str,
    poste: str,
    heures_hebdomadaires: Decimal,
    cep_signe_le: datetime.date | None = None,
) -> ParcoursIAE:
    """Ouvre le parcours sous CEP de la personne retenue.

    Règles : l'auteur est un agent de la SIAE prescrite ; la prescription est active ; un
    entretien a retenu la personne ; si une décision de classement du chef d'établissement est
    enregistrée, c'est « classé » ; le contrat ne commence pas avant l'entretien ; au plus un
    parcours en cours par personne (verrou + contrainte en base : un double envoi n'en crée
    qu'un)."""
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if not est_agent_siae_de(auteur, prescription.implantation.siae_id):
        raise PermissionDenied(REFUS_SIAE)
    if prescription.fin_le is not None:
        raise TransitionInterdite("Cette prescription a pris fin : pas de parcours possible.")
    if ParcoursIAE.objects.filter(prescription=prescription).exists():
        raise TransitionInterdite("Le parcours de cette prescription est déjà enregistré.")
    entretien = prescription.entretiens.filter(decision=DecisionEntretien.RETENU).first()
    if entretien is None:
        raise TransitionInterdite(
            "Pas de parcours sans entretien de recrutement qui a retenu la personne."
        )
    decision = derniere_decision_classement(prescription.personne_id)
    if decision and decision != DecisionClassement.CLASSE:
        raise TransitionInterdite(
            "Le chef d'établissement n'a pas classé la personne au travail sur le régime de la "
            "SIAE : le parcours ne peut pas commencer."
        )
    if date_debut < entretien.date:
        raise ValidationError({"date_debut": "Le contrat ne peut commencer avant l'entretien."})
    maintenant = timezone.now()
    parcours = ParcoursIAE(
        personne_id=prescription.personne_id,
        prescription=prescription,
        entretien=entretien,
        implantation_id=prescription.implantation_id,
        date_debut=date_debut,
        activite_support=activite_support.strip(),
        poste=poste.strip(),
        heures_hebdomadaires=heures_hebdomadaires,
        cree_le=maintenant,
        cree_par=auteur,
    )
    if cep_signe_le is not None:
        _verifier_signature(parcours, cep_signe_le)
        parcours.cep_signe_le = cep_signe_le
        parcours.cep_saisi_le = maintenant
        parcours.cep_saisi_par = auteur
    parcours.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            parcours.save()
    except IntegrityError:
        raise TransitionInterdite("Cette personne a déjà un parcours IAE en cours.") from None
    alertes.recalculer(personne=parcours.personne)
    return parcours


def _verifier_signature(parcours: ParcoursIAE, signe_le: datetime.date) -> None:
    _pas_a_venir(signe_le, "cep_signe_le", "La signature du CEP")
    if signe_le < parcours.date_debut - datetime.timedelta(days=60):
        raise ValidationError(
            {"cep_signe_le": "Cette date de signature est trop éloignée du début du contrat."}
        )


def _parcours_verrouille(parcours: ParcoursIAE, auteur: Utilisateur) -> ParcoursIAE:
    parcours = (
        ParcoursIAE.objects.select_for_update()
        .select_related("implantation", "personne")
        .get(pk=parcours.pk)
    )
    if not can_manage_parcours(auteur, parcours):
        raise PermissionDenied(REFUS_PARCOURS)
    return parcours


@transaction.atomic
def enregistrer_signature_cep(
    *, parcours: ParcoursIAE, auteur: Utilisateur, signe_le: datetime.date
) -> ParcoursIAE:
    """Enregistre la date de signature du CEP (une fois). Au-delà de 2 jours ouvrés après le
    début, le parcours garde un avertissement (``alerte_cep``)."""
    parcours = _parcours_verrouille(parcours, auteur)
    if parcours.cep_signe_le is not None:
        raise TransitionInterdite("La signature du CEP est déjà enregistrée.")
    _verifier_signature(parcours, signe_le)
    parcours.cep_signe_le = signe_le
    parcours.cep_saisi_le = timezone.now()
    parcours.cep_saisi_par = auteur
    parcours.save(update_fields=["cep_signe_le", "cep_saisi_le", "cep_saisi_par"])
    alertes.recalculer(personne=parcours.personne)
    return parcours


@transaction.atomic
def suspendre_parcours(
    *,
    parcours: ParcoursIAE,
    auteur: Utilisateur,
    debut: datetime.date,
    fin: datetime.date | None,
    motif: str,
    precision: str = "",
) -> SuspensionParcours:
    """Enregistre une suspension (du – au, motif) d'un parcours en cours, sans chevauchement."""
    parcours = _parcours_verrouille(parcours, auteur)
    if not parcours.est_actif:
        raise TransitionInterdite("Ce parcours est terminé : il ne peut plus être suspendu.")
    if debut < parcours.date_debut:
        raise ValidationError({"debut": "La suspension ne peut précéder le début du contrat."})
    if motif == "autre" and not precision.strip():
        raise ValidationError({"precision": "Précisez le motif."})
    for autre in parcours.suspensions.all():
        fin_autre = autre.fin or datetime.date.max
        if debut <= fin_autre and (fin or datetime.date.max) >= autre.debut:
            raise ValidationError("Cette suspension chevauche une suspension déjà enregistrée.")
    suspension = SuspensionParcours(
        parcours=parcours,
        debut=debut,
        fin=fin,
        motif=motif,
        precision=precision.strip(),
        saisie_par=auteur,
    )
    suspension.full_clean()
    suspension.save()
    return suspension


@transaction.atomic
def enregistrer_sortie(
    *,
    parcours: ParcoursIAE,
    auteur: Utilisateur,
    date_sortie: datetime.date,
    motif: str,
    situation: str,
    precision: str = "",
) -> ParcoursIAE:
    """Enregistre la sortie du parcours : date et motif codé. La prescription prend fin et
    l'orientation est close (motif déduit de la sortie) ; les droits sont réappliqués dans la
    même transaction : sans accord de la personne pour un suivi à l'extérieur, la SIAE perd
    le dossier (elle garde la lecture de ses propres traces)."""
    parcours = _parcours_verrouille(parcours, auteur)
    if not parcours.est_actif:
        raise TransitionInterdite("La sortie de ce parcours est déjà enregistrée.")
    if motif not in MotifSortie.values:
        raise ValidationError({"motif_sortie": "Choisissez le motif de sortie."})
    if motif == MotifSortie.AUTRE and not precision.strip():
        raise ValidationError({"sortie_precision": "Précisez le motif de sortie."})
    if situation not in SituationSortie.values:
        raise ValidationError(
            {"situation_sortie": "Choisissez la situation de la personne à la sortie."}
        )
    _pas_a_venir(date_sortie, "date_sortie", "La date de sortie")
    if date_sortie < parcours.date_debut:
        raise ValidationError({"date_sortie": "La sortie ne peut précéder le début du contrat."})
    maintenant = timezone.now()
    parcours.date_sortie = date_sortie
    parcours.motif_sortie = motif
    parcours.sortie_precision = precision.strip()
    parcours.situation_sortie = situation
    parcours.sortie_saisie_le = maintenant
    parcours.sortie_saisie_par = auteur
    parcours.full_clean(validate_constraints=False)
    parcours.save(
        update_fields=[
            "date_sortie",
            "motif_sortie",
            "sortie_precision",
            "situation_sortie",
            "sortie_saisie_le",
            "sortie_saisie_par",
        ]
    )
    parcours.suspensions.filter(fin__isnull=True, debut__lte=date_sortie).update(fin=date_sortie)
    Prescription.objects.filter(pk=parcours.prescription_id, fin_le__isnull=True).update(
        fin_le=maintenant, fin_par=auteur
    )
    orientation = Orientation.objects.select_for_update().get(
        prescription__pk=parcours.prescription_id
    )
    if orientation.cloturee_le is None:
        orientation.cloturee_le = maintenant
        orientation.cloturee_par = auteur
        orientation.motif_cloture = _CLOTURE_PAR_SORTIE.get(motif, MotifCloture.FIN_PARCOURS)
        orientation.cloture_commentaire = "Sortie du parcours IAE."
        orientation.save(
            update_fields=["cloturee_le", "cloturee_par", "motif_cloture", "cloture_commentaire"]
        )
    acces.appliquer([parcours.personne, orientation])
    alertes.recalculer(personne=parcours.personne)
    return parcours


@transaction.atomic
def enregistrer_accord(
    *,
    parcours: ParcoursIAE,
    auteur: Utilisateur,
    accord: bool,
    date: datetime.date,
    modalite: str,
    precision: str = "",
) -> ParcoursIAE:
    """Enregistre l'accord (ou le refus) de la personne pour que la SIAE continue de
    l'accompagner après sa sortie : oui / non, date, comment il a été recueilli. Recueilli par
    le CPIP de milieu fermé ou la SIAE ; enregistré une fois. Les droits suivent aussitôt."""
    parcours = (
        ParcoursIAE.objects.select_for_update()
        .select_related("implantation", "personne")
        .get(pk=parcours.pk)
    )
    if not can_record_agreement(auteur, parcours):
        raise PermissionDenied(
            "Seuls le SPIP de l'établissement et la SIAE qui tient le parcours recueillent "
            "l'accord de la personne."
        )
    if parcours.accord_suivi_exterieur is not None:
        raise TransitionInterdite("La réponse de la personne est déjà enregistrée.")
    _pas_a_venir(date, "accord_date", "La date de l'accord")
    if modalite == "autre" and not precision.strip():
        raise ValidationError({"accord_precision": "Précisez comment l'accord a été recueilli."})
    parcours.accord_suivi_exterieur = accord
    parcours.accord_date = date
    parcours.accord_modalite = modalite
    parcours.accord_precision = precision.strip()
    parcours.accord_saisi_le = timezone.now()
    parcours.accord_saisi_par = auteur
    parcours.full_clean(validate_constraints=False)
    parcours.save(
        update_fields=[
            "accord_suivi_exterieur",
            "accord_date",
            "accord_modalite",
            "accord_precision",
            "accord_saisi_le",
            "accord_saisi_par",
        ]
    )
    acces.appliquer(parcours.personne)
    return parcours


# --- Livret de compétences ----------------------------------------------------------------------


def _exiger_redacteur(parcours: ParcoursIAE, auteur: Utilisateur) -> ParcoursIAE:
    parcours = (
        ParcoursIAE.objects.select_for_update()
        .select_related("implantation", "personne")
        .get(pk=parcours.pk)
    )
    if not can_write_livret(auteur, parcours):
        raise PermissionDenied(REFUS_LIVRET)
    return parcours


def _brouillon(parcours: ParcoursIAE, auteur: Utilisateur) -> LivretCompetences:
    """Le brouillon en cours, créé au premier ajout (version suivante de la dernière)."""
    brouillon = parcours.livrets.filter(finalise_le__isnull=True).first()
    if brouillon is not None:
        return brouillon
    dernier = parcours.livrets.aggregate(n=Max("numero"))["n"] or 0
    brouillon = LivretCompetences(
        parcours=parcours, numero=dernier + 1, cree_par=auteur, modifie_par=auteur
    )
    brouillon.full_clean()
    brouillon.save()
    return brouillon


def _touche(livret: LivretCompetences, auteur: Utilisateur) -> None:
    livret.modifie_le = timezone.now()
    livret.modifie_par = auteur
    livret.save(update_fields=["modifie_le", "modifie_par"])


@transaction.atomic
def ajouter_au_livret(
    *, parcours: ParcoursIAE, auteur: Utilisateur, element: ContenuLivret
) -> ContenuLivret:
    """Ajoute au brouillon du livret une compétence, un poste, une formation ou une démarche
    (préparés par le formulaire, non enregistrés)."""
    if not isinstance(element, CompetenceLivret | PosteOccupe | FormationSuivie | DemarcheEngagee):
        raise TypeError("Élément de livret inconnu.")
    parcours = _exiger_redacteur(parcours, auteur)
    livret = _brouillon(parcours, auteur)
    element.livret = livret  # type: ignore[attr-defined]
    element.full_clean()
    element.save()
    _touche(livret, auteur)
    return element


@transaction.atomic
def observer_competence(
    *,
    competence: CompetenceLivret,
    auteur: Utilisateur,
    date: datetime.date,
    niveau: str,
    texte: str,
) -> ObservationCompetence:
    """Ajoute une observation datée à une compétence du brouillon ; le niveau constaté devient
    le niveau de la compétence."""
    competence = CompetenceLivret.objects.select_related("livret").get(pk=competence.pk)
    parcours = _exiger_redacteur(competence.livret.parcours, auteur)
    livret = LivretCompetences.objects.get(pk=competence.livret_id)
    if livret.est_finalise:
        raise TransitionInterdite(LivretFige.message)
    _pas_a_venir(date, "date", "Une observation")
    if date < parcours.date_debut:
        raise ValidationError({"date": "L'observation ne peut précéder le début du parcours."})
    observation = ObservationCompetence(
        competence=competence, date=date, niveau=niveau, texte=texte.strip(), auteur=auteur
    )
    observation.full_clean()
    observation.save()
    competence.niveau = niveau
    competence.save(update_fields=["niveau"])
    _touche(livret, auteur)
    return observation


@transaction.atomic
def retirer_du_livret(*, element: ContenuLivret, auteur: Utilisateur) -> None:
    """Retire une ligne du brouillon (jamais d'une version finalisée)."""
    livret = LivretCompetences.objects.select_related("parcours").get(
        pk=element.livret_id  # type: ignore[attr-defined]
    )
    _exiger_redacteur(livret.parcours, auteur)
    if livret.est_finalise:
        raise TransitionInterdite(LivretFige.message)
    element.delete()
    _touche(livret, auteur)


@transaction.atomic
def modifier_projet(
    *, parcours: ParcoursIAE, auteur: Utilisateur, objectifs: str, projet_professionnel: str
) -> LivretCompetences:
    """Enregistre les objectifs et le projet professionnel dans le brouillon."""
    parcours = _exiger_redacteur(parcours, auteur)
    livret = _brouillon(parcours, auteur)
    livret.objectifs = objectifs.strip()
    livret.projet_professionnel = projet_professionnel.strip()
    livret.modifie_le = timezone.now()
    livret.modifie_par = auteur
    livret.full_clean()
    livret.save()
    return livret


@transaction.atomic
def finaliser_livret(*, livret: LivretCompetences, auteur: Utilisateur) -> LivretCompetences:
    """Finalise le brouillon : la version est figée (toute correction fera une nouvelle
    version). Il faut au moins une compétence et le projet. Le CPIP référent est prévenu."""
    livret = LivretCompetences.objects.select_for_update().get(pk=livret.pk)
    parcours = _exiger_redacteur(livret.parcours, auteur)
    if livret.est_finalise:
        raise TransitionInterdite("Cette version du livret est déjà finalisée.")
    if not livret.competences.exists():
        raise TransitionInterdite("Ajoutez au moins une compétence avant de finaliser le livret.")
    if not livret.projet_professionnel:
        raise TransitionInterdite(
            "Renseignez le projet professionnel avant de finaliser le livret."
        )
    livret.finalise_le = timezone.now()
    livret.finalise_par = auteur
    livret.save(update_fields=["finalise_le", "finalise_par"])
    personne = parcours.personne
    alertes.recalculer(personne=personne)
    lien = parcours.get_absolute_url()
    transaction.on_commit(
        lambda: notifier(
            destinataires=_cpip_a_prevenir(personne),
            texte="Un livret de compétences a été finalisé par la SIAE.",
            lien=lien,
            evenement="livret_finalise",
        )
    )
    return livret


@transaction.atomic
def corriger_livret(*, livret: LivretCompetences, auteur: Utilisateur) -> LivretCompetences:
    """Ouvre une nouvelle version (brouillon) recopiée d'une version finalisée, pour la
    corriger ; la version finalisée reste telle quelle."""
    livret = LivretCompetences.objects.get(pk=livret.pk)
    parcours = _exiger_redacteur(livret.parcours, auteur)
    if not livret.est_finalise:
        raise TransitionInterdite("Ce brouillon se modifie directement.")
    if parcours.livrets.filter(finalise_le__isnull=True).exists():
        raise TransitionInterdite("Un brouillon du livret est déjà en cours : complétez-le.")
    dernier = parcours.livrets.aggregate(n=Max("numero"))["n"]
    nouveau = LivretCompetences.objects.create(
        parcours=parcours,
        numero=dernier + 1,
        objectifs=livret.objectifs,
        projet_professionnel=livret.projet_professionnel,
        cree_par=auteur,
        modifie_par=auteur,
    )
    for competence in livret.competences.prefetch_related("observations"):
        copie = CompetenceLivret.objects.create(
            livret=nouveau,
            categorie=competence.categorie,
            intitule=competence.intitule,
            niveau=competence.niveau,
        )
        ObservationCompetence.objects.bulk_create(
            ObservationCompetence(
                competence=copie, date=o.date, niveau=o.niveau, texte=o.texte, auteur_id=o.auteur_id
            )
            for o in competence.observations.all()
        )
    PosteOccupe.objects.bulk_create(
        PosteOccupe(livret=nouveau, intitule=p.intitule, debut=p.debut, fin=p.fin)
        for p in livret.postes.all()
    )
    FormationSuivie.objects.bulk_create(
        FormationSuivie(
            livret=nouveau,
            intitule=f.intitule,
            organisme=f.organisme,
            date=f.date,
            certification=f.certification,
        )
        for f in livret.formations.all()
    )
    DemarcheEngagee.objects.bulk_create(
        DemarcheEngagee(livret=nouveau, date=d.date, intitule=d.intitule, partenaire=d.partenaire)
        for d in livret.demarches.all()
    )
    return nouveau


@transaction.atomic
def enregistrer_remise(
    *, livret: LivretCompetences, auteur: Utilisateur, destinataire: str, date: datetime.date
) -> RemiseLivret:
    """Enregistre la remise d'une version finalisée au SPIP ou à la personne (une fois chacun).
    La SIAE l'enregistre ; le SPIP de l'établissement peut aussi noter qu'il l'a reçu."""
    livret = LivretCompetences.objects.select_for_update().get(pk=livret.pk)
    parcours = ParcoursIAE.objects.select_related("implantation", "personne").get(
        pk=livret.parcours_id
    )
    if not (can_write_livret(auteur, parcours) or can_hand_over(auteur, parcours)):
        raise PermissionDenied(
            "Seuls la SIAE qui écrit le livret et le SPIP de l'établissement enregistrent sa remise."
        )
    if not livret.est_finalise:
        raise TransitionInterdite("Seule une version finalisée du livret peut être remise.")
    if livret.remises.filter(destinataire=destinataire).exists():
        raise TransitionInterdite("Cette remise est déjà enregistrée.")
    _pas_a_venir(date, "date", "La date de remise")
    if date < timezone.localdate(livret.finalise_le):
        raise ValidationError({"date": "Le livret ne peut être remis avant d'être finalisé."})
    remise = RemiseLivret(livret=livret, destinataire=destinataire, date=date, saisie_par=auteur)
    remise.full_clean()
    remise.save()
    return remise


# --- Passage en milieu ouvert -------------------------------------------------------------------


def cpip_milieu_ouvert_disponibles(etablissement: Any = None) -> QuerySet[Utilisateur]:
    """Les agents actifs ayant une affectation active de CPIP dans une antenne SPIP de milieu
    ouvert (de la même DISP que l'établissement si elle est renseignée sur l'antenne)."""
    antennes = Structure.objects.filter(type=TypeStructure.SPIP, milieu=Milieu.OUVERT)
    if etablissement is not None and etablissement.disp:
        antennes = antennes.filter(disp__in=[etablissement.disp, ""])
    return (
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(
                fonction=Fonction.CPIP_MO, structure__in=antennes
            ),
        )
        .distinct()
        .order_by("nom", "prenom")
    )


@transaction.atomic
def confier_au_milieu_ouvert(
    *, parcours: ParcoursIAE, auteur: Utilisateur, cpip_mo: Utilisateur, projet: str
) -> PassageMilieuOuvert:
    """Le CPIP de milieu fermé confie le parcours, le projet et le dernier livret finalisé à un
    CPIP de milieu ouvert désigné, qui est prévenu.

    Règles : l'auteur est du SPIP de l'établissement ; la sortie du parcours est enregistrée
    (pas de passage avant une date de sortie) ; le destinataire est CPIP de milieu ouvert ;
    un seul passage en attente ou accepté par parcours."""
    parcours = (
        ParcoursIAE.objects.select_for_update()
        .select_related("personne", "implantation")
        .get(pk=parcours.pk)
    )
    if not can_hand_over(auteur, parcours):
        raise PermissionDenied(REFUS_PASSAGE)
    if parcours.date_sortie is None:
        raise TransitionInterdite(
            "Enregistrez d'abord la sortie du parcours : pas de passage en milieu ouvert "
            "avant une date de sortie."
        )
    if parcours.passages.ouverts().exists():
        raise TransitionInterdite("Ce parcours est déjà confié au milieu ouvert.")
    if not cpip_milieu_ouvert_disponibles().filter(pk=cpip_mo.pk).exists():
        raise ValidationError(
            {"cpip_mo": "Choisissez un CPIP en poste dans une antenne de milieu ouvert."}
        )
    if not projet.strip():
        raise ValidationError({"projet": "Décrivez le projet et ce que vous transmettez."})
    passage = PassageMilieuOuvert(
        personne=parcours.personne,
        parcours=parcours,
        livret=parcours.livrets.finalises().order_by("-numero").first(),
        projet=projet.strip(),
        cpip_mo=cpip_mo,
        designe_le=timezone.now(),
        designe_par=auteur,
    )
    passage.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            passage.save()
    except IntegrityError:
        raise TransitionInterdite("Ce parcours est déjà confié au milieu ouvert.") from None
    alertes.recalculer(personne=parcours.personne)
    lien = passage.get_absolute_url()
    transaction.on_commit(
        lambda: notifier(
            destinataires=[cpip_mo],
            texte="Un passage en milieu ouvert vous attend.",
            lien=lien,
            evenement="passage_milieu_ouvert",
        )
    )
    return passage


def _passage_en_attente(passage: PassageMilieuOuvert, auteur: Utilisateur) -> PassageMilieuOuvert:
    passage = (
        PassageMilieuOuvert.objects.select_for_update()
        .select_related("personne")
        .get(pk=passage.pk)
    )
    if not can_answer_passage(auteur, passage):
        raise PermissionDenied(REFUS_REPONSE)
    if passage.statut != StatutPassage.EN_ATTENTE:
        raise TransitionInterdite("Ce passage a déjà reçu une réponse.")
    return passage


@transaction.atomic
def accepter_passage(*, passage: PassageMilieuOuvert, auteur: Utilisateur) -> PassageMilieuOuvert:
    """Le CPIP de milieu ouvert désigné accepte : il accède au dossier dès maintenant."""
    passage = _passage_en_attente(passage, auteur)
    passage.statut = StatutPassage.ACCEPTE
    passage.repondu_le = timezone.now()
    passage.repondu_par = auteur
    passage.save(update_fields=["statut", "repondu_le", "repondu_par"])
    acces.appliquer(passage.personne)
    alertes.recalculer(personne=passage.personne)
    return passage


@transaction.atomic
def renvoyer_passage(
    *, passage: PassageMilieuOuvert, auteur: Utilisateur, motif: str
) -> PassageMilieuOuvert:
    """Le CPIP de milieu ouvert désigné renvoie le passage, avec son motif ; le CPIP qui l'a
    confié est prévenu et peut en désigner un autre."""
    passage = _passage_en_attente(passage, auteur)
    if not motif.strip():
        raise ValidationError({"motif_renvoi": "Indiquez pourquoi vous renvoyez ce passage."})
    passage.statut = StatutPassage.RENVOYE
    passage.repondu_le = timezone.now()
    passage.repondu_par = auteur
    passage.motif_renvoi = motif.strip()
    passage.save(update_fields=["statut", "repondu_le", "repondu_par", "motif_renvoi"])
    alertes.recalculer(personne=passage.personne)
    designe_par, lien = passage.designe_par, passage.get_absolute_url()
    transaction.on_commit(
        lambda: notifier(
            destinataires=[designe_par],
            texte="Un passage en milieu ouvert vous a été renvoyé.",
            lien=lien,
            evenement="passage_renvoye",
        )
    )
    return passage
