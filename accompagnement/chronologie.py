"""Ce que l'accompagnement ajoute à la chronologie et à l'export d'un dossier, *pour un agent
donné*. C'est la seule porte par laquelle une chronologie, un export ou une recherche lisent
l'accompagnement : les échanges avec le JAP n'y figurent que pour qui peut les voir."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from accompagnement import chefs_de_file
from accompagnement.models import ActionAccompagnement, LiaisonJAP, ProjetAmenagement
from parcours.models import Personne


@dataclass(frozen=True)
class Evenement:
    date: datetime.date
    nature: str
    libelle: str
    lien: str = ""


def evenements(utilisateur: Any, personne: Personne) -> list[Evenement]:
    """Les événements d'accompagnement que l'agent peut voir, du plus récent au plus ancien
    (nombre de requêtes fixe). Rien si le dossier lui est hors de portée."""
    resultat: list[Evenement] = []
    actions = ActionAccompagnement.objects.for_user(utilisateur).filter(personne=personne)
    for action in actions:
        resultat.append(
            Evenement(
                action.date,
                "action",
                f"{action.get_type_display()} — {chefs_de_file.libelle_domaine(action.domaine)}"
                f" ({action.get_statut_display().lower()})",
            )
        )
    for projet in ProjetAmenagement.objects.for_user(utilisateur).filter(personne=personne):
        resultat.append(
            Evenement(
                projet.cree_le.date(),
                "amenagement",
                f"Projet d'aménagement de peine : {projet.get_type_display()}",
                projet.get_absolute_url(),
            )
        )
    for liaison in LiaisonJAP.objects.for_user(utilisateur).filter(personne=personne):
        resultat.append(
            Evenement(liaison.date, "liaison_jap", str(liaison), liaison.get_absolute_url())
        )
    return sorted(resultat, key=lambda e: e.date, reverse=True)
