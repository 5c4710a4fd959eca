"""Journaux structurés : une ligne JSON par événement, avec l'identifiant de la requête en cours.

Aucune donnée personnelle : le formateur n'écrit que le message, des champs techniques choisis
(méthode, chemin sans paramètres, statut, durée, identifiant numérique de l'agent) et, pour une
exception, son type et sa pile d'appels, jamais son texte (il peut reprendre une valeur saisie,
comme le DETAIL d'une erreur d'intégrité PostgreSQL)."""

from __future__ import annotations

import datetime
import json
import logging
import traceback
from contextvars import ContextVar

id_requete_courante: ContextVar[str] = ContextVar("id_requete_courante", default="")

# Champs « extra » repris tels quels ; tout le reste de l'enregistrement est ignoré
# (Django y met par exemple l'objet requête entier).
CHAMPS_AUTORISES = ("methode", "chemin", "statut", "duree_ms", "utilisateur_id", "status_code")


class FormateurJSON(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        donnees: dict[str, object] = {
            "horodatage": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "niveau": record.levelname,
            "journal": record.name,
            "message": record.getMessage(),
        }
        id_requete = id_requete_courante.get() or getattr(record, "id_requete", "")
        if id_requete:
            donnees["id_requete"] = id_requete
        for champ in CHAMPS_AUTORISES:
            valeur = getattr(record, champ, None)
            if valeur is not None:
                donnees[champ] = valeur
        if record.exc_info and record.exc_info[0] is not None:
            type_exc, _valeur, pile = record.exc_info
            donnees["exception"] = f"{type_exc.__module__}.{type_exc.__qualname__}"
            donnees["pile"] = "".join(traceback.format_tb(pile)).rstrip()
        return json.dumps(donnees, ensure_ascii=False, default=str)
