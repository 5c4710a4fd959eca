"""Cas d'usage de la charte : créer une version, l'adapter, la soumettre, l'approuver.

Règles :
- une seule version en cours d'adaptation (brouillon ou soumise) et une seule en vigueur
  par charte (contraintes en base) ;
- une version entre en vigueur quand les deux parties l'ont approuvée (SPIP puis SIAE ou
  l'inverse, par deux personnes différentes) ; l'ancienne est alors remplacée ;
- toute modification après approbation passe par une nouvelle version (ou par le retrait de
  la version soumise, qui annule ses approbations) ;
- chaque enregistrement porte la révision lue : si quelqu'un a enregistré entre-temps,
  ``ConflitEdition`` dit ce qui a changé, rien n'est écrasé.
Les droits sont vérifiés ici aussi, pour qu'aucune autre entrée (admin, shell) ne les contourne.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from charte_iae.charte import ContenuVersion, Difference, comparer
from charte_iae.models import (
    ActionVersion,
    ChampModele,
    Charte,
    CritereLocal,
    DomaineIntervention,
    EvenementVersion,
    ModeleCharte,
    Partie,
    RepartitionRoles,
    RevisionVersion,
    StatutVersion,
    Utilisateur,
    ValeurChamp,
    VersionCharte,
)
from charte_iae.models.charte import TypeChamp
from charte_iae.notifications import notifier
from charte_iae.permissions import (
    PERMISSION_APPROBATION,
    can_edit_charte,
    detenteurs,
    parties_approbation,
)

CODE_MODELE_NATIONAL = "annexe4"
REFUS_ADAPTATION = (
    "Seuls le DPIP ou le référent IAE du SPIP et la direction de la SIAE adaptent la charte."
)
REFUS_APPROBATION = (
    "Seuls le DPIP ou le référent IAE du SPIP et la direction de la SIAE approuvent la charte, "
    "chacun pour sa partie."
)
COLONNES_REPARTITION = ("chef_de_file", "cpip", "siae", "partage", "autres")


class TransitionInterdite(Exception):
    """Un changement d'état refusé par la règle ; ``details`` précise (champs manquants…)."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class ConflitEdition(Exception):
    """La version a été enregistrée par quelqu'un d'autre depuis la révision lue."""

    def __init__(
        self, *, changements: list[Difference], revision: int, par: Utilisateur | None
    ) -> None:
        super().__init__("Conflit d'édition")
        self.changements = changements
        self.revision = revision
        self.par = par


@dataclass(frozen=True)
class SaisieChamp:
    texte: str = ""
    donnees: Mapping[str, Any] | None = None
    criteres: list[str] | None = None


def _exiger_redacteur(utilisateur: Utilisateur, charte: Charte) -> None:
    if not can_edit_charte(utilisateur, charte):
        raise PermissionDenied(REFUS_ADAPTATION)


def _journal(version: VersionCharte, action: str, par: Utilisateur | None) -> None:
    EvenementVersion.objects.create(version=version, action=action, par=par)


def _instantane(version: VersionCharte, par: Utilisateur | None) -> None:
    RevisionVersion.objects.create(
        version=version,
        numero=version.revision,
        contenu=ContenuVersion(version).elements(),
        par=par,
    )


def dernier_modele(code: str = CODE_MODELE_NATIONAL) -> ModeleCharte:
    modele = ModeleCharte.objects.filter(code=code).order_by("-version").first()
    if modele is None:
        raise TransitionInterdite(
            "Le modèle national de charte n'est pas chargé : lancez « manage.py "
            "charger_modele_charte »."
        )
    return modele


@transaction.atomic
def creer_version(*, charte: Charte, par: Utilisateur) -> VersionCharte:
    """Ouvre une nouvelle version en brouillon, copie de la version en vigueur (ou, pour la
    première, du modèle national vierge avec ses 8 domaines)."""
    _exiger_redacteur(par, charte)
    charte = Charte.objects.select_for_update().get(pk=charte.pk)
    en_cours = charte.versions.en_cours().first()
    if en_cours is not None:
        raise TransitionInterdite(
            f"La version {en_cours.numero} est déjà en cours d'adaptation : "
            "complétez-la ou faites-la approuver."
        )
    source = charte.versions.en_vigueur().first()
    numero = (charte.versions.aggregate(m=Max("numero"))["m"] or 0) + 1
    version = VersionCharte(
        charte=charte,
        numero=numero,
        modele=source.modele if source else dernier_modele(),
        creee_par=par,
        modifiee_par=par,
    )
    version.full_clean()
    version.save()
    if source is None:
        RepartitionRoles.objects.bulk_create(
            RepartitionRoles(version=version, domaine=domaine)
            for domaine in DomaineIntervention.objects.filter(modele=version.modele)
        )
    else:
        ValeurChamp.objects.bulk_create(
            ValeurChamp(version=version, champ_id=v.champ_id, texte=v.texte, donnees=v.donnees)
            for v in source.valeurs.all()
        )
        CritereLocal.objects.bulk_create(
            CritereLocal(version=version, ordre=c.ordre, libelle=c.libelle)
            for c in source.criteres.all()
        )
        RepartitionRoles.objects.bulk_create(
            RepartitionRoles(
                version=version,
                domaine_id=ligne.domaine_id,
                **{col: getattr(ligne, col) for col in COLONNES_REPARTITION},
            )
            for ligne in source.repartition.all()
        )
    _journal(version, ActionVersion.CREATION, par)
    _instantane(version, par)
    return version


def _verrouiller(version: VersionCharte, revision: int, par: Utilisateur) -> VersionCharte:
    """Reprend la version sous verrou ; refuse si elle n'est plus un brouillon ou si elle a
    été enregistrée depuis la révision que l'agent avait sous les yeux."""
    _exiger_redacteur(par, version.charte)
    version = VersionCharte.objects.select_for_update().select_related("charte").get(pk=version.pk)
    if version.statut != StatutVersion.BROUILLON:
        raise TransitionInterdite(
            f"La version {version.numero} est {version.get_statut_display().lower()} : "
            "elle ne se modifie plus. "
            + (
                "Retirez-la de l'approbation pour la modifier."
                if version.statut == StatutVersion.SOUMISE
                else "Créez une nouvelle version."
            )
        )
    if version.revision != revision:
        lue = RevisionVersion.objects.filter(version=version, numero=revision).first()
        actuelle = RevisionVersion.objects.get(version=version, numero=version.revision)
        raise ConflitEdition(
            changements=comparer(lue.contenu if lue else [], actuelle.contenu),
            revision=version.revision,
            par=version.modifiee_par,
        )
    return version


def _apres_modification(version: VersionCharte, par: Utilisateur) -> VersionCharte:
    version.revision += 1
    version.modifiee_le = timezone.now()
    version.modifiee_par = par
    version.save(update_fields=["revision", "modifiee_le", "modifiee_par"])
    _instantane(version, par)
    return version


@transaction.atomic
def enregistrer_champs(
    *,
    version: VersionCharte,
    revision: int,
    saisies: Mapping[str, SaisieChamp],
    par: Utilisateur,
) -> VersionCharte:
    """Enregistre les champs d'un article (par code de champ) dans le brouillon."""
    version = _verrouiller(version, revision, par)
    champs = {c.code: c for c in ChampModele.objects.filter(modele_id=version.modele_id)}
    for code, saisie in saisies.items():
        champ = champs[code]
        if champ.type == TypeChamp.CRITERES:
            CritereLocal.objects.filter(version=version).delete()
            for ordre, libelle in enumerate(saisie.criteres or [], start=1):
                critere = CritereLocal(version=version, ordre=ordre, libelle=libelle)
                critere.full_clean()
                critere.save()
        valeur = ValeurChamp.objects.filter(version=version, champ=champ).first() or ValeurChamp(
            version=version, champ=champ
        )
        valeur.texte = saisie.texte
        valeur.donnees = dict(saisie.donnees or {})
        valeur.full_clean()
        valeur.save()
    return _apres_modification(version, par)


@transaction.atomic
def enregistrer_repartition(
    *,
    version: VersionCharte,
    revision: int,
    lignes: Mapping[int, Mapping[str, str]],
    retirees: set[int] | frozenset[int] = frozenset(),
    par: Utilisateur,
) -> VersionCharte:
    """Enregistre le tableau de répartition des rôles (par id de ligne) ; les lignes de
    domaines locaux listées dans ``retirees`` sont retirées de la version."""
    version = _verrouiller(version, revision, par)
    existantes = {
        ligne.pk: ligne
        for ligne in RepartitionRoles.objects.filter(version=version).select_related("domaine")
    }
    for pk in retirees:
        ligne = existantes.pop(pk, None)
        if ligne is None:
            continue
        if not ligne.domaine.local:
            raise TransitionInterdite(
                f"Le domaine national « {ligne.domaine} » ne se retire pas du tableau."
            )
        ligne.delete()
    for pk, colonnes in lignes.items():
        ligne = existantes.get(pk)
        if ligne is None:
            continue
        for col in COLONNES_REPARTITION:
            if col in colonnes:
                setattr(ligne, col, colonnes[col])
        ligne.full_clean()
        ligne.save()
    return _apres_modification(version, par)


@transaction.atomic
def ajouter_domaine_local(
    *, version: VersionCharte, revision: int, libelle: str, par: Utilisateur
) -> RepartitionRoles:
    """Ajoute un domaine d'intervention propre à cette charte (la ligne « Etc. » du modèle)."""
    version = _verrouiller(version, revision, par)
    libelle = libelle.strip()
    if not libelle:
        raise TransitionInterdite("Indiquez le nom du domaine à ajouter.")
    charte = version.charte
    domaine = DomaineIntervention.objects.filter(charte=charte, libelle__iexact=libelle).first()
    if domaine is None:
        base = slugify(libelle)[:50] or "domaine"
        pris = set(
            DomaineIntervention.objects.filter(modele=version.modele).values_list("code", flat=True)
        ) | set(charte.domaines_locaux.values_list("code", flat=True))
        code, n = base, 2
        while code in pris:
            code, n = f"{base}-{n}", n + 1
        domaine = DomaineIntervention(
            charte=charte,
            code=code,
            libelle=libelle,
            ordre=1000 + charte.domaines_locaux.count(),
        )
        domaine.full_clean()
        domaine.save()
    if RepartitionRoles.objects.filter(version=version, domaine=domaine).exists():
        raise TransitionInterdite(f"Le domaine « {domaine} » figure déjà dans le tableau.")
    ligne = RepartitionRoles(version=version, domaine=domaine)
    ligne.full_clean()
    ligne.save()
    _apres_modification(version, par)
    return ligne


def _lien(version: VersionCharte) -> str:
    return reverse("charte_modifier", args=[version.charte_id])


@transaction.atomic
def soumettre(*, version: VersionCharte, par: Utilisateur) -> VersionCharte:
    """Soumet le brouillon à l'approbation des deux parties. Refusé tant qu'un champ
    obligatoire est vide (la liste est dans ``TransitionInterdite.details``)."""
    _exiger_redacteur(par, version.charte)
    version = VersionCharte.objects.select_for_update().select_related("charte").get(pk=version.pk)
    if version.statut != StatutVersion.BROUILLON:
        raise TransitionInterdite(
            f"La version {version.numero} est déjà {version.get_statut_display().lower()}."
        )
    manquants = ContenuVersion(version).manquants()
    if manquants:
        raise TransitionInterdite(
            "La version ne peut pas être soumise : des champs obligatoires sont vides.",
            manquants,
        )
    version.statut = StatutVersion.SOUMISE
    version.soumise_le = timezone.now()
    version.soumise_par = par
    version.full_clean()
    version.save()
    _journal(version, ActionVersion.SOUMISSION, par)
    notifier(
        destinataires=[
            u for u in detenteurs(version.charte, PERMISSION_APPROBATION.values()) if u.pk != par.pk
        ],
        texte=f"Une version de la charte ({version.charte.implantation.siae}) attend votre approbation.",
        lien=_lien(version),
        evenement="charte_soumise",
    )
    return version


@transaction.atomic
def retirer(*, version: VersionCharte, par: Utilisateur) -> VersionCharte:
    """Remet une version soumise en brouillon pour la modifier ; ses approbations sont
    annulées (le journal les garde)."""
    _exiger_redacteur(par, version.charte)
    version = VersionCharte.objects.select_for_update().get(pk=version.pk)
    if version.statut != StatutVersion.SOUMISE:
        raise TransitionInterdite("Seule une version soumise à approbation peut être retirée.")
    version.statut = StatutVersion.BROUILLON
    version.soumise_le = version.soumise_par = None
    version.approuvee_spip_le = version.approuvee_spip_par = None
    version.approuvee_siae_le = version.approuvee_siae_par = None
    version.full_clean()
    version.save()
    _journal(version, ActionVersion.RETRAIT, par)
    return version


@transaction.atomic
def approuver(*, version: VersionCharte, par: Utilisateur) -> VersionCharte:
    """Approuve une version soumise au nom de la partie de l'agent (SPIP ou SIAE). Quand
    les deux parties ont approuvé, la version entre en vigueur et remplace la précédente."""
    parties = parties_approbation(par, version.charte)
    if not parties:
        raise PermissionDenied(REFUS_APPROBATION)
    version = VersionCharte.objects.select_for_update().select_related("charte").get(pk=version.pk)
    if version.statut != StatutVersion.SOUMISE:
        raise TransitionInterdite(
            "Seule une version soumise s'approuve ; celle-ci est "
            f"{version.get_statut_display().lower()}."
        )
    a_approuver = [p for p in parties if not version.approuvee_par(p)]
    if not a_approuver:
        raise TransitionInterdite("Votre partie a déjà approuvé cette version.")
    partie = a_approuver[0]
    autre = Partie.SIAE if partie == Partie.SPIP else Partie.SPIP
    if getattr(version, f"approuvee_{autre}_par_id") == par.pk:
        raise TransitionInterdite(
            "Les deux approbations doivent venir de deux personnes différentes, une par partie."
        )
    maintenant = timezone.now()
    setattr(version, f"approuvee_{partie}_le", maintenant)
    setattr(version, f"approuvee_{partie}_par", par)
    _journal(
        version,
        ActionVersion.APPROBATION_SPIP if partie == Partie.SPIP else ActionVersion.APPROBATION_SIAE,
        par,
    )
    if version.approuvee_par(autre):
        ancienne = (
            VersionCharte.objects.select_for_update()
            .filter(charte=version.charte, statut=StatutVersion.EN_VIGUEUR)
            .first()
        )
        if ancienne is not None:
            ancienne.statut = StatutVersion.REMPLACEE
            ancienne.remplacee_le = maintenant
            ancienne.save(update_fields=["statut", "remplacee_le"])
            _journal(ancienne, ActionVersion.REMPLACEMENT, par)
        version.statut = StatutVersion.EN_VIGUEUR
        version.en_vigueur_le = maintenant
        _journal(version, ActionVersion.MISE_EN_VIGUEUR, par)
    version.full_clean()
    version.save()
    if version.statut == StatutVersion.EN_VIGUEUR:
        notifier(
            destinataires=detenteurs(
                version.charte, ["change_charte", *PERMISSION_APPROBATION.values()]
            ),
            texte=f"La version {version.numero} de la charte ({version.charte.implantation.siae}) est en vigueur.",
            lien=reverse("charte_detail", args=[version.charte_id]),
            evenement="charte_en_vigueur",
        )
    return version
