"""Ce que l'accompagnement détient sur une personne (droit d'accès) et où le corriger."""

from __future__ import annotations

from charte_iae.droit_acces import Section, enregistrer

_SUIVI = "Suivi de l'accompagnement de la personne"


def declarer() -> None:
    enregistrer(
        Section(
            "actions",
            "Actions d'accompagnement",
            "accompagnement.ActionAccompagnement",
            "personne",
            f"{_SUIVI} › action › « Modifier » (son auteur)",
        ),
        Section(
            "situations",
            "Situation par domaine",
            "accompagnement.SituationDomaine",
            "personne",
            f"{_SUIVI} › domaine › « Situation »",
        ),
        Section(
            "amenagements",
            "Projets d'aménagement de peine",
            "accompagnement.ProjetAmenagement",
            "personne",
            "Projet d'aménagement › « Statut » (CPIP, DPIP)",
        ),
        Section(
            "elements_amenagement",
            "Éléments apportés aux projets d'aménagement",
            "accompagnement.ElementAmenagement",
            "projet__personne",
            "Projet d'aménagement › « Ajouter un élément » (un élément nouveau corrige le précédent)",
        ),
        Section(
            "liaisons_jap",
            "Échanges avec le juge de l'application des peines",
            "accompagnement.LiaisonJAP",
            "personne",
            "Liaison avec le JAP (SPIP seulement) › nouvel échange",
            spip_seulement=True,
        ),
    )
