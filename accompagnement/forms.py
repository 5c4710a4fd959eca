"""Formulaires de l'accompagnement (gabarit DSFR). Ils ne valident que la saisie : les règles
d'accès et les effets sont dans les services."""

from __future__ import annotations

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from accompagnement.chefs_de_file import Domaine
from accompagnement.enums import (
    StatutAction,
    StatutDomaine,
    StatutProjetAmenagement,
    TypeAction,
    TypeAmenagement,
    TypeElementAmenagement,
    TypeLiaisonJAP,
)
from accompagnement.models import ElementAmenagement, ProjetAmenagement
from charte_iae.models import Implantation
from communication.models import PersonneRessource
from parcours.models import Personne

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(DsfrBaseForm):
    domaine = forms.ChoiceField(label="Domaine d'intervention")
    type = forms.ChoiceField(label="Type d'action", choices=TypeAction.choices)
    date = forms.DateField(label="Date", widget=_DATE)
    personne_ressource = forms.ModelChoiceField(
        label="Partenaire de l'annuaire",
        queryset=PersonneRessource.objects.none(),
        required=False,
        help_text="Un contact de l'annuaire des personnes ressources de l'implantation.",
    )
    partenaire = forms.CharField(
        label="Autre partenaire",
        max_length=200,
        required=False,
        help_text="S'il n'est pas dans l'annuaire : structure et interlocuteur. Un partenaire "
        "est obligatoire pour un contact ou une orientation ; le CPIP référent en est informé.",
    )
    statut = forms.ChoiceField(label="Statut", choices=StatutAction.choices)
    resultat = forms.CharField(
        label="Résultat",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui en ressort. Jamais de contenu médical.",
    )

    def __init__(self, *args: Any, domaines: list[Domaine], ressources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["personne_ressource"].queryset = ressources
        self.fields["domaine"].choices = [("", "— Choisir —")] + [
            (d.code, d.libelle) for d in domaines
        ]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        if (
            donnees.get("type")
            in {
                TypeAction.ORIENTATION_PARTENAIRE,
                TypeAction.CONTACT_PARTENAIRE,
            }
            and not (donnees.get("partenaire") or "").strip()
            and not donnees.get("personne_ressource")
        ):
            self.add_error("partenaire", "Indiquez le partenaire concerné.")
        return donnees


class MiseAJourActionForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Statut", choices=StatutAction.choices)
    resultat = forms.CharField(
        label="Résultat",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Jamais de contenu médical.",
    )


class SituationDomaineForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Situation du domaine", choices=StatutDomaine.choices)
    commentaire = forms.CharField(label="Commentaire", max_length=500, required=False)


class ProjetAmenagementForm(DsfrBaseForm):
    type = forms.ChoiceField(label="Aménagement visé", choices=TypeAmenagement.choices)
    date_cible = forms.DateField(label="Date visée", required=False, widget=_DATE)


class StatutProjetForm(DsfrBaseForm):
    statut = forms.ChoiceField(label="Statut", choices=StatutProjetAmenagement.choices)
    date_cible = forms.DateField(label="Date visée", required=False, widget=_DATE)


class ElementAmenagementForm(DsfrBaseForm):
    type = forms.ChoiceField(label="Élément", choices=TypeElementAmenagement.choices)
    contenu = forms.CharField(
        label="Contenu",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Employeur, poste, dates, observations sur le parcours…",
    )


class LiaisonJAPForm(DsfrBaseForm):
    type = forms.ChoiceField(label="Type d'échange", choices=TypeLiaisonJAP.choices)
    date = forms.DateField(label="Date", widget=_DATE)
    contenu = forms.CharField(
        label="Contenu", max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    projet = forms.ModelChoiceField(
        label="Projet d'aménagement concerné",
        queryset=ProjetAmenagement.objects.none(),
        required=False,
    )
    elements = forms.ModelMultipleChoiceField(
        label="Éléments apportés à joindre",
        queryset=ElementAmenagement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, personne: Personne, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Seuls les projets et éléments de *cette* personne : un identifiant forgé ne passe pas.
        self.fields["projet"].queryset = ProjetAmenagement.objects.filter(personne=personne)
        self.fields["elements"].queryset = ElementAmenagement.objects.filter(
            projet__personne=personne
        ).select_related("projet")
        self.fields["elements"].label_from_instance = lambda e: (
            f"{e.get_type_display()} ({e.projet.get_type_display()}), "
            f"apporté le {e.cree_le:%d/%m/%Y}"
        )


class PresentationJAPForm(DsfrBaseForm):
    implantation = forms.ModelChoiceField(
        label="SIAE présentée", queryset=Implantation.objects.none()
    )
    date = forms.DateField(label="Date", widget=_DATE)
    participants = forms.CharField(
        label="Participants", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label="Notes", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, implantations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implantation"].queryset = implantations.select_related("siae", "etablissement")
