"""Formulaires du parcours. Ils valident la saisie ; les règles et l'enregistrement sont dans
les services."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from charte_iae.enums import Fonction
from charte_iae.models import Affectation, Etablissement, Implantation, Structure, Utilisateur
from parcours.enums import (
    AvisCPU,
    AvisSpip,
    CanalInformation,
    DecisionClassement,
    MotifAvis,
    MotifCloture,
)
from parcours.models import Personne


class ChampDate(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": "Saisissez une date valide (jj/mm/aaaa)."})
        super().__init__(*args, **kwargs)


def _pas_dans_le_futur(jour: datetime.date | None, quoi: str) -> datetime.date | None:
    if jour and jour > timezone.localdate():
        raise forms.ValidationError(f"{quoi} ne peut être à venir.")
    if jour and jour.year < 2000:
        raise forms.ValidationError(f"{quoi} n'est pas plausible.")
    return jour


def cpip_de(etablissement_id: int | None) -> Any:
    """Les CPIP de milieu fermé actifs de l'établissement (choix du référent)."""
    return Utilisateur.objects.filter(
        is_active=True,
        affectations__in=Affectation.objects.actives().filter(
            fonction=Fonction.CPIP_MF,
            structure__in=Structure.objects.filter(
                type="spip", milieu="ferme", etablissement_id=etablissement_id
            ),
        ),
    ).distinct()


class PersonneForm(forms.ModelForm):
    """Le dossier d'une personne. Un doublon possible (même écrou, ou mêmes nom, prénom et date
    de naissance) est signalé : il faut cocher « ce n'est pas la même personne » pour créer."""

    etablissement = forms.ModelChoiceField(
        queryset=Etablissement.objects.none(), label="Établissement", empty_label=None
    )
    date_naissance = ChampDate(label="Date de naissance")
    date_liberation_previsible = ChampDate(
        label="Date de libération prévisible",
        required=False,
        help_text="Celle du greffe (fiche pénale). Ne la calculez jamais depuis une peine.",
    )
    piece_identite_expiration = ChampDate(label="Date d'expiration de la pièce", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    pas_un_doublon = forms.BooleanField(
        label="J'ai vérifié : il ne s'agit pas de la même personne",
        required=False,
    )

    class Meta:
        model = Personne
        fields = [
            "nom",
            "prenom",
            "date_naissance",
            "numero_ecrou",
            "etablissement",
            "statut_penal",
            "date_liberation_previsible",
            "date_liberation_source",
            "piece_identite_type",
            "piece_identite_expiration",
            "cpip_referent",
        ]

    def __init__(
        self,
        *args: Any,
        etablissements: Sequence[Etablissement] = (),
        doublons_de: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.doublons: list[Personne] = []
        self._chercher_doublons = doublons_de
        if self.instance.pk:
            del self.fields["etablissement"]
            self.fields["version"].initial = self.instance.version
            etablissement_id = self.instance.etablissement_id
        else:
            del self.fields["version"]
            self.fields["etablissement"].queryset = Etablissement.objects.filter(
                pk__in=[e.pk for e in etablissements]
            )
            etablissement_id = etablissements[0].pk if len(etablissements) == 1 else None
            if len(etablissements) == 1:
                self.fields["etablissement"].initial = etablissements[0]
        self.fields["cpip_referent"].queryset = (
            cpip_de(etablissement_id)
            if etablissement_id
            else Utilisateur.objects.filter(
                is_active=True,
                affectations__in=Affectation.objects.actives().filter(
                    fonction=Fonction.CPIP_MF,
                    structure__etablissement__in=[e.pk for e in etablissements],
                ),
            ).distinct()
        )
        self.fields["cpip_referent"].label_from_instance = lambda u: u.get_full_name()
        self.fields["statut_penal"].choices = [
            ("", "Non renseigné"),
            *self.fields["statut_penal"].choices[1:],
        ]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        if self._chercher_doublons and not self.errors:
            etablissement = donnees.get("etablissement") or self.instance.etablissement
            self.doublons = self._chercher_doublons(
                nom=donnees.get("nom", ""),
                prenom=donnees.get("prenom", ""),
                date_naissance=donnees.get("date_naissance"),
                numero_ecrou=donnees.get("numero_ecrou", ""),
                etablissement=etablissement,
                exclure_pk=self.instance.pk,
            )
            if self.doublons and not donnees.get("pas_un_doublon"):
                raise forms.ValidationError(
                    "Un dossier ressemble à celui-ci (même numéro d'écrou, ou mêmes nom, prénom "
                    "et date de naissance). Vérifiez qu'il ne s'agit pas de la même personne."
                )
        return donnees


class InformationForm(forms.Form):
    date = ChampDate(label="Date de l'information")
    canal = forms.ChoiceField(label="Canal", choices=CanalInformation.choices)
    commentaire = forms.CharField(
        label="Commentaire (facultatif)", required=False, max_length=500, widget=forms.Textarea
    )

    def clean_date(self) -> datetime.date | None:
        return _pas_dans_le_futur(self.cleaned_data.get("date"), "La date de l'information")


class OrientationForm(forms.Form):
    signalee_le = ChampDate(label="Date du signalement", initial=timezone.localdate)
    motif = forms.CharField(
        label="Motif de l'orientation",
        max_length=2000,
        widget=forms.Textarea,
        help_text="Ce qui motive l'orientation vers l'IAE. Aucune donnée de santé ni infraction.",
    )

    def clean_signalee_le(self) -> datetime.date | None:
        return _pas_dans_le_futur(self.cleaned_data.get("signalee_le"), "La date du signalement")


class SignalementForm(OrientationForm):
    """L'orienteur désigne la personne par son écrou et son identité (il ne voit pas les dossiers)."""

    etablissement = forms.ModelChoiceField(
        queryset=Etablissement.objects.none(), label="Établissement", empty_label=None
    )
    numero_ecrou = forms.CharField(label="Numéro d'écrou", max_length=20)
    nom = forms.CharField(label="Nom", max_length=150)
    prenom = forms.CharField(label="Prénom", max_length=150)
    date_naissance = ChampDate(label="Date de naissance")

    field_order = ["etablissement", "numero_ecrou", "nom", "prenom", "date_naissance"]

    def __init__(self, *args: Any, etablissements: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["etablissement"].queryset = Etablissement.objects.filter(
            pk__in=list(etablissements)
        )


class AvisForm(forms.Form):
    avis = forms.ChoiceField(
        label="Avis du SPIP", choices=AvisSpip.choices, widget=forms.RadioSelect
    )
    avis_motif_principal = forms.ChoiceField(
        label="Motif principal",
        required=False,
        choices=[("", "—"), *MotifAvis.choices],
        help_text="Obligatoire pour un avis réservé ou défavorable ; compté dans le pilotage.",
    )
    avis_motifs = forms.CharField(
        label="Motifs",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Obligatoires pour un avis réservé ou défavorable ; restent dans le dossier.",
    )

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        if donnees.get("avis") in {AvisSpip.RESERVE, AvisSpip.DEFAVORABLE}:
            if not (donnees.get("avis_motifs") or "").strip():
                self.add_error(
                    "avis_motifs", "Précisez les motifs d'un avis réservé ou défavorable."
                )
            if not donnees.get("avis_motif_principal"):
                self.add_error(
                    "avis_motif_principal",
                    "Choisissez le motif principal d'un avis réservé ou défavorable.",
                )
        return donnees


class ClotureForm(forms.Form):
    motif_cloture = forms.ChoiceField(label="Motif de clôture", choices=MotifCloture.choices)
    commentaire = forms.CharField(label="Précision (facultatif)", required=False, max_length=500)


class PrescriptionForm(forms.Form):
    implantation = forms.ModelChoiceField(
        queryset=Implantation.objects.none(), label="SIAE", empty_label=None
    )
    criteres_confirmes = forms.MultipleChoiceField(
        label="Critères locaux de la charte",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Confirmez chaque critère local : tous doivent l'être pour prescrire.",
    )
    commentaire = forms.CharField(
        label="Commentaire (facultatif)", required=False, max_length=1000, widget=forms.Textarea
    )

    def __init__(
        self, *args: Any, implantations: Any, criteres_locaux: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implantation"].queryset = implantations
        self.fields["implantation"].label_from_instance = lambda i: str(i.siae)
        if criteres_locaux:
            self.fields["criteres_confirmes"].choices = [(c, c) for c in criteres_locaux]
        else:
            del self.fields["criteres_confirmes"]

    def clean_criteres_confirmes(self) -> list[str]:
        confirmes = self.cleaned_data.get("criteres_confirmes") or []
        if len(confirmes) != len(self.fields["criteres_confirmes"].choices):
            raise forms.ValidationError("Confirmez chacun des critères locaux de la charte.")
        return confirmes


class DemandeClassementForm(forms.Form):
    date_demande = ChampDate(label="Date de la demande", initial=timezone.localdate)
    commentaire = forms.CharField(label="Commentaire (facultatif)", required=False, max_length=500)

    def clean_date_demande(self) -> datetime.date | None:
        return _pas_dans_le_futur(self.cleaned_data.get("date_demande"), "La date de la demande")


class SessionCPUForm(forms.Form):
    date = ChampDate(label="Date de la CPU")

    def clean_date(self) -> datetime.date | None:
        jour = self.cleaned_data.get("date")
        if jour and abs((jour - timezone.localdate()).days) > 366:
            raise forms.ValidationError("Choisissez une date à moins d'un an d'aujourd'hui.")
        return jour


class InscriptionCPUForm(forms.Form):
    numero_ecrou = forms.CharField(label="Numéro d'écrou de la personne", max_length=20)


class AvisCPUForm(forms.Form):
    avis = forms.ChoiceField(label="Avis de la CPU", choices=AvisCPU.choices)
    commentaire = forms.CharField(label="Commentaire (facultatif)", required=False, max_length=1000)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision du chef d'établissement", choices=DecisionClassement.choices
    )
    date_decision = ChampDate(label="Date de la décision")


class FiltrePersonnesForm(forms.Form):
    q = forms.CharField(label="Nom ou écrou", required=False, max_length=100)
    suivi = forms.ChoiceField(
        label="Suivi",
        required=False,
        choices=[("moi", "Mes personnes"), ("tous", "Tout l'établissement")],
    )
    statut_penal = forms.ChoiceField(
        label="Statut pénal",
        required=False,
        choices=[("", "Tous"), *Personne._meta.get_field("statut_penal").choices],
    )
