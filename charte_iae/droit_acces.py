"""Droit d'accès d'une personne à ses données (RGPD art. 15 ; loi Informatique et Libertés,
titre III, pour les données pénales) : tout ce que le service détient sur elle, en une action.

Chaque application déclare, au démarrage (``AppConfig.ready``), les sections qu'elle détient sur
une personne : le modèle, le chemin qui mène à la personne, l'écran où l'on corrige ces données
(droit de rectification) et, pour la liaison avec le JAP, qu'elle n'existe que côté SPIP. Ce module
ne connaît aucune application : il parcourt les sections déclarées, une requête par section (le
nombre de requêtes ne dépend pas du volume du dossier).

Les clés étrangères vers un agent, une structure ou un établissement sont données par leur nom ;
les autres par leur numéro (sans requête de plus). La clé vers la personne elle-même est omise.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

COTE_SPIP = "spip"
COTE_SIAE = "siae"

# Modèles dont le nom suffit à dire qui : un agent, une structure, un établissement.
_NOMMES = {"charte_iae.utilisateur", "charte_iae.structure", "charte_iae.etablissement"}


@dataclass(frozen=True)
class Section:
    cle: str
    titre: str
    modele: str  # « application.Modele »
    chemin: str  # recherche vers la personne : « personne », « livret__parcours__personne »…
    ou_corriger: str  # l'écran (ou la démarche) qui rectifie ces données
    spip_seulement: bool = False  # liaison avec le JAP : jamais dans ce que détient la SIAE
    champs: tuple[str, ...] | None = None  # None : tous les champs du modèle
    ordre: tuple[str, ...] = ("pk",)

    def classe(self) -> type[models.Model]:
        return apps.get_model(self.modele)


_sections: dict[str, Section] = {}


def enregistrer(*sections: Section) -> None:
    """Déclare des sections (idempotent : une clé déjà déclarée est remplacée)."""
    for section in sections:
        _sections[section.cle] = section


def sections(cote: str = COTE_SPIP) -> list[Section]:
    if cote not in {COTE_SPIP, COTE_SIAE}:
        raise ValueError(f"côté inconnu : {cote}")
    return [s for s in _sections.values() if cote == COTE_SPIP or not s.spip_seulement]


def _champs(section: Section, modele: type[models.Model]) -> list[models.Field]:
    retenus = []
    for champ in modele._meta.concrete_fields:
        if section.champs is not None and champ.name not in section.champs:
            continue
        if champ.is_relation and champ.related_model._meta.label == "parcours.Personne":
            continue  # la personne elle-même
        retenus.append(champ)
    return retenus


def _nomme(champ: models.Field) -> bool:
    return champ.is_relation and champ.related_model._meta.label_lower in _NOMMES


def _valeur(objet: models.Model, champ: models.Field) -> Any:
    if champ.is_relation:
        if _nomme(champ):
            lie = getattr(objet, champ.name)
            return None if lie is None else str(lie)
        return getattr(objet, champ.attname)
    valeur = getattr(objet, champ.attname)
    if champ.choices and valeur not in (None, ""):
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).isoformat() if timezone.is_aware(valeur) else valeur
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    if isinstance(valeur, decimal.Decimal):
        return str(valeur)
    if isinstance(valeur, models.fields.files.FieldFile):
        return valeur.name or None
    return valeur


def _lire(section: Section, personne: models.Model) -> dict[str, Any]:
    modele = section.classe()
    champs = _champs(section, modele)
    filtre = {"pk": personne.pk} if section.chemin == "pk" else {section.chemin: personne}
    requete = modele._default_manager.filter(**filtre).order_by(*section.ordre).distinct()
    if nommes := [c.name for c in champs if _nomme(c)]:
        requete = requete.select_related(*nommes)
    elements = [{c.name: _valeur(objet, c) for c in champs} for objet in requete]
    return {
        "titre": section.titre,
        "ou_corriger": section.ou_corriger,
        "libelles": {c.name: str(c.verbose_name) for c in champs},
        "elements": elements,
    }


def tout_ce_qui_est_detenu(personne: models.Model, *, cote: str = COTE_SPIP) -> dict[str, Any]:
    """Le dossier complet, section par section, sérialisable en JSON."""
    return {
        "personne": personne.pk,
        "cote": cote,
        "genere_le": timezone.localtime().isoformat(),
        "sections": {s.cle: _lire(s, personne) for s in sections(cote)},
    }


def pour_impression(export: dict[str, Any]) -> list[dict[str, Any]]:
    """Les sections sous forme de lignes (libellé, valeur) pour le gabarit imprimé."""
    rendu = []
    for cle, section in export["sections"].items():
        libelles = section["libelles"]
        rendu.append(
            {
                "cle": cle,
                "titre": section["titre"],
                "ou_corriger": section["ou_corriger"],
                "elements": [
                    [(libelles[nom], "" if v is None else v) for nom, v in element.items()]
                    for element in section["elements"]
                ],
            }
        )
    return rendu
