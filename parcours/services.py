"""Les cas d'usage du parcours côté SPIP : dossier, information, orientation, avis, prescription,
demande de classement et CPU. Chaque service vérifie lui-même qui agit (quel que soit le point
d'entrée : vue, administration, shell, import), date et attribue l'étape, applique les droits
dans la même transaction, et prévient les agents concernés après validation."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Collection, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from charte_iae import acces, charte
from charte_iae.enums import FONCTIONS_SIAE, Fonction
from charte_iae.models import Affectation, Etablissement, Implantation, Structure, Utilisateur
from charte_iae.notifications import notifier
from parcours import alertes, eligibilite
from parcours.enums import (
    AvisCPU,
    AvisSpip,
    DecisionClassement,
    MotifAvis,
    MotifCloture,
    StatutDemandeClassement,
    StatutPenal,
)
from parcours.exceptions import ModificationConcurrente, TransitionInterdite
from parcours.models import (
    DemandeClassement,
    ExamenCPU,
    HistoriqueDateLiberation,
    InformationIAE,
    Orientation,
    Personne,
    Prescription,
    SessionCPU,
)
from parcours.permissions import can_signal, est_agent_spip_de

REFUS_SPIP = (
    "Seul un CPIP (ou le DPIP, le référent IAE) du SPIP de l'établissement de la personne "
    "peut faire cette démarche."
)
REFUS_PRESCRIPTION = (
    "Seul un CPIP (ou le DPIP, le référent IAE) du SPIP de l'établissement de la personne "
    "peut prescrire un parcours IAE."
)


def _exiger_spip(auteur: Any, etablissement_id: int, message: str = REFUS_SPIP) -> None:
    if not est_agent_spip_de(auteur, etablissement_id):
        raise PermissionDenied(message)


def _verrouiller(personne: Personne) -> Personne:
    return Personne.objects.select_for_update().get(pk=personne.pk)


# --- Dossier ------------------------------------------------------------------------------------


def _normaliser(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.lower().replace("-", " ").split())


def doublons_possibles(
    *,
    nom: str,
    prenom: str,
    date_naissance: datetime.date | None,
    numero_ecrou: str,
    etablissement: Etablissement,
    exclure_pk: int | None = None,
) -> list[Personne]:
    """Les dossiers du même établissement qui pourraient être la même personne : même numéro
    d'écrou, ou même nom, prénom et date de naissance (sans tenir compte des accents et de la
    casse). Au plus 5."""
    candidats = Personne.objects.filter(etablissement=etablissement)
    if exclure_pk:
        candidats = candidats.exclude(pk=exclure_pk)
    par_ecrou = list(candidats.filter(numero_ecrou__iexact=numero_ecrou.strip())[:5])
    par_identite = []
    if date_naissance:
        cible = (_normaliser(nom), _normaliser(prenom))
        par_identite = [
            p
            for p in candidats.filter(date_naissance=date_naissance)[:50]
            if (_normaliser(p.nom), _normaliser(p.prenom)) == cible
        ]
    vus: dict[int, Personne] = {p.pk: p for p in par_ecrou + par_identite}
    return list(vus.values())[:5]


@transaction.atomic
def creer_personne(*, personne: Personne, auteur: Utilisateur) -> Personne:
    """Crée le dossier (une personne non encore enregistrée, préparée par le formulaire).
    Seul le SPIP de milieu fermé de l'établissement crée un dossier complet ; la date de
    libération prévisible saisie entre dans l'historique ; les droits suivent."""
    _exiger_spip(auteur, personne.etablissement_id)
    maintenant = timezone.now()
    personne.creee_par = auteur
    personne.creee_le = personne.modifiee_le = maintenant
    if personne.date_liberation_previsible:
        personne.date_liberation_saisie_le = maintenant
        personne.date_liberation_saisie_par = auteur
    personne.full_clean()
    personne.save()
    if personne.date_liberation_previsible:
        _historiser_date(personne, auteur, maintenant)
    acces.appliquer(personne)
    alertes.recalculer(personne=personne)
    return personne


def _historiser_date(personne: Personne, auteur: Utilisateur, quand: datetime.datetime) -> None:
    entree = HistoriqueDateLiberation(
        personne=personne,
        date_liberation_previsible=personne.date_liberation_previsible,
        source=personne.date_liberation_source,
        saisie_le=quand,
        saisie_par=auteur,
    )
    entree.full_clean()
    entree.save()


CHAMPS_MODIFIABLES = (
    "nom",
    "prenom",
    "date_naissance",
    "numero_ecrou",
    "statut_penal",
    "date_liberation_previsible",
    "date_liberation_source",
    "piece_identite_type",
    "piece_identite_expiration",
    "cpip_referent",
)


@transaction.atomic
def modifier_personne(*, personne: Personne, auteur: Utilisateur, version_lue: int) -> Personne:
    """Enregistre les modifications du dossier (instance modifiée par le formulaire).

    Refuse d'écraser une modification faite entre-temps (``version_lue``). Un changement de
    date de libération prévisible ou de sa source entre dans l'historique, daté et attribué ;
    un changement de statut pénal annule la confirmation d'une condamnation."""
    _exiger_spip(auteur, personne.etablissement_id)
    actuelle = _verrouiller(personne)
    if actuelle.version != version_lue:
        raise ModificationConcurrente(
            "Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert : "
            "rechargez la page pour voir la version à jour, puis refaites vos changements."
        )
    maintenant = timezone.now()
    date_changee = (
        actuelle.date_liberation_previsible != personne.date_liberation_previsible
        or actuelle.date_liberation_source != personne.date_liberation_source
    )
    if date_changee:
        personne.date_liberation_saisie_le = maintenant
        personne.date_liberation_saisie_par = auteur
    if actuelle.statut_penal != personne.statut_penal:
        personne.condamnation_confirmee_le = None
        personne.condamnation_confirmee_par = None
    personne.etablissement_id = actuelle.etablissement_id
    personne.version = actuelle.version + 1
    personne.modifiee_le = maintenant
    personne.full_clean()
    personne.save()
    if date_changee:
        _historiser_date(personne, auteur, maintenant)
    alertes.recalculer(personne=personne)
    return personne


@transaction.atomic
def confirmer_condamnation(*, personne: Personne, auteur: Utilisateur) -> Personne:
    """Pour un statut mixte : le CPIP confirme qu'une condamnation est à exécuter ; le critère
    « personne condamnée » devient satisfait."""
    _exiger_spip(auteur, personne.etablissement_id)
    personne = _verrouiller(personne)
    if personne.statut_penal != StatutPenal.MIXTE:
        raise TransitionInterdite("Seul un statut pénal mixte demande une confirmation.")
    if personne.condamnation_confirmee_le is not None:
        raise TransitionInterdite("La condamnation a déjà été confirmée.")
    personne.condamnation_confirmee_le = timezone.now()
    personne.condamnation_confirmee_par = auteur
    personne.version += 1
    personne.save(
        update_fields=["condamnation_confirmee_le", "condamnation_confirmee_par", "version"]
    )
    alertes.recalculer(personne=personne)
    return personne


@transaction.atomic
def enregistrer_information(
    *,
    personne: Personne,
    auteur: Utilisateur,
    date: datetime.date,
    canal: str,
    commentaire: str = "",
) -> InformationIAE:
    """Trace une information sur l'IAE donnée à la personne (entretien arrivant, PEP…)."""
    _exiger_spip(auteur, personne.etablissement_id)
    information = InformationIAE(
        personne=personne, date=date, canal=canal, commentaire=commentaire, donnee_par=auteur
    )
    information.full_clean()
    information.save()
    return information


# --- Orientation et avis ------------------------------------------------------------------------


def _cpip_a_prevenir(personne: Personne) -> list[Utilisateur]:
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


@transaction.atomic
def signaler(
    *,
    personne: Personne,
    auteur: Utilisateur,
    motif: str,
    signalee_le: datetime.date,
) -> Orientation:
    """Un orienteur de l'établissement (ou un CPIP) signale la personne pour un parcours IAE.
    Le CPIP référent est prévenu (sans nom dans la notification)."""
    if not can_signal(auteur, personne.etablissement_id):
        raise PermissionDenied(
            "Seuls les orienteurs de l'établissement et le SPIP signalent une personne."
        )
    if signalee_le > timezone.localdate():
        raise ValidationError({"signalee_le": "La date du signalement ne peut être à venir."})
    orientation = Orientation(
        personne=personne, motif=motif, signalee_le=signalee_le, signalee_par=auteur
    )
    orientation.full_clean()
    orientation.save()
    acces.appliquer(orientation)
    destinataires = [u for u in _cpip_a_prevenir(personne) if u.pk != auteur.pk]
    lien = orientation.get_absolute_url()
    transaction.on_commit(
        lambda: notifier(
            destinataires=destinataires,
            texte="Une nouvelle orientation vers un parcours IAE attend votre avis.",
            lien=lien,
            evenement="orientation_nouvelle",
        )
    )
    alertes.recalculer(personne=personne)
    return orientation


@transaction.atomic
def signaler_par_ecrou(
    *,
    auteur: Utilisateur,
    etablissement: Etablissement,
    numero_ecrou: str,
    nom: str,
    prenom: str,
    date_naissance: datetime.date,
    motif: str,
    signalee_le: datetime.date,
) -> Orientation:
    """Un orienteur, qui ne voit pas les dossiers, désigne la personne par son numéro d'écrou
    et son identité. Si le dossier existe, l'identité doit correspondre ; sinon un dossier
    minimal est ouvert (le SPIP le complète)."""
    if not can_signal(auteur, etablissement):
        raise PermissionDenied(
            "Seuls les orienteurs de l'établissement et le SPIP signalent une personne."
        )
    numero_ecrou = numero_ecrou.strip()
    personne = (
        Personne.objects.select_for_update()
        .filter(etablissement=etablissement, numero_ecrou=numero_ecrou)
        .first()
    )
    if personne is None:
        personne = Personne(
            etablissement=etablissement,
            numero_ecrou=numero_ecrou,
            nom=nom.strip(),
            prenom=prenom.strip(),
            date_naissance=date_naissance,
            creee_par=auteur,
        )
        personne.full_clean()
        personne.save()
        acces.appliquer(personne)
    elif (
        _normaliser(personne.nom) != _normaliser(nom)
        or _normaliser(personne.prenom) != _normaliser(prenom)
        or personne.date_naissance != date_naissance
    ):
        raise ValidationError(
            "Le nom, le prénom ou la date de naissance ne correspondent pas à ce numéro d'écrou : "
            "vérifiez-les auprès du greffe."
        )
    return signaler(personne=personne, auteur=auteur, motif=motif, signalee_le=signalee_le)


def _orientation_ouverte(orientation: Orientation) -> Orientation:
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if orientation.est_close:
        raise TransitionInterdite("Cette orientation est close.")
    return orientation


@transaction.atomic
def donner_avis(
    *,
    orientation: Orientation,
    auteur: Utilisateur,
    avis: str,
    motifs: str,
    motif_principal: str = "",
) -> Orientation:
    """L'avis du SPIP sur une orientation (favorable, réservé, défavorable), par un CPIP du SPIP
    de l'établissement ; les motifs rédigés et le motif principal codé (pour le pilotage) sont
    obligatoires pour un avis réservé ou défavorable. Un avis donné ne s'écrase pas."""
    _exiger_spip(auteur, orientation.personne.etablissement_id)
    orientation = _orientation_ouverte(orientation)
    if orientation.avis_le is not None:
        raise TransitionInterdite("L'avis du SPIP a déjà été donné sur cette orientation.")
    if avis not in AvisSpip.values:
        raise ValidationError({"avis": "Choisissez un avis."})
    if avis != AvisSpip.FAVORABLE and not motifs.strip():
        raise ValidationError(
            {"avis_motifs": "Précisez les motifs d'un avis réservé ou défavorable."}
        )
    if avis == AvisSpip.FAVORABLE:
        motif_principal = ""
    elif motif_principal not in MotifAvis.values:
        raise ValidationError(
            {
                "avis_motif_principal": (
                    "Choisissez le motif principal d'un avis réservé ou défavorable."
                )
            }
        )
    orientation.avis = avis
    orientation.avis_motifs = motifs.strip()
    orientation.avis_motif_principal = motif_principal
    orientation.avis_le = timezone.now()
    orientation.avis_par = auteur
    orientation.full_clean()
    orientation.save(
        update_fields=["avis", "avis_motifs", "avis_motif_principal", "avis_le", "avis_par"]
    )
    alertes.recalculer(personne=orientation.personne)
    return orientation


@transaction.atomic
def cloturer_orientation(
    *, orientation: Orientation, auteur: Utilisateur, motif: str, commentaire: str = ""
) -> Orientation:
    """Clôt l'orientation avec son motif. Une prescription en cours prend fin : la SIAE perd
    l'accès au dossier (droits réappliqués dans la même transaction)."""
    _exiger_spip(auteur, orientation.personne.etablissement_id)
    orientation = _orientation_ouverte(orientation)
    if motif not in MotifCloture.values:
        raise ValidationError({"motif_cloture": "Choisissez le motif de clôture."})
    maintenant = timezone.now()
    orientation.cloturee_le = maintenant
    orientation.cloturee_par = auteur
    orientation.motif_cloture = motif
    orientation.cloture_commentaire = commentaire.strip()
    orientation.full_clean()
    orientation.save(
        update_fields=["cloturee_le", "cloturee_par", "motif_cloture", "cloture_commentaire"]
    )
    Prescription.objects.filter(orientation=orientation, fin_le__isnull=True).update(
        fin_le=maintenant, fin_par=auteur
    )
    acces.appliquer([orientation.personne, orientation])
    alertes.recalculer(personne=orientation.personne)
    return orientation


# --- Prescription ---------------------------------------------------------------------------------


def criteres_locaux_pour(implantation: Implantation) -> list[str]:
    """Les critères locaux d'éligibilité de la charte en vigueur de l'implantation (aucun tant
    qu'aucune version n'est approuvée par les deux parties)."""
    return charte.criteres_locaux(implantation)


def destinataires_prescription(implantation: Implantation) -> list[Utilisateur]:
    """Les permanents et la direction de la SIAE de l'implantation (affectations actives)."""
    return list(
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(
                structure=implantation.siae, fonction__in=FONCTIONS_SIAE
            ),
        ).distinct()
    )


@transaction.atomic
def prescrire(
    *,
    orientation: Orientation,
    implantation: Implantation,
    auteur: Utilisateur,
    criteres_locaux: Sequence[str],
    criteres_confirmes: Collection[str],
    commentaire: str = "",
    jour: datetime.date | None = None,
) -> Prescription:
    """Prescrit un parcours IAE vers la SIAE de l'implantation.

    Règles (charte, 3.2) : l'auteur est un CPIP (ou DPIP, référent IAE) du SPIP de milieu fermé
    de l'établissement de la personne — vérifié sur ses affectations, quel que soit le point
    d'entrée ; l'orientation est ouverte et a reçu un avis du SPIP qui n'est pas défavorable ;
    chaque critère d'éligibilité est satisfait ce jour-là, critères locaux confirmés un à un ;
    au plus une prescription active par personne (verrou sur la personne + contrainte en base :
    un double envoi ou deux CPIP au même moment n'en créent qu'une). Le résultat de
    l'éligibilité est gardé avec la prescription ; la SIAE reçoit l'accès et est prévenue."""
    personne = orientation.personne
    _exiger_spip(auteur, personne.etablissement_id, REFUS_PRESCRIPTION)
    personne = _verrouiller(personne)
    orientation = _orientation_ouverte(orientation)
    if Prescription.objects.filter(orientation=orientation).exists():
        raise TransitionInterdite("Cette orientation a déjà donné lieu à une prescription.")
    if Prescription.objects.filter(personne=personne, fin_le__isnull=True).exists():
        raise TransitionInterdite("Cette personne a déjà un parcours IAE prescrit en cours.")
    if orientation.avis_le is None:
        raise TransitionInterdite("Donnez d'abord l'avis du SPIP sur cette orientation.")
    if orientation.avis == AvisSpip.DEFAVORABLE:
        raise TransitionInterdite(
            "L'avis du SPIP sur cette orientation est défavorable : pas de prescription."
        )
    if implantation.etablissement_id != personne.etablissement_id:
        raise ValidationError(
            {"implantation": "Cette SIAE n'est pas implantée dans l'établissement de la personne."}
        )
    inconnus = set(criteres_confirmes) - set(criteres_locaux)
    if inconnus:
        raise ValidationError("Un critère confirmé ne fait pas partie des critères de la charte.")
    resultat = eligibilite.evaluer(
        personne,
        jour or timezone.localdate(),
        criteres_locaux=criteres_locaux,
        criteres_confirmes=criteres_confirmes,
    )
    if not resultat.eligible:
        manquants = " ".join(c.explication for c in resultat.criteres if not c.satisfait)
        raise TransitionInterdite(f"La personne n'est pas éligible ce jour : {manquants}")
    prescription = Prescription(
        personne=personne,
        orientation=orientation,
        implantation=implantation,
        prescrite_le=timezone.now(),
        prescrite_par=auteur,
        eligibilite=resultat.en_json(),
        criteres_locaux_confirmes=sorted(criteres_confirmes),
        commentaire=commentaire.strip(),
    )
    prescription.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            prescription.save()
    except IntegrityError:
        # Course perdue contre un autre envoi (base sans verrou de ligne) : rien n'est créé deux fois.
        raise TransitionInterdite(
            "Cette personne a déjà un parcours IAE prescrit en cours."
        ) from None
    acces.appliquer([personne, orientation])
    destinataires = destinataires_prescription(implantation)
    lien = personne.get_absolute_url()
    transaction.on_commit(
        lambda: notifier(
            destinataires=destinataires,
            texte="Une personne a été orientée vers votre SIAE : un parcours IAE a été prescrit.",
            lien=lien,
            evenement="prescription",
        )
    )
    alertes.recalculer(personne=personne)
    return prescription


# --- Demande de classement et CPU ----------------------------------------------------------------


@transaction.atomic
def preparer_demande_classement(
    *,
    personne: Personne,
    auteur: Utilisateur,
    date_demande: datetime.date,
    commentaire: str = "",
) -> DemandeClassement:
    """Le SPIP aide la personne à rédiger sa demande de classement au travail sur le régime
    de la SIAE ; elle est rattachée à l'orientation ouverte la plus récente."""
    _exiger_spip(auteur, personne.etablissement_id)
    personne = _verrouiller(personne)
    if personne.demandes_classement.filter(statut=StatutDemandeClassement.EN_PREPARATION).exists():
        raise TransitionInterdite("Une demande de classement est déjà en préparation.")
    demande = DemandeClassement(
        personne=personne,
        orientation=personne.orientations.ouvertes().order_by("-signalee_le", "-pk").first(),
        date_demande=date_demande,
        aidee_par=auteur,
        commentaire=commentaire.strip(),
    )
    demande.full_clean()
    demande.save()
    return demande


@transaction.atomic
def deposer_demande_classement(
    *, demande: DemandeClassement, auteur: Utilisateur
) -> DemandeClassement:
    """La demande préparée est déposée auprès du chef d'établissement."""
    _exiger_spip(auteur, demande.personne.etablissement_id)
    demande = DemandeClassement.objects.select_for_update().get(pk=demande.pk)
    if demande.statut != StatutDemandeClassement.EN_PREPARATION:
        raise TransitionInterdite("Seule une demande en préparation peut être déposée.")
    demande.statut = StatutDemandeClassement.DEPOSEE
    demande.deposee_le = timezone.now()
    demande.deposee_par = auteur
    demande.save(update_fields=["statut", "deposee_le", "deposee_par"])
    return demande


@transaction.atomic
def creer_session_cpu(
    *, etablissement: Etablissement, date: datetime.date, auteur: Utilisateur
) -> SessionCPU:
    """Le SPIP de l'établissement crée une séance de CPU (une par jour au plus)."""
    _exiger_spip(auteur, etablissement.pk)
    session = SessionCPU(etablissement=etablissement, date=date, creee_par=auteur)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def inscrire_en_cpu(*, session: SessionCPU, personne: Personne, auteur: Utilisateur) -> ExamenCPU:
    """Inscrit une personne de l'établissement à la CPU, avec son orientation ouverte et sa
    demande de classement les plus récentes (l'avis du SPIP s'affiche avec)."""
    _exiger_spip(auteur, session.etablissement_id)
    if personne.etablissement_id != session.etablissement_id:
        raise ValidationError("Cette personne n'est pas détenue dans l'établissement de la CPU.")
    if ExamenCPU.objects.filter(session=session, personne=personne).exists():
        raise TransitionInterdite("Cette personne est déjà inscrite à cette CPU.")
    examen = ExamenCPU(
        session=session,
        personne=personne,
        orientation=personne.orientations.ouvertes().order_by("-signalee_le", "-pk").first(),
        demande_classement=personne.demandes_classement.order_by("-date_demande", "-pk").first(),
        inscrit_par=auteur,
    )
    examen.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            examen.save()
    except IntegrityError:
        raise TransitionInterdite("Cette personne est déjà inscrite à cette CPU.") from None
    return examen


@transaction.atomic
def enregistrer_avis_cpu(
    *, examen: ExamenCPU, auteur: Utilisateur, avis: str, commentaire: str = ""
) -> ExamenCPU:
    """L'avis rendu par la commission (elle conseille ; la décision vient après)."""
    _exiger_spip(auteur, examen.session.etablissement_id)
    examen = ExamenCPU.objects.select_for_update().get(pk=examen.pk)
    if examen.avis_cpu_le is not None:
        raise TransitionInterdite("L'avis de la CPU a déjà été enregistré.")
    if avis not in AvisCPU.values:
        raise ValidationError({"avis_cpu": "Choisissez l'avis de la CPU."})
    examen.avis_cpu = avis
    examen.avis_cpu_commentaire = commentaire.strip()
    examen.avis_cpu_le = timezone.now()
    examen.avis_cpu_par = auteur
    examen.full_clean(validate_constraints=False)
    examen.save(update_fields=["avis_cpu", "avis_cpu_commentaire", "avis_cpu_le", "avis_cpu_par"])
    return examen


@transaction.atomic
def enregistrer_decision_classement(
    *,
    examen: ExamenCPU,
    auteur: Utilisateur,
    decision: str,
    date_decision: datetime.date,
) -> ExamenCPU:
    """La décision de classement du chef d'établissement, enregistrée après la CPU par le SPIP.
    Elle ne précède pas la CPU et ne s'écrase pas."""
    _exiger_spip(auteur, examen.session.etablissement_id)
    examen = ExamenCPU.objects.select_for_update().select_related("session").get(pk=examen.pk)
    if examen.decision_saisie_le is not None:
        raise TransitionInterdite("La décision de classement a déjà été enregistrée.")
    if decision not in DecisionClassement.values:
        raise ValidationError({"decision": "Choisissez la décision du chef d'établissement."})
    if date_decision < examen.session.date:
        raise ValidationError(
            {"decision_date": "La décision ne peut précéder la CPU qui l'a préparée."}
        )
    if date_decision > timezone.localdate():
        raise ValidationError({"decision_date": "La date de la décision ne peut être à venir."})
    examen.decision = decision
    examen.decision_date = date_decision
    examen.decision_saisie_le = timezone.now()
    examen.decision_saisie_par = auteur
    examen.full_clean(validate_constraints=False)
    examen.save(
        update_fields=["decision", "decision_date", "decision_saisie_le", "decision_saisie_par"]
    )
    return examen
