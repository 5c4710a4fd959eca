"""L'éligibilité à une prescription de parcours IAE en milieu fermé (charte, article 3.2 ;
note de mai 2022) : une fonction pure d'une personne, d'une date et des critères locaux.

Critères nationaux :

1. **condamnation** : ``condamné`` la satisfait, ``prévenu`` l'échoue, ``mixte`` reste inconnu
   tant qu'un CPIP n'a pas confirmé la condamnation à exécuter ; statut vide → inconnu ;
2. **reliquat** : éligible à la date *d* si et seulement si
   ``d + 4 mois ≤ date de libération prévisible ≤ d + 36 mois``, en mois calendaires
   (``relativedelta`` : le 31 octobre + 4 mois = le 28 ou 29 février), bornes comprises ;
   pas de date → inconnu. La date vient du greffe : on ne calcule jamais une peine ;
3. **pièce d'identité** (CNI, passeport, titre de séjour, autorisation de travail) : valide à *d*
   si sa date d'expiration est ≥ *d* (valide le jour même de son expiration) ; pas de date → inconnu.

Critères locaux : ceux de la charte en vigueur, chacun satisfait seulement si le CPIP l'a
confirmé (au moment de la prescription) ; sinon inconnu.

Rien ici ne lit la base ni l'horloge : la date est toujours passée en argument.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet

from parcours.enums import StatutPenal

RELIQUAT_MIN_MOIS = 4
RELIQUAT_MAX_MOIS = 36
# Seuil d'alerte : une libération sous contrainte peut intervenir à 3 mois du terme
# (art. 720 CPP, à confirmer localement) ; on prévient avant de passer sous 4 mois.
ALERTE_FERMETURE_JOURS = 30


class Resultat(StrEnum):
    SATISFAIT = "satisfait"
    NON_SATISFAIT = "non_satisfait"
    INCONNU = "inconnu"

    @property
    def libelle(self) -> str:
        return {
            Resultat.SATISFAIT: "Satisfait",
            Resultat.NON_SATISFAIT: "Non satisfait",
            Resultat.INCONNU: "À vérifier",
        }[self]


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    NON_ELIGIBLE = "non_eligible"
    A_COMPLETER = "a_completer"

    @property
    def libelle(self) -> str:
        return {
            Verdict.ELIGIBLE: "Éligible",
            Verdict.NON_ELIGIBLE: "Non éligible",
            Verdict.A_COMPLETER: "Éligibilité à compléter",
        }[self]


class PersonneEvaluee(Protocol):
    """Ce que l'évaluation lit d'une personne (un ``Personne`` convient)."""

    statut_penal: str
    condamnation_confirmee_le: datetime.datetime | None
    date_liberation_previsible: datetime.date | None
    piece_identite_type: str
    piece_identite_expiration: datetime.date | None

    def get_piece_identite_type_display(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Critere:
    code: str
    libelle: str
    resultat: Resultat
    explication: str

    @property
    def satisfait(self) -> bool:
        return self.resultat is Resultat.SATISFAIT


@dataclass(frozen=True, slots=True)
class Reliquat:
    """Le temps qui reste avant la date de libération prévisible, en mois et jours calendaires."""

    mois: int
    jours: int
    depasse: bool = False

    def __str__(self) -> str:
        if self.depasse:
            return "date de libération prévisible dépassée"
        morceaux = []
        if self.mois:
            morceaux.append(f"{self.mois} mois")
        if self.jours or not self.mois:
            morceaux.append(f"{self.jours} jour{'s' if self.jours > 1 else ''}")
        return " et ".join(morceaux)


@dataclass(frozen=True, slots=True)
class Fenetre:
    """Les dates *d* (bornes comprises) où la condition de reliquat est remplie."""

    debut: datetime.date
    fin: datetime.date

    def contient(self, jour: datetime.date) -> bool:
        return self.debut <= jour <= self.fin


@dataclass(frozen=True, slots=True)
class Eligibilite:
    jour: datetime.date
    criteres: tuple[Critere, ...]
    reliquat: Reliquat | None
    fenetre: Fenetre | None

    @property
    def verdict(self) -> Verdict:
        resultats = {c.resultat for c in self.criteres}
        if Resultat.NON_SATISFAIT in resultats:
            return Verdict.NON_ELIGIBLE
        if Resultat.INCONNU in resultats:
            return Verdict.A_COMPLETER
        return Verdict.ELIGIBLE

    @property
    def eligible(self) -> bool:
        return self.verdict is Verdict.ELIGIBLE

    @property
    def jours_restants(self) -> int | None:
        """Jours entre la date évaluée et le dernier jour de la fenêtre (0 : dernier jour),
        si la date est dans la fenêtre."""
        if self.fenetre is None or not self.fenetre.contient(self.jour):
            return None
        return (self.fenetre.fin - self.jour).days

    @property
    def jours_avant_ouverture(self) -> int | None:
        if self.fenetre is None or self.jour >= self.fenetre.debut:
            return None
        return (self.fenetre.debut - self.jour).days

    @property
    def fermeture_proche(self) -> bool:
        restants = self.jours_restants
        return restants is not None and restants <= ALERTE_FERMETURE_JOURS

    def critere(self, code: str) -> Critere:
        return next(c for c in self.criteres if c.code == code)

    def en_json(self) -> dict[str, Any]:
        """La forme gardée avec la prescription : ce qui était vrai ce jour-là."""
        return {
            "jour": self.jour.isoformat(),
            "verdict": self.verdict.value,
            "eligible": self.eligible,
            "reliquat": str(self.reliquat) if self.reliquat else None,
            "fenetre": (
                [self.fenetre.debut.isoformat(), self.fenetre.fin.isoformat()]
                if self.fenetre
                else None
            ),
            "criteres": [
                {
                    "code": c.code,
                    "libelle": c.libelle,
                    "resultat": c.resultat.value,
                    "explication": c.explication,
                }
                for c in self.criteres
            ],
        }


def _fr(jour: datetime.date) -> str:
    return jour.strftime("%d/%m/%Y")


def reliquat(date_liberation: datetime.date, jour: datetime.date) -> Reliquat:
    """Le reliquat au jour donné, en mois calendaires puis jours."""
    if date_liberation < jour:
        return Reliquat(0, 0, depasse=True)
    ecart = relativedelta(date_liberation, jour)
    return Reliquat(mois=ecart.years * 12 + ecart.months, jours=ecart.days)


def fenetre(date_liberation: datetime.date) -> Fenetre | None:
    """Les dates *d* telles que d + 4 mois ≤ date_liberation ≤ d + 36 mois ; ``None`` quand elles
    sortiraient du calendrier (date aberrante aux confins, an 1 ou an 9999).

    ``d ↦ d + n mois`` est croissante (au sens large) : l'ensemble est un intervalle. On part de
    la soustraction calendaire puis on ajuste de quelques jours, car les fins de mois rendent
    l'addition non inversible (31/10 + 4 mois = 28/02 = 28/10 + 4 mois)."""
    try:
        return _fenetre(date_liberation)
    except (OverflowError, ValueError):
        return None


def _fenetre(date_liberation: datetime.date) -> Fenetre:
    un_jour = datetime.timedelta(days=1)
    minimum, maximum = (
        relativedelta(months=RELIQUAT_MIN_MOIS),
        relativedelta(months=RELIQUAT_MAX_MOIS),
    )

    fin = date_liberation - minimum
    while fin + minimum > date_liberation:
        fin -= un_jour
    while (fin + un_jour) + minimum <= date_liberation:
        fin += un_jour

    debut = date_liberation - maximum
    while debut + maximum < date_liberation:
        debut += un_jour
    while (debut - un_jour) + maximum >= date_liberation:
        debut -= un_jour
    return Fenetre(debut=debut, fin=fin)


def _critere_condamnation(personne: PersonneEvaluee) -> Critere:
    libelle = "Personne condamnée"
    statut = personne.statut_penal
    if statut == StatutPenal.CONDAMNE:
        return Critere("condamnation", libelle, Resultat.SATISFAIT, "La personne est condamnée.")
    if statut == StatutPenal.PREVENU:
        return Critere(
            "condamnation",
            libelle,
            Resultat.NON_SATISFAIT,
            "La personne est prévenue : seule une personne condamnée peut être orientée vers "
            "un parcours IAE.",
        )
    if statut == StatutPenal.MIXTE:
        if personne.condamnation_confirmee_le is not None:
            return Critere(
                "condamnation",
                libelle,
                Resultat.SATISFAIT,
                "Statut mixte : un CPIP a confirmé une condamnation à exécuter.",
            )
        return Critere(
            "condamnation",
            libelle,
            Resultat.INCONNU,
            "Statut mixte : un CPIP doit confirmer qu'une condamnation est à exécuter.",
        )
    return Critere(
        "condamnation", libelle, Resultat.INCONNU, "Le statut pénal n'est pas renseigné."
    )


def _critere_reliquat(personne: PersonneEvaluee, jour: datetime.date) -> Critere:
    libelle = f"Reliquat de peine entre {RELIQUAT_MIN_MOIS} et {RELIQUAT_MAX_MOIS} mois"
    dlp = personne.date_liberation_previsible
    if dlp is None:
        return Critere(
            "reliquat",
            libelle,
            Resultat.INCONNU,
            "La date de libération prévisible n'est pas renseignée (à demander au greffe).",
        )
    reste = reliquat(dlp, jour)
    plancher = jour + relativedelta(months=RELIQUAT_MIN_MOIS)
    plafond = jour + relativedelta(months=RELIQUAT_MAX_MOIS)
    if dlp < plancher:
        return Critere(
            "reliquat",
            libelle,
            Resultat.NON_SATISFAIT,
            f"Libération prévisible le {_fr(dlp)} : reliquat de {reste}, inférieur à "
            f"{RELIQUAT_MIN_MOIS} mois (il faudrait une libération le {_fr(plancher)} au plus tôt).",
        )
    if dlp > plafond:
        ouverture = fenetre(dlp)
        quand = (
            f" ; la condition sera remplie à partir du {_fr(ouverture.debut)}" if ouverture else ""
        )
        return Critere(
            "reliquat",
            libelle,
            Resultat.NON_SATISFAIT,
            f"Libération prévisible le {_fr(dlp)} : reliquat de {reste}, supérieur à "
            f"{RELIQUAT_MAX_MOIS} mois{quand}.",
        )
    return Critere(
        "reliquat",
        libelle,
        Resultat.SATISFAIT,
        f"Libération prévisible le {_fr(dlp)} : reliquat de {reste}.",
    )


def _critere_piece(personne: PersonneEvaluee, jour: datetime.date) -> Critere:
    libelle = "Pièce d'identité, titre de séjour ou autorisation de travail en cours de validité"
    expiration = personne.piece_identite_expiration
    if not personne.piece_identite_type:
        return Critere(
            "piece_identite", libelle, Resultat.INCONNU, "Aucune pièce d'identité n'est renseignée."
        )
    piece = personne.get_piece_identite_type_display()
    if expiration is None:
        return Critere(
            "piece_identite",
            libelle,
            Resultat.INCONNU,
            f"{piece} : la date d'expiration n'est pas renseignée.",
        )
    if expiration < jour:
        return Critere(
            "piece_identite",
            libelle,
            Resultat.NON_SATISFAIT,
            f"{piece} expiré(e) depuis le {_fr(expiration)} : à renouveler avant toute prescription.",
        )
    return Critere(
        "piece_identite",
        libelle,
        Resultat.SATISFAIT,
        f"{piece} valide jusqu'au {_fr(expiration)} inclus.",
    )


def _criteres_locaux(criteres_locaux: Sequence[str], confirmes: Collection[str]) -> list[Critere]:
    return [
        Critere(
            f"local_{rang}",
            texte,
            Resultat.SATISFAIT if texte in confirmes else Resultat.INCONNU,
            (
                "Critère de la charte locale confirmé par le CPIP."
                if texte in confirmes
                else "Critère de la charte locale : à confirmer par le CPIP lors de la prescription."
            ),
        )
        for rang, texte in enumerate(criteres_locaux, start=1)
    ]


def evaluer(
    personne: PersonneEvaluee,
    jour: datetime.date,
    *,
    criteres_locaux: Sequence[str] = (),
    criteres_confirmes: Collection[str] = (),
) -> Eligibilite:
    """L'éligibilité de la personne à la date ``jour`` : chaque critère avec son résultat
    (satisfait / non satisfait / à vérifier) et son explication en français, le reliquat,
    et la fenêtre d'éligibilité du reliquat."""
    dlp = personne.date_liberation_previsible
    criteres = (
        _critere_condamnation(personne),
        _critere_reliquat(personne, jour),
        _critere_piece(personne, jour),
        *_criteres_locaux(criteres_locaux, criteres_confirmes),
    )
    return Eligibilite(
        jour=jour,
        criteres=criteres,
        reliquat=reliquat(dlp, jour) if dlp else None,
        fenetre=fenetre(dlp) if dlp else None,
    )


def filtre_criteres_nationaux(jour: datetime.date) -> Q:
    """Le même jugement que ``evaluer`` pour les trois critères nationaux, en SQL, pour les
    listes paginées (« éligibles sans prescription »)."""
    return (
        (
            Q(statut_penal=StatutPenal.CONDAMNE)
            | Q(statut_penal=StatutPenal.MIXTE, condamnation_confirmee_le__isnull=False)
        )
        & Q(
            date_liberation_previsible__gte=jour + relativedelta(months=RELIQUAT_MIN_MOIS),
            date_liberation_previsible__lte=jour + relativedelta(months=RELIQUAT_MAX_MOIS),
        )
        & ~Q(piece_identite_type="")
        & Q(piece_identite_expiration__gte=jour)
    )


def eligibles_nationalement(queryset: QuerySet, jour: datetime.date) -> QuerySet:
    return queryset.filter(filtre_criteres_nationaux(jour))
