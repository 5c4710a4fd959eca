"""Formulaires de la communication, au gabarit du DSFR. Les règles (information de la personne,
portée des choix) sont vérifiées par les modèles et les services ; les formulaires limitent
les choix à ce que l'agent peut voir."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from dsfr.forms import DsfrBaseForm

from charte_iae.forms import DsfrModelForm
from charte_iae.models import Affectation, Implantation, PreferenceNotification, Utilisateur
from communication.enums import Domaine
from communication.models import EntreeCahier, PersonneRessource, Reunion
from parcours.models import Personne


class EntreeCahierForm(DsfrModelForm):
    jeton = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    class Meta:
        model = EntreeCahier
        fields = [
            "domaine",
            "texte",
            "urgente",
            "partage_information_personnelle",
            "information_personne",
            "personne_informee_le",
            "personne_informee_moyen",
        ]
        widgets = {
            "texte": forms.Textarea(attrs={"rows": 5}),
            "information_personne": forms.RadioSelect,
            "personne_informee_moyen": forms.RadioSelect,
            "personne_informee_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "partage_information_personnelle": (
                "La charte l'exige : la personne est informée avant tout partage d'une information "
                "qui la concerne, ou la remet elle-même."
            ),
            "personne_informee_le": "Obligatoire si la personne a été informée au préalable.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domaine"].choices = [("", "Sans domaine particulier"), *Domaine.choices]
        # Les boutons radio n'ont pas de choix vide : « rien » se dit en ne cochant rien.
        for nom in ("information_personne", "personne_informee_moyen"):
            self.fields[nom].choices = [c for c in self.fields[nom].choices if c[0]]


class ReunionForm(DsfrModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Reunion
        fields = [
            "implantation",
            "type",
            "intitule",
            "debut",
            "lieu",
            "ordre_du_jour",
            "participants",
            "ressources",
            "personnes",
            "compte_rendu",
            "decisions",
        ]
        widgets = {
            "debut": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "participants": forms.CheckboxSelectMultiple,
            "ressources": forms.CheckboxSelectMultiple,
            "personnes": forms.CheckboxSelectMultiple,
            "ordre_du_jour": forms.Textarea(attrs={"rows": 4}),
            "compte_rendu": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args: Any,
        utilisateur: Utilisateur,
        implantations: QuerySet[Implantation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["implantation"]
            self.fields["version"].initial = self.instance.version
            ids = [self.instance.implantation_id]
        else:
            self.fields["implantation"].queryset = implantations.select_related(
                "siae", "etablissement"
            )
            ids = list(implantations.values_list("pk", flat=True))
            if len(ids) == 1:
                self.fields["implantation"].initial = ids[0]
        perimetre = Implantation.objects.filter(pk__in=ids)
        structures = (
            Q(structure__implantations_spip__in=perimetre)
            | Q(structure__implantations_siae__in=perimetre)
            | Q(structure__etablissement__implantations__in=perimetre)
        )
        agents = Affectation.objects.actives().filter(structures).values("utilisateur_id")
        self.fields["participants"].queryset = Utilisateur.objects.filter(
            pk__in=agents, is_active=True
        )
        self.fields["ressources"].queryset = PersonneRessource.objects.actives().filter(
            implantation__in=perimetre
        )
        # Seules les personnes dont l'agent voit le dossier peuvent être ajoutées ; celles qu'il
        # ne voit pas restent évoquées sans qu'il les voie (le service les garde).
        self.fields["personnes"].queryset = Personne.objects.for_user(utilisateur)
        if self.instance.pk:
            self.initial["personnes"] = [
                p.pk
                for p in self.instance.personnes.filter(
                    pk__in=self.fields["personnes"].queryset.values("pk")
                )
            ]


class PersonneRessourceForm(DsfrModelForm):
    domaines = forms.MultipleChoiceField(
        label="Domaines d'intervention",
        choices=Domaine.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PersonneRessource
        fields = [
            "implantation",
            "nom",
            "organisation",
            "fonction",
            "telephone",
            "email",
            "domaines",
            "notes",
            "active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, implantations: QuerySet[Implantation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["implantation"]
            self.initial["domaines"] = list(
                self.instance.domaines.values_list("domaine", flat=True)
            )
        else:
            self.fields["implantation"].queryset = implantations.select_related(
                "siae", "etablissement"
            )
            if implantations.count() == 1:
                self.fields["implantation"].initial = implantations.get().pk


class RechercheAnnuaireForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    domaine = forms.ChoiceField(
        label="Domaine d'intervention",
        required=False,
        choices=[("", "Tous les domaines"), *Domaine.choices],
    )


class PreferenceNotificationForm(DsfrModelForm):
    class Meta:
        model = PreferenceNotification
        fields = ["par_courriel"]


__all__ = [
    "EntreeCahierForm",
    "PersonneRessourceForm",
    "PreferenceNotificationForm",
    "RechercheAnnuaireForm",
    "ReunionForm",
]
