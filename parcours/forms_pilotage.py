"""Les filtres des pages de pilotage : portefeuille du CPIP (accueil) et statistiques."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from charte_iae.models import Etablissement
from parcours.enums import TypeAlerte

ETAPES_PORTEFEUILLE = [
    ("", "Toutes les étapes"),
    ("sans_orientation", "Sans orientation en cours"),
    ("attente_avis", "Orientation en attente d'avis"),
    ("avis_donne", "Avis donné, à prescrire"),
    ("prescrite", "Parcours prescrit"),
]


class FiltrePortefeuilleForm(forms.Form):
    alerte = forms.ChoiceField(
        label="Alerte",
        required=False,
        choices=[("", "Toutes les personnes"), ("avec", "Avec une alerte"), *TypeAlerte.choices],
    )
    etape = forms.ChoiceField(label="Étape", required=False, choices=ETAPES_PORTEFEUILLE)


class FiltreStatistiquesForm(forms.Form):
    du = forms.DateField(
        label="Entrées du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    au = forms.DateField(
        label="au", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    etablissement = forms.ModelChoiceField(
        label="Établissement",
        queryset=Etablissement.objects.none(),
        required=False,
        empty_label="Tous mes établissements",
    )

    def __init__(self, *args: Any, etablissement_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = Etablissement.objects.filter(
            pk__in=etablissement_ids
        ).order_by("nom")

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        du: datetime.date | None = donnees.get("du")
        au: datetime.date | None = donnees.get("au")
        if du and au and du > au:
            self.add_error("au", "La fin de la période doit suivre son début.")
        return donnees
