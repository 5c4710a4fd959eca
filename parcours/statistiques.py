"""Les statistiques de pilotage : l'entonnoir du parcours IAE, calculé depuis les étapes datées
(``*_le``), jamais depuis un statut. Agrégées : aucun nom, aucune ligne par personne.

Méthode (une *cohorte* par période) :
- la date d'une étape pour une personne est la première fois qu'elle l'a atteinte ;
- la cohorte de la période [du, au] : les personnes des établissements choisis dont l'*entrée*
  dans l'entonnoir (la plus ancienne de leurs dates d'étape) tombe dans la période ;
- l'effectif d'une étape : les personnes de la cohorte qui l'ont atteinte (à ce jour) ;
- le taux de passage : effectif de l'étape / effectif de l'étape précédente ; la part de la
  cohorte : effectif / taille de la cohorte ;
- le délai médian : la médiane, en jours, entre l'étape précédente et celle-ci, sur les
  personnes qui ont les deux dates.

Chaque étape est une source enregistrée par ``@etape`` : information, orientation, avis
favorable, prescription, puis, côté SIAE, entretien mené, personne retenue, parcours commencé
(début du CEP) et sortie du parcours. Seules comptent les étapes déjà atteintes (un entretien
programmé plus tard ne compte pas encore).

Les motifs (personnes non retenues, sorties du parcours) sont comptés sur la même cohorte, au
total et par établissement ; ce sont des listes fermées (jamais le texte libre d'une précision).
"""

from __future__ import annotations

import csv
import datetime
import io
import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Min
from django.utils import timezone

from charte_iae.models import Etablissement
from parcours.enums import (
    AvisSpip,
    DecisionEntretien,
    MotifAvis,
    MotifCloture,
    MotifNonRetenu,
    MotifSortie,
    SituationSortie,
)
from parcours.models import (
    EntretienRecrutement,
    InformationIAE,
    Orientation,
    ParcoursIAE,
    Prescription,
)

# (personne_id, etablissement_id, date de la première fois)
Ligne = tuple[int, int, datetime.date]
Source = Callable[[Collection[int]], Iterable[Ligne]]


@dataclass(frozen=True, slots=True)
class EtapeEntonnoir:
    ordre: int
    code: str
    libelle: str
    source: Source


_etapes: dict[str, EtapeEntonnoir] = {}


def etape(ordre: int, code: str, libelle: str) -> Callable[[Source], Source]:
    """Enregistre une étape de l'entonnoir : ``source(etablissement_ids)`` renvoie, pour chaque
    personne de ces établissements qui l'a atteinte, la date de la première fois."""

    def enregistrer(source: Source) -> Source:
        _etapes[code] = EtapeEntonnoir(ordre=ordre, code=code, libelle=libelle, source=source)
        return source

    return enregistrer


def etapes() -> list[EtapeEntonnoir]:
    return sorted(_etapes.values(), key=lambda e: e.ordre)


def _jour(valeur: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(valeur, datetime.datetime):
        return timezone.localdate(valeur)
    return valeur


def _premieres(queryset: Any, champ: str) -> Iterable[Ligne]:
    for personne_id, etablissement_id, premiere in (
        queryset.values("personne_id", "personne__etablissement_id")
        .annotate(premiere=Min(champ))
        .values_list("personne_id", "personne__etablissement_id", "premiere")
        .order_by()
    ):
        yield personne_id, etablissement_id, _jour(premiere)


@etape(10, "informee", "Informée sur l'IAE")
def _informees(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        InformationIAE.objects.filter(personne__etablissement_id__in=etablissement_ids), "date"
    )


@etape(20, "orientee", "Orientée")
def _orientees(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        Orientation.objects.filter(personne__etablissement_id__in=etablissement_ids),
        "signalee_le",
    )


@etape(30, "avis_favorable", "Avis favorable du SPIP")
def _avis_favorables(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        Orientation.objects.filter(
            personne__etablissement_id__in=etablissement_ids, avis=AvisSpip.FAVORABLE
        ),
        "avis_le",
    )


@etape(40, "prescrite", "Parcours IAE prescrit")
def _prescrites(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        Prescription.objects.filter(personne__etablissement_id__in=etablissement_ids),
        "prescrite_le",
    )


@etape(50, "entretien", "Entretien de recrutement mené")
def _entretiens(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        EntretienRecrutement.objects.filter(
            personne__etablissement_id__in=etablissement_ids, date__lte=timezone.localdate()
        ),
        "date",
    )


@etape(60, "retenue", "Retenue par la SIAE")
def _retenues(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        EntretienRecrutement.objects.filter(
            personne__etablissement_id__in=etablissement_ids, decision=DecisionEntretien.RETENU
        ),
        "decide_le",
    )


@etape(70, "en_parcours", "En parcours (début du CEP)")
def _en_parcours(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        ParcoursIAE.objects.filter(
            personne__etablissement_id__in=etablissement_ids,
            date_debut__lte=timezone.localdate(),
        ),
        "date_debut",
    )


@etape(80, "sortie", "Sortie du parcours")
def _sorties(etablissement_ids: Collection[int]) -> Iterable[Ligne]:
    return _premieres(
        ParcoursIAE.objects.sortis().filter(personne__etablissement_id__in=etablissement_ids),
        "date_sortie",
    )


# --- Calcul ---------------------------------------------------------------------------------------


def _pourcentage(numerateur: int, denominateur: int) -> float | None:
    return round(100 * numerateur / denominateur, 1) if denominateur else None


@dataclass(frozen=True, slots=True)
class LigneEntonnoir:
    code: str
    libelle: str
    effectif: int
    taux_passage: float | None
    part_cohorte: float | None
    delai_median_jours: float | None


@dataclass(frozen=True, slots=True)
class LigneEtablissement:
    etablissement: Etablissement
    cohorte: int
    effectifs: list[int]


@dataclass(frozen=True, slots=True)
class LigneMotif:
    libelle: str
    total: int
    par_etablissement: list[int]


@dataclass(frozen=True, slots=True)
class TableauMotifs:
    """Un motif par ligne : le total puis une colonne par établissement (même ordre que
    ``Statistiques.par_etablissement``). Seuls les motifs présents ont une ligne."""

    titre: str
    compte: str
    lignes: list[LigneMotif]

    @property
    def total(self) -> int:
        return sum(ligne.total for ligne in self.lignes)


def _tableau_motifs(
    titre: str,
    compte: str,
    couples: Iterable[tuple[str, int]],
    choix: list[tuple[str, str]],
    etablissement_ids: list[int],
) -> TableauMotifs:
    """``couples`` : (motif, établissement) pour chaque événement compté."""
    nombres = Counter(couples)
    lignes = []
    for valeur, libelle in choix:
        par_etablissement = [nombres[(valeur, e)] for e in etablissement_ids]
        if sum(par_etablissement):
            lignes.append(LigneMotif(libelle, sum(par_etablissement), par_etablissement))
    return TableauMotifs(titre=titre, compte=compte, lignes=lignes)


@dataclass
class Statistiques:
    du: datetime.date
    au: datetime.date
    cohorte: int
    entonnoir: list[LigneEntonnoir]
    par_etablissement: list[LigneEtablissement]
    avis: list[tuple[str, int]]
    clotures: list[tuple[str, int]]
    etapes: list[EtapeEntonnoir] = field(default_factory=list)
    motifs: list[TableauMotifs] = field(default_factory=list)


def calculer(
    *, etablissement_ids: Collection[int], du: datetime.date, au: datetime.date
) -> Statistiques:
    """L'entonnoir, les taux, les délais médians, les avis, les motifs de clôture, de non
    recrutement et de sortie de la cohorte [du, au] des établissements donnés. Requêtes : une
    par étape, plus sept (établissements, avis, clôtures, motifs des avis, non retenues, motifs et
    situations de sortie)."""
    liste_etapes = etapes()
    dates: dict[str, dict[int, datetime.date]] = {}
    etablissement_de: dict[int, int] = {}
    for e in liste_etapes:
        dates[e.code] = {}
        for personne_id, etablissement_id, jour in e.source(etablissement_ids):
            dates[e.code][personne_id] = jour
            etablissement_de[personne_id] = etablissement_id
    entree: dict[int, datetime.date] = {}
    for par_personne in dates.values():
        for personne_id, jour in par_personne.items():
            if personne_id not in entree or jour < entree[personne_id]:
                entree[personne_id] = jour
    cohorte = {p for p, jour in entree.items() if du <= jour <= au}

    entonnoir: list[LigneEntonnoir] = []
    precedent: dict[int, datetime.date] | None = None
    effectif_precedent = 0
    for e in liste_etapes:
        atteinte = {p: j for p, j in dates[e.code].items() if p in cohorte}
        delais = (
            [(j - precedent[p]).days for p, j in atteinte.items() if p in precedent]
            if precedent is not None
            else []
        )
        entonnoir.append(
            LigneEntonnoir(
                code=e.code,
                libelle=e.libelle,
                effectif=len(atteinte),
                taux_passage=(
                    _pourcentage(len(atteinte), effectif_precedent)
                    if precedent is not None
                    else None
                ),
                part_cohorte=_pourcentage(len(atteinte), len(cohorte)),
                delai_median_jours=statistics.median(delais) if delais else None,
            )
        )
        precedent, effectif_precedent = atteinte, len(atteinte)

    par_etablissement = []
    etablissements = list(Etablissement.objects.filter(pk__in=etablissement_ids).order_by("nom"))
    for etablissement in etablissements:
        membres = {p for p in cohorte if etablissement_de[p] == etablissement.pk}
        par_etablissement.append(
            LigneEtablissement(
                etablissement=etablissement,
                cohorte=len(membres),
                effectifs=[sum(1 for p in dates[e.code] if p in membres) for e in liste_etapes],
            )
        )

    orientations = Orientation.objects.filter(personne_id__in=cohorte).order_by()
    avis = Counter(orientations.exclude(avis="").values_list("avis", flat=True))
    clotures = Counter(
        orientations.filter(cloturee_le__isnull=False).values_list("motif_cloture", flat=True)
    )
    colonnes = [e.pk for e in etablissements]
    motifs = [
        _tableau_motifs(
            "Motifs principaux des avis réservés ou défavorables du SPIP",
            "Avis",
            orientations.filter(avis__in=[AvisSpip.RESERVE, AvisSpip.DEFAVORABLE])
            .exclude(avis_motif_principal="")
            .values_list("avis_motif_principal", "personne__etablissement_id"),
            MotifAvis.choices,
            colonnes,
        ),
        _tableau_motifs(
            "Motifs de non-recrutement par la SIAE",
            "Entretiens",
            EntretienRecrutement.objects.filter(
                personne_id__in=cohorte, decision=DecisionEntretien.NON_RETENU
            )
            .order_by()
            .values_list("motif_non_retenu", "personne__etablissement_id"),
            MotifNonRetenu.choices,
            colonnes,
        ),
        _tableau_motifs(
            "Motifs de sortie du parcours",
            "Sorties",
            ParcoursIAE.objects.sortis()
            .filter(personne_id__in=cohorte)
            .order_by()
            .values_list("motif_sortie", "personne__etablissement_id"),
            MotifSortie.choices,
            colonnes,
        ),
        _tableau_motifs(
            "Situation des personnes à la sortie du parcours",
            "Sorties",
            ParcoursIAE.objects.sortis()
            .filter(personne_id__in=cohorte)
            .exclude(situation_sortie="")
            .order_by()
            .values_list("situation_sortie", "personne__etablissement_id"),
            SituationSortie.choices,
            colonnes,
        ),
    ]
    return Statistiques(
        du=du,
        au=au,
        cohorte=len(cohorte),
        entonnoir=entonnoir,
        par_etablissement=par_etablissement,
        avis=[(libelle, avis[valeur]) for valeur, libelle in AvisSpip.choices if avis[valeur]],
        clotures=[
            (libelle, clotures[valeur])
            for valeur, libelle in MotifCloture.choices
            if clotures[valeur]
        ],
        etapes=liste_etapes,
        motifs=motifs,
    )


# --- Graphiques (SVG rendu côté serveur, sans script ni style en ligne) ------------------------


@dataclass(frozen=True, slots=True)
class Barre:
    libelle: str
    valeur_affichee: str
    y: int
    largeur: int
    y_texte: int


@dataclass(frozen=True, slots=True)
class Graphique:
    titre: str
    description: str
    largeur: int
    hauteur: int
    x_barres: int
    barres: list[Barre]

    @property
    def x_valeurs(self) -> int:
        return self.x_barres + 4


LARGEUR_GRAPHIQUE, LARGEUR_LIBELLES, LARGEUR_BARRES, HAUTEUR_LIGNE = 640, 230, 330, 30


def graphique_barres(
    *, titre: str, valeurs: list[tuple[str, float | None]], unite: str = ""
) -> Graphique:
    """Un diagramme en barres horizontales : la géométrie est calculée ici, le gabarit
    ``parcours/statistiques/_graphique.html`` ne fait que la dessiner (attributs SVG)."""
    maximum = max((v for _, v in valeurs if v), default=0)
    barres = []
    for rang, (libelle, valeur) in enumerate(valeurs):
        largeur = round(LARGEUR_BARRES * valeur / maximum) if valeur and maximum else 0
        texte = "—" if valeur is None else f"{valeur:g}{unite}".replace(".", ",")
        y = rang * HAUTEUR_LIGNE + 6
        barres.append(Barre(libelle, texte, y, largeur, y + 15))
    description = " ; ".join(f"{b.libelle} : {b.valeur_affichee}" for b in barres)
    return Graphique(
        titre=titre,
        description=description,
        largeur=LARGEUR_GRAPHIQUE,
        hauteur=max(len(barres), 1) * HAUTEUR_LIGNE + 6,
        x_barres=LARGEUR_LIBELLES,
        barres=barres,
    )


# --- Export CSV -----------------------------------------------------------------------------------

_DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def cellule_csv(valeur: Any) -> Any:
    """Neutralise une cellule texte qu'un tableur prendrait pour une formule (injection CSV) :
    une apostrophe est ajoutée devant = + - @ (et tabulation, retour chariot)."""
    if valeur is None:
        return ""
    if isinstance(valeur, float):
        return f"{valeur:g}".replace(".", ",")
    if isinstance(valeur, str) and valeur.startswith(_DEBUTS_DANGEREUX):
        return "'" + valeur
    return valeur


def en_csv(stats: Statistiques) -> str:
    """Le contenu CSV (séparateur « ; », pour les tableurs français) des statistiques."""
    tampon = io.StringIO()
    ecrire = csv.writer(tampon, delimiter=";").writerow

    def ligne(*cellules: Any) -> None:
        ecrire([cellule_csv(c) for c in cellules])

    ligne("Statistiques de pilotage du parcours IAE")
    ligne("Période (entrée dans l'entonnoir)", stats.du.isoformat(), stats.au.isoformat())
    ligne("Cohorte (personnes)", stats.cohorte)
    ligne()
    ligne(
        "Étape",
        "Effectif",
        "Taux de passage depuis l'étape précédente (%)",
        "Part de la cohorte (%)",
        "Délai médian depuis l'étape précédente (jours)",
    )
    for e in stats.entonnoir:
        ligne(e.libelle, e.effectif, e.taux_passage, e.part_cohorte, e.delai_median_jours)
    ligne()
    ligne("Établissement", "Cohorte", *(e.libelle for e in stats.etapes))
    for le in stats.par_etablissement:
        ligne(le.etablissement.nom, le.cohorte, *le.effectifs)
    ligne()
    ligne("Avis du SPIP", "Orientations")
    for libelle, nombre in stats.avis:
        ligne(libelle, nombre)
    ligne()
    ligne("Motif de clôture des orientations", "Orientations")
    for libelle, nombre in stats.clotures:
        ligne(libelle, nombre)
    noms = [le.etablissement.nom for le in stats.par_etablissement]
    for tableau in stats.motifs:
        ligne()
        ligne(tableau.titre, f"{tableau.compte} (total)", *noms)
        for m in tableau.lignes:
            ligne(m.libelle, m.total, *m.par_etablissement)
    return tampon.getvalue()


def par_defaut(jour: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Les douze derniers mois, jusqu'à aujourd'hui inclus."""
    return jour - relativedelta(years=1) + datetime.timedelta(days=1), jour
