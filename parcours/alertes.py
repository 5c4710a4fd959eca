"""Les alertes du parcours : ce qui demande d'agir sur un dossier avant qu'il ne soit trop tard.

Les alertes sont *stockées* (modèle ``Alerte``) plutôt que calculées à l'affichage : la page
d'accueil les trie et les filtre en SQL (nombre de requêtes constant), une alerte nouvelle
notifie une seule fois, et l'historique (quand elle est apparue, quand elle a été résolue) reste.

Le calcul est une réconciliation idempotente, comme celle des droits : des *détecteurs* (fonctions
pures d'une personne préchargée et d'un jour) disent quelles alertes devraient être actives ;
``recalculer`` crée les nouvelles (et prévient), met à jour celles qui restent et résout celles
dont la cause a disparu. Il tourne :

- chaque nuit, pour toutes les personnes concernées (tâche ``recalculer_toutes_les_alertes``,
  mise en file par la commande ``recalculer_alertes``) : le reliquat diminue chaque jour ;
- à chaque changement qui peut en créer ou en résoudre une : les services appellent
  ``recalculer(personne=…)`` dans leur transaction.

Pour ajouter une alerte : un type dans ``TypeAlerte``, un seuil dans les réglages
(``ALERTES_…``) et une fonction décorée par ``@detecteur`` qui produit des ``AlerteAttendue``.
Les textes des notifications ne contiennent ni nom ni situation (DESIGN.md §2).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from charte_iae.enums import FONCTIONS_SIAE, Fonction
from charte_iae.models import Affectation, Structure, Utilisateur
from charte_iae.notifications import notifier
from parcours import eligibilite
from parcours.enums import TYPES_ALERTE_A_PRENDRE_EN_COMPTE, AvisSpip, StatutPassage, TypeAlerte
from parcours.models import (
    Alerte,
    EntretienRecrutement,
    LivretCompetences,
    Orientation,
    ParcoursIAE,
    PassageMilieuOuvert,
    Personne,
    Prescription,
)

TEXTES_NOTIFICATION = {
    TypeAlerte.FENETRE_FERMETURE: "Alerte : la fenêtre d'éligibilité d'une personne orientée se ferme bientôt.",
    TypeAlerte.LIBERATION_SOUS_CONTRAINTE: "Alerte : une personne en parcours IAE approche du seuil de libération sous contrainte.",
    TypeAlerte.PIECE_IDENTITE: "Alerte : une pièce d'identité ou un titre de séjour expire bientôt ou a expiré.",
    TypeAlerte.AVIS_EN_ATTENTE: "Alerte : une orientation attend l'avis du SPIP depuis trop longtemps.",
    TypeAlerte.DATE_LIBERATION_VERDICT: "Alerte : un changement de date de libération modifie une éligibilité.",
    TypeAlerte.ENTRETIEN_EN_ATTENTE: "Alerte : une personne prescrite vers la SIAE attend son entretien de recrutement depuis trop longtemps.",
    TypeAlerte.CEP_NON_SIGNE: "Alerte : un contrat d'emploi pénitentiaire n'est pas enregistré comme signé dans les 2 jours ouvrés.",
    TypeAlerte.PASSAGE_EN_ATTENTE: "Alerte : un passage en milieu ouvert attend une réponse depuis plusieurs jours.",
    TypeAlerte.LIVRET_A_FINALISER: "Alerte : un livret de compétences est à finaliser avant une sortie prévue.",
}


@dataclass(frozen=True, slots=True)
class AlerteAttendue:
    """Une alerte qui devrait être active : pourquoi, avant quand, où agir, qui prévenir.

    Prévenus : le SPIP (CPIP référent, à défaut les CPIP de l'établissement) sauf
    ``prevenir_spip=False`` ; l'équipe de la SIAE prescrite si ``prevenir_siae`` ; et les
    agents ``prevenir`` (identifiants : le CPIP de milieu ouvert désigné…). ``lien_spip``
    remplace ``lien`` dans la notification du SPIP quand le lieu où agir est une page de la
    SIAE (le SPIP est alors renvoyé au dossier)."""

    type: str
    motif: str
    echeance: datetime.date
    lien: str
    cle: str = ""
    prevenir_siae: bool = False
    prevenir_spip: bool = True
    prevenir: tuple[int, ...] = ()
    lien_spip: str = ""


Detecteur = Callable[[Personne, datetime.date], Iterable[AlerteAttendue]]
_detecteurs: list[Detecteur] = []


def detecteur(fonction: Detecteur) -> Detecteur:
    """Enregistre un détecteur. Il reçoit une personne préchargée (``orientations_ouvertes``,
    ``prescription_active`` (avec ``a_entretien``), ``parcours_actifs`` (avec
    ``a_livret_finalise``), ``passages_en_attente``, ``historique`` : voir
    ``_personnes_prechargees``) et le jour."""
    if fonction not in _detecteurs:
        _detecteurs.append(fonction)
    return fonction


def _fr(jour: datetime.date) -> str:
    return jour.strftime("%d/%m/%Y")


def _jours(n: int) -> str:
    return f"{n} jour{'s' if n > 1 else ''}"


def dernier_jour_avec_reliquat(date_liberation: datetime.date, mois: int) -> datetime.date:
    """Le dernier jour *d* où le reliquat est encore d'au moins ``mois`` mois calendaires
    (d + mois ≤ date de libération), en tenant compte des fins de mois."""
    ecart, un_jour = relativedelta(months=mois), datetime.timedelta(days=1)
    jour = date_liberation - ecart
    while jour + ecart > date_liberation:
        jour -= un_jour
    while (jour + un_jour) + ecart <= date_liberation:
        jour += un_jour
    return jour


def dans_le_circuit(personne: Personne) -> bool:
    """Orientée (orientation ouverte) ou prescrite : les alertes de dossier ne concernent
    qu'elles (pas les milliers de personnes détenues sans démarche IAE)."""
    return bool(personne.orientations_ouvertes) or personne.prescription_active is not None


# --- Détecteurs ---------------------------------------------------------------------------------


@detecteur
def fenetre_qui_se_ferme(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """Orientée (avis non défavorable), pas encore prescrite, et le reliquat passera sous 4 mois
    dans au plus ALERTES_FENETRE_JOURS jours (0 : aujourd'hui est le dernier jour)."""
    dlp = personne.date_liberation_previsible
    if dlp is None or personne.prescription_active is not None:
        return
    a_prescrire = [o for o in personne.orientations_ouvertes if o.avis != AvisSpip.DEFAVORABLE]
    if not a_prescrire:
        return
    fenetre = eligibilite.fenetre(dlp)
    if fenetre is None or not fenetre.contient(jour):
        return
    restants = (fenetre.fin - jour).days
    if restants > settings.ALERTES_FENETRE_JOURS:
        return
    quand = "aujourd'hui" if restants == 0 else f"dans {_jours(restants)}"
    yield AlerteAttendue(
        type=TypeAlerte.FENETRE_FERMETURE,
        motif=(
            f"Dernier jour pour prescrire {quand}, le {_fr(fenetre.fin)} : ensuite le reliquat "
            f"sera inférieur à {eligibilite.RELIQUAT_MIN_MOIS} mois (libération prévisible "
            f"le {_fr(dlp)})."
        ),
        echeance=fenetre.fin,
        lien=a_prescrire[0].get_absolute_url(),
    )


@detecteur
def seuil_liberation_sous_contrainte(
    personne: Personne, jour: datetime.date
) -> Iterable[AlerteAttendue]:
    """Parcours prescrit en cours, et le reliquat passera sous ALERTES_LSC_MOIS mois (libération
    sous contrainte possible) dans au plus ALERTES_LSC_JOURS jours, ou y est déjà."""
    dlp = personne.date_liberation_previsible
    if dlp is None or personne.prescription_active is None or dlp < jour:
        return
    mois = settings.ALERTES_LSC_MOIS
    seuil = dernier_jour_avec_reliquat(dlp, mois)
    restants = (seuil - jour).days
    if restants > settings.ALERTES_LSC_JOURS:
        return
    if restants >= 0:
        motif = (
            f"Le reliquat passera sous {mois} mois après le {_fr(seuil)} (dans "
            f"{_jours(restants)}) : une libération sous contrainte est possible, préparez la "
            f"sortie (libération prévisible le {_fr(dlp)})."
        )
    else:
        motif = (
            f"Le reliquat est inférieur à {mois} mois depuis le {_fr(seuil + datetime.timedelta(days=1))} : "
            f"une libération sous contrainte est possible (libération prévisible le {_fr(dlp)})."
        )
    yield AlerteAttendue(
        type=TypeAlerte.LIBERATION_SOUS_CONTRAINTE,
        motif=motif,
        echeance=seuil,
        lien=personne.get_absolute_url(),
        prevenir_siae=True,
    )


@detecteur
def piece_qui_expire(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """Pièce d'identité, titre de séjour ou autorisation de travail qui expire dans au plus
    ALERTES_PIECE_JOURS jours, ou a expiré (valide encore le jour de son expiration)."""
    expiration = personne.piece_identite_expiration
    if expiration is None or not personne.piece_identite_type or not dans_le_circuit(personne):
        return
    restants = (expiration - jour).days
    if restants > settings.ALERTES_PIECE_JOURS:
        return
    piece = personne.get_piece_identite_type_display()
    if restants > 0:
        etat = f"expire le {_fr(expiration)} (dans {_jours(restants)})"
    elif restants == 0:
        etat = f"expire aujourd'hui ({_fr(expiration)})"
    else:
        etat = f"a expiré le {_fr(expiration)}"
    yield AlerteAttendue(
        type=TypeAlerte.PIECE_IDENTITE,
        cle=expiration.isoformat(),
        motif=f"{piece} : {etat}. Engagez le renouvellement (condition de la prescription).",
        echeance=expiration,
        lien=personne.get_absolute_url(),
        prevenir_siae=True,
    )


@detecteur
def avis_qui_tarde(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """Une orientation ouverte attend l'avis du SPIP depuis plus de ALERTES_AVIS_JOURS jours."""
    delai = settings.ALERTES_AVIS_JOURS
    for orientation in personne.orientations_ouvertes:
        attente = (jour - orientation.signalee_le).days
        if orientation.avis_le is None and attente > delai:
            yield AlerteAttendue(
                type=TypeAlerte.AVIS_EN_ATTENTE,
                cle=str(orientation.pk),
                motif=(
                    f"Orientation signalée le {_fr(orientation.signalee_le)} : elle attend "
                    f"l'avis du SPIP depuis {_jours(attente)} (délai fixé : {_jours(delai)})."
                ),
                echeance=orientation.signalee_le + datetime.timedelta(days=delai),
                lien=orientation.get_absolute_url(),
            )


@detecteur
def date_liberation_qui_change_le_verdict(
    personne: Personne, jour: datetime.date
) -> Iterable[AlerteAttendue]:
    """La dernière date de libération prévisible saisie change le verdict d'éligibilité
    (évalué le jour du changement, avec l'ancienne puis la nouvelle date). À prendre en compte
    par un agent du SPIP : l'alerte ne revient pas pour ce même changement."""
    if not dans_le_circuit(personne) or len(personne.historique) < 2:
        return
    nouvelle, ancienne = personne.historique[0], personne.historique[1]
    if nouvelle.date_liberation_previsible == ancienne.date_liberation_previsible:
        return
    le = timezone.localdate(nouvelle.saisie_le)
    avant, apres = copy.copy(personne), copy.copy(personne)
    avant.date_liberation_previsible = ancienne.date_liberation_previsible
    apres.date_liberation_previsible = nouvelle.date_liberation_previsible
    verdict_avant = eligibilite.evaluer(avant, le).verdict
    verdict_apres = eligibilite.evaluer(apres, le).verdict
    if verdict_avant == verdict_apres:
        return

    def _date(d: datetime.date | None) -> str:
        return _fr(d) if d else "non renseignée"

    yield AlerteAttendue(
        type=TypeAlerte.DATE_LIBERATION_VERDICT,
        cle=str(nouvelle.pk),
        motif=(
            f"Le {_fr(le)}, la date de libération prévisible est passée du "
            f"{_date(ancienne.date_liberation_previsible)} au "
            f"{_date(nouvelle.date_liberation_previsible)} : éligibilité « "
            f"{verdict_avant.libelle} » devenue « {verdict_apres.libelle} ». Vérifiez le dossier."
        ),
        echeance=le,
        lien=personne.get_absolute_url(),
    )


@detecteur
def entretien_qui_tarde(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """La prescription active attend depuis plus de ALERTES_ENTRETIEN_JOURS jours que la SIAE
    enregistre un entretien de recrutement (mené ou programmé) : la fenêtre d'éligibilité, elle,
    continue de se refermer."""
    prescription = personne.prescription_active
    if prescription is None or prescription.a_entretien:
        return
    delai = settings.ALERTES_ENTRETIEN_JOURS
    prescrite = timezone.localdate(prescription.prescrite_le)
    attente = (jour - prescrite).days
    if attente <= delai:
        return
    yield AlerteAttendue(
        type=TypeAlerte.ENTRETIEN_EN_ATTENTE,
        cle=str(prescription.pk),
        motif=(
            f"Prescrite vers la SIAE le {_fr(prescrite)} : aucun entretien de recrutement "
            f"enregistré depuis {_jours(attente)} (délai fixé : {_jours(delai)}). La SIAE "
            f"enregistre l'entretien, mené ou programmé."
        ),
        echeance=prescrite + datetime.timedelta(days=delai),
        lien=reverse("parcours_siae:entretien_creer", args=[prescription.pk]),
        lien_spip=personne.get_absolute_url(),
        prevenir_siae=True,
    )


@detecteur
def cep_non_signe(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """Le parcours en cours n'a pas de CEP enregistré comme signé, et les 2 jours ouvrés qui
    suivent son début (hors week-ends et jours fériés) sont passés. Affaire de la SIAE : le
    CPIP référent le voit dans son portefeuille sans être notifié."""
    for parcours in personne.parcours_actifs:
        limite = parcours.date_limite_cep
        if parcours.cep_signe_le is not None or jour <= limite:
            continue
        yield AlerteAttendue(
            type=TypeAlerte.CEP_NON_SIGNE,
            cle=str(parcours.pk),
            motif=(
                f"Contrat commencé le {_fr(parcours.date_debut)} : le CEP n'est pas enregistré "
                f"comme signé, il devait l'être au plus tard le {_fr(limite)} "
                f"({ParcoursIAE.DELAI_SIGNATURE_CEP} jours ouvrés). Enregistrez sa signature."
            ),
            echeance=limite,
            lien=parcours.get_absolute_url(),
            prevenir_siae=True,
            prevenir_spip=False,
        )


@detecteur
def passage_sans_reponse(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """Un passage en milieu ouvert attend la réponse du CPIP désigné depuis plus de
    ALERTES_PASSAGE_JOURS jours : la personne est sortie, la continuité du suivi presse."""
    delai = settings.ALERTES_PASSAGE_JOURS
    for passage in personne.passages_en_attente:
        confie = timezone.localdate(passage.designe_le)
        attente = (jour - confie).days
        if attente <= delai:
            continue
        yield AlerteAttendue(
            type=TypeAlerte.PASSAGE_EN_ATTENTE,
            cle=str(passage.pk),
            motif=(
                f"Passage en milieu ouvert confié le {_fr(confie)} : sans réponse du CPIP "
                f"désigné depuis {_jours(attente)} (délai fixé : {_jours(delai)}). Acceptez-le "
                f"ou renvoyez-le."
            ),
            echeance=confie + datetime.timedelta(days=delai),
            lien=passage.get_absolute_url(),
            prevenir=(passage.cpip_mo_id, passage.designe_par_id),
        )


@detecteur
def livret_a_finaliser(personne: Personne, jour: datetime.date) -> Iterable[AlerteAttendue]:
    """Le parcours en cours n'a aucune version finalisée du livret de compétences, et la
    libération prévisible (la sortie prévue : le parcours n'a pas de fin programmée) est dans
    au plus ALERTES_LIVRET_JOURS jours, ou passée. Le livret est remis à la sortie."""
    dlp = personne.date_liberation_previsible
    if dlp is None:
        return
    restants = (dlp - jour).days
    if restants > settings.ALERTES_LIVRET_JOURS:
        return
    if restants > 0:
        quand = f"le {_fr(dlp)} (dans {_jours(restants)})"
    elif restants == 0:
        quand = f"aujourd'hui ({_fr(dlp)})"
    else:
        quand = f"était prévue le {_fr(dlp)}"
    for parcours in personne.parcours_actifs:
        if parcours.a_livret_finalise:
            continue
        yield AlerteAttendue(
            type=TypeAlerte.LIVRET_A_FINALISER,
            cle=str(parcours.pk),
            motif=(
                f"Libération prévisible {quand} : aucune version du livret de compétences "
                f"n'est finalisée. Finalisez-le pour le remettre à la sortie."
            ),
            echeance=dlp,
            lien=reverse("parcours_siae:livret", args=[parcours.pk]),
            prevenir_siae=True,
        )


# --- Réconciliation -----------------------------------------------------------------------------


def _personnes_prechargees(personne_ids: Iterable[int]) -> list[Personne]:
    """Les personnes avec ce que lisent les détecteurs, en un nombre fixe de requêtes."""
    personnes = list(
        Personne.objects.filter(pk__in=list(personne_ids)).prefetch_related(
            Prefetch(
                "orientations",
                queryset=Orientation.objects.ouvertes().order_by("signalee_le", "pk"),
                to_attr="orientations_ouvertes",
            ),
            Prefetch(
                "prescriptions",
                queryset=Prescription.objects.actives()
                .select_related("implantation")
                .annotate(
                    a_entretien=Exists(
                        EntretienRecrutement.objects.filter(prescription=OuterRef("pk"))
                    )
                ),
                to_attr="prescriptions_actives",
            ),
            Prefetch(
                "parcours_iae",
                queryset=ParcoursIAE.objects.actifs()
                .annotate(
                    a_livret_finalise=Exists(
                        LivretCompetences.objects.finalises().filter(parcours=OuterRef("pk"))
                    )
                )
                .order_by("pk"),
                to_attr="parcours_actifs",
            ),
            Prefetch(
                "passages_mo",
                queryset=PassageMilieuOuvert.objects.filter(
                    statut=StatutPassage.EN_ATTENTE
                ).order_by("pk"),
                to_attr="passages_en_attente",
            ),
            Prefetch("historique_dates_liberation", to_attr="historique"),
            Prefetch("alertes", queryset=Alerte.objects.order_by("pk"), to_attr="toutes_alertes"),
        )
    )
    for personne in personnes:
        personne.prescription_active = (
            personne.prescriptions_actives[0] if personne.prescriptions_actives else None
        )
    return personnes


def alertes_attendues(personne: Personne, jour: datetime.date) -> list[AlerteAttendue]:
    """Ce que les détecteurs attendent pour une personne préchargée, ce jour-là."""
    return [a for detecter in _detecteurs for a in detecter(personne, jour)]


def _agents_spip(personne: Personne) -> list[Utilisateur]:
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


def _agents_siae(personne: Personne) -> list[Utilisateur]:
    """Les agents (CIP, ET, direction) de la SIAE vers laquelle la personne est prescrite :
    ceux qui ont accès au dossier."""
    if personne.prescription_active is None:
        return []
    return list(
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(
                structure_id=personne.prescription_active.implantation.siae_id,
                fonction__in=FONCTIONS_SIAE,
            ),
        ).distinct()
    )


def _notifier(personne: Personne, alerte: Alerte, attendue: AlerteAttendue) -> None:
    """Prévient chacun une fois, sans nom ni situation, une fois la transaction validée : le
    SPIP (avec ``lien_spip`` s'il y en a un), la SIAE et les agents nommés par le détecteur."""
    spip = _agents_spip(personne) if attendue.prevenir_spip else []
    autres = _agents_siae(personne) if attendue.prevenir_siae else []
    if attendue.prevenir:
        autres += list(Utilisateur.objects.filter(is_active=True, pk__in=attendue.prevenir))
    if attendue.lien_spip:
        deja = {u.pk for u in spip}
        groupes = [
            (spip, attendue.lien_spip),
            ([u for u in autres if u.pk not in deja], alerte.lien),
        ]
    else:
        groupes = [(spip + autres, alerte.lien)]
    texte, evenement = TEXTES_NOTIFICATION[TypeAlerte(alerte.type)], f"alerte_{alerte.type}"
    for destinataires, lien in groupes:
        uniques = list({u.pk: u for u in destinataires}.values())
        if uniques:
            transaction.on_commit(
                lambda d=uniques, li=lien: notifier(
                    destinataires=d, texte=texte, lien=li, evenement=evenement
                )
            )


def _reconcilier(personne: Personne, jour: datetime.date) -> list[Alerte]:
    maintenant = timezone.now()
    actives = {(a.type, a.cle): a for a in personne.toutes_alertes if a.resolue_le is None}
    prises_en_compte = {
        (a.type, a.cle)
        for a in personne.toutes_alertes
        if a.resolue_par_id is not None and a.type in TYPES_ALERTE_A_PRENDRE_EN_COMPTE
    }
    nouvelles: list[tuple[Alerte, AlerteAttendue]] = []
    attendues_cles = set()
    for attendue in alertes_attendues(personne, jour):
        cle = (attendue.type, attendue.cle)
        attendues_cles.add(cle)
        existante = actives.get(cle)
        if existante is not None:
            if (existante.motif, existante.echeance, existante.lien, existante.lien_spip) != (
                attendue.motif,
                attendue.echeance,
                attendue.lien,
                attendue.lien_spip,
            ):
                existante.motif, existante.echeance = attendue.motif, attendue.echeance
                existante.lien, existante.lien_spip = attendue.lien, attendue.lien_spip
                existante.save(update_fields=["motif", "echeance", "lien", "lien_spip"])
            continue
        if cle in prises_en_compte:
            continue
        alerte = Alerte(
            personne=personne,
            type=attendue.type,
            cle=attendue.cle,
            motif=attendue.motif[:500],
            echeance=attendue.echeance,
            lien=attendue.lien,
            lien_spip=attendue.lien_spip,
            creee_le=maintenant,
        )
        alerte.full_clean(validate_constraints=False)
        alerte.save()
        nouvelles.append((alerte, attendue))
    perimees = [a.pk for cle, a in actives.items() if cle not in attendues_cles]
    if perimees:
        Alerte.objects.filter(pk__in=perimees).update(resolue_le=maintenant)
    for alerte, attendue in nouvelles:
        _notifier(personne, alerte, attendue)
    return [alerte for alerte, _ in nouvelles]


@transaction.atomic
def recalculer_lot(*, personne_ids: Sequence[int], jour: datetime.date | None = None) -> int:
    """Réconcilie les alertes de ces personnes ; renvoie le nombre d'alertes nouvelles."""
    jour = jour or timezone.localdate()
    return sum(len(_reconcilier(p, jour)) for p in _personnes_prechargees(personne_ids))


@transaction.atomic
def recalculer(*, personne: Personne, jour: datetime.date | None = None) -> list[Alerte]:
    """Réconcilie les alertes d'une personne après un changement (date de libération, pièce
    d'identité, orientation, avis, prescription, clôture…) : crée et notifie les nouvelles,
    résout celles dont la cause a disparu. À appeler dans la transaction du changement."""
    personnes = _personnes_prechargees([personne.pk])
    if not personnes:
        return []
    return _reconcilier(personnes[0], jour or timezone.localdate())


@transaction.atomic
def prendre_en_compte(*, alerte: Alerte, auteur: Utilisateur) -> Alerte:
    """Un agent du SPIP a vérifié une alerte qui ne demande qu'une vérification : elle est
    résolue en son nom et ne revient pas pour la même cause."""
    alerte = Alerte.objects.select_for_update().get(pk=alerte.pk)
    if alerte.resolue_le is None:
        alerte.resolue_le = timezone.now()
        alerte.resolue_par = auteur
        alerte.save(update_fields=["resolue_le", "resolue_par"])
    return alerte


def personnes_concernees() -> list[int]:
    """Les personnes à réexaminer chaque nuit : orientées, prescrites, en parcours, sorties
    avec un passage en milieu ouvert sans réponse, ou avec une alerte active."""
    return list(
        Personne.objects.filter(
            Exists(Orientation.objects.ouvertes().filter(personne=OuterRef("pk")))
            | Exists(Prescription.objects.actives().filter(personne=OuterRef("pk")))
            | Exists(ParcoursIAE.objects.actifs().filter(personne=OuterRef("pk")))
            | Exists(
                PassageMilieuOuvert.objects.filter(
                    personne=OuterRef("pk"), statut=StatutPassage.EN_ATTENTE
                )
            )
            | Exists(Alerte.objects.actives().filter(personne=OuterRef("pk")))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


TAILLE_LOT = 500


@task
def recalculer_toutes_les_alertes() -> int:
    """La tâche de nuit : le reliquat diminue chaque jour, les pièces approchent de leur
    expiration. Par lots (une transaction par lot) ; renvoie le nombre d'alertes nouvelles."""
    ids = personnes_concernees()
    jour = timezone.localdate()
    return sum(
        recalculer_lot(personne_ids=ids[i : i + TAILLE_LOT], jour=jour)
        for i in range(0, len(ids), TAILLE_LOT)
    )
