"""Formulaires du parcours côté SIAE et de la sortie. Ils valident la saisie ; les règles et
l'enregistrement sont dans ``services_siae``."""

from __future__ import annotations

from typing import Any

from django import forms

from charte_iae.models import Affectation, Utilisateur
from parcours.enums import (
    DecisionEntretien,
    DestinataireRemise,
    ModaliteRecueil,
    MotifNonRetenu,
    MotifSortie,
    MotifSuspension,
    NiveauCompetence,
    SituationSortie,
)
from parcours.models import (
    CompetenceLivret,
    DemarcheEngagee,
    FormationSuivie,
    PosteOccupe,
)


class ChampDate(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": "Saisissez une date valide (jj/mm/aaaa)."})
        super().__init__(*args, **kwargs)


class _AgentChoix(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Utilisateur) -> str:
        return obj.get_full_name()


def agents_de_siae(siae_id: int) -> Any:
    return (
        Utilisateur.objects.filter(
            is_active=True,
            affectations__in=Affectation.objects.actives().filter(structure_id=siae_id),
        )
        .distinct()
        .order_by("nom", "prenom")
    )


class _MotifNonRetenuMixin:
    def clean(self) -> dict[str, Any]:
        donnees = super().clean()  # type: ignore[misc]
        if donnees.get("decision") == DecisionEntretien.NON_RETENU:
            if not donnees.get("motif_non_retenu"):
                self.add_error(  # type: ignore[attr-defined]
                    "motif_non_retenu", "Indiquez pourquoi la personne n'est pas retenue."
                )
            elif (
                donnees["motif_non_retenu"] == MotifNonRetenu.AUTRE
                and not donnees.get("motif_precision", "").strip()
            ):
                self.add_error("motif_precision", "Précisez le motif.")  # type: ignore[attr-defined]
        return donnees


class EntretienForm(_MotifNonRetenuMixin, forms.Form):
    date = ChampDate(label="Date de l'entretien")
    interlocuteurs = _AgentChoix(
        queryset=Utilisateur.objects.none(),
        label="Mené par",
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000, required=False
    )
    decision = forms.ChoiceField(
        label="Décision", choices=DecisionEntretien.choices, widget=forms.RadioSelect
    )
    motif_non_retenu = forms.ChoiceField(
        label="Motif (si non retenu)",
        choices=[("", "—"), *MotifNonRetenu.choices],
        required=False,
    )
    motif_precision = forms.CharField(label="Précision", max_length=500, required=False)

    def __init__(self, *args: Any, siae_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interlocuteurs"].queryset = agents_de_siae(siae_id)


class DecisionEntretienForm(_MotifNonRetenuMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[c for c in DecisionEntretien.choices if c[0] != DecisionEntretien.EN_ATTENTE],
        widget=forms.RadioSelect,
    )
    motif_non_retenu = forms.ChoiceField(
        label="Motif (si non retenu)",
        choices=[("", "—"), *MotifNonRetenu.choices],
        required=False,
    )
    motif_precision = forms.CharField(label="Précision", max_length=500, required=False)


class ParcoursForm(forms.Form):
    date_debut = ChampDate(label="Début du contrat d'emploi pénitentiaire (CEP)")
    activite_support = forms.CharField(label="Activité support", max_length=200)
    poste = forms.CharField(label="Poste", max_length=200)
    heures_hebdomadaires = forms.DecimalField(
        label="Heures hebdomadaires", min_value=1, max_value=35, max_digits=4, decimal_places=1
    )
    cep_signe_le = ChampDate(
        label="CEP signé le",
        required=False,
        help_text="À signer, avec sa convention annexée, dans les 2 jours ouvrés du début.",
    )


class SignatureCepForm(forms.Form):
    signe_le = ChampDate(label="CEP signé le")


class SuspensionForm(forms.Form):
    debut = ChampDate(label="Du")
    fin = ChampDate(label="Au", required=False, help_text="Laissez vide si elle est en cours.")
    motif = forms.ChoiceField(label="Motif", choices=MotifSuspension.choices)
    precision = forms.CharField(label="Précision", max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        if donnees.get("debut") and donnees.get("fin") and donnees["fin"] < donnees["debut"]:
            self.add_error("fin", "La fin de la suspension ne peut précéder son début.")
        return donnees


class SortieForm(forms.Form):
    date_sortie = ChampDate(label="Date de sortie")
    motif_sortie = forms.ChoiceField(label="Motif de sortie", choices=MotifSortie.choices)
    sortie_precision = forms.CharField(label="Précision", max_length=500, required=False)
    situation_sortie = forms.ChoiceField(
        label="Situation de la personne à la sortie",
        choices=SituationSortie.choices,
        help_text="Ce que la SIAE en sait ce jour-là (« Non connue » si rien n'est acquis).",
    )


class AccordForm(forms.Form):
    accord = forms.TypedChoiceField(
        label="La personne accepte-t-elle que la SIAE continue de l'accompagner après sa sortie ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
    )
    accord_date = ChampDate(label="Réponse recueillie le")
    accord_modalite = forms.ChoiceField(
        label="Comment la réponse a été recueillie", choices=ModaliteRecueil.choices
    )
    accord_precision = forms.CharField(label="Précision", max_length=300, required=False)


class CompetenceForm(forms.ModelForm):
    prefix = "competence"

    class Meta:
        model = CompetenceLivret
        fields = ["categorie", "intitule", "niveau"]


class ObservationForm(forms.Form):
    date = ChampDate(label="Date de l'observation")
    niveau = forms.ChoiceField(label="Niveau constaté", choices=NiveauCompetence.choices)
    texte = forms.CharField(
        label="Observation", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PosteForm(forms.ModelForm):
    prefix = "poste"
    debut = ChampDate(label="Du")
    fin = ChampDate(label="Au", required=False)

    class Meta:
        model = PosteOccupe
        fields = ["intitule", "debut", "fin"]

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        if donnees.get("debut") and donnees.get("fin") and donnees["fin"] < donnees["debut"]:
            self.add_error("fin", "La fin ne peut précéder le début.")
        return donnees


class FormationForm(forms.ModelForm):
    prefix = "formation"
    date = ChampDate(label="Date (ou fin)")

    class Meta:
        model = FormationSuivie
        fields = ["intitule", "organisme", "date", "certification"]


class DemarcheForm(forms.ModelForm):
    prefix = "demarche"
    date = ChampDate(label="Date")

    class Meta:
        model = DemarcheEngagee
        fields = ["date", "intitule", "partenaire"]


class ProjetForm(forms.Form):
    objectifs = forms.CharField(
        label="Objectifs", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    projet_professionnel = forms.CharField(
        label="Projet professionnel",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RemiseForm(forms.Form):
    destinataire = forms.ChoiceField(label="Remis", choices=DestinataireRemise.choices)
    date = ChampDate(label="Date de remise")


class _CpipChoix(forms.ModelChoiceField):
    def label_from_instance(self, obj: Utilisateur) -> str:
        return obj.get_full_name()


class PassageForm(forms.Form):
    cpip_mo = _CpipChoix(queryset=Utilisateur.objects.none(), label="CPIP de milieu ouvert désigné")
    projet = forms.CharField(
        label="Projet et éléments transmis",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, cpip_disponibles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cpip_mo"].queryset = cpip_disponibles


class RenvoiForm(forms.Form):
    motif_renvoi = forms.CharField(
        label="Motif du renvoi", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
