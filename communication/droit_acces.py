"""Ce que la communication détient sur une personne (droit d'accès) et où le corriger."""

from __future__ import annotations

from charte_iae.droit_acces import Section, enregistrer


def declarer() -> None:
    enregistrer(
        Section(
            "cahier",
            "Cahier de transmission",
            "communication.CahierTransmission",
            "personne",
            "Cahier de transmission de la personne",
        ),
        Section(
            "cahier_entrees",
            "Cahier de transmission : entrées",
            "communication.EntreeCahier",
            "cahier__personne",
            "Cahier › entrée › « Corriger » (son auteur ; l'entrée corrigée reste tracée)",
        ),
        Section(
            "reunions",
            "Réunions où la personne est évoquée",
            "communication.Reunion",
            "personnes",
            "Réunion › « Modifier » (retirer la personne des personnes évoquées)",
            champs=("debut", "type", "intitule"),
        ),
    )
