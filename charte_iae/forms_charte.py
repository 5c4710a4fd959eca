"""Formulaires de la charte, construits à partir du modèle national : un formulaire par
article (ses champs à remplir et leurs rubriques) et la grille de répartition des rôles."""

from __future__ import annotations

from typing import Any

from django import forms
from dsfr.forms import DsfrBaseForm

from charte_iae.charte import ContenuVersion
from charte_iae.models import ArticleModele, ChampModele, ChefDeFile, RepartitionRoles
from charte_iae.models.charte import TypeChamp
from charte_iae.versions import COLONNES_REPARTITION, SaisieChamp

LONGUEUR_CRITERE = 300


def _nom(champ: ChampModele, sous: dict[str, Any] | None = None) -> str:
    return f"{champ.code}__{sous['code']}" if sous else champ.code


class FormulaireArticle(DsfrBaseForm):
    """Les champs à remplir d'un article, avec la consigne du modèle en aide."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, article: ArticleModele, contenu: ContenuVersion, **kwargs: Any
    ) -> None:
        self.article = article
        self.champs = contenu.champs_de(article)
        initial = {"revision": contenu.version.revision}
        super().__init__(*args, initial=initial, **kwargs)
        for champ in self.champs:
            if champ.type == TypeChamp.STRUCTURE:
                donnees = contenu.donnees(champ)
                for sous in champ.sous_champs:
                    nom = _nom(champ, sous)
                    self.fields[nom] = self._rubrique(sous)
                    self.initial[nom] = donnees.get(sous["code"], "")
                continue
            if champ.type == TypeChamp.CRITERES:
                self.fields[champ.code] = forms.CharField(
                    label=f"{champ.libelle} (un critère par ligne)",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                self.initial[champ.code] = "\n".join(c.libelle for c in contenu.criteres)
                continue
            libelle = champ.libelle
            if champ.type == TypeChamp.REPARTITION:
                libelle = f"{champ.libelle} : paragraphes rédigés (facultatif, en plus du tableau)"
            self.fields[champ.code] = forms.CharField(
                label=libelle, required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
            self.initial[champ.code] = contenu.texte(champ)

    @staticmethod
    def _rubrique(sous: dict[str, Any]) -> forms.Field:
        libelle = sous["libelle"]
        if sous["type"] == "booleen":
            return forms.BooleanField(label=libelle, required=False)
        if sous["type"] == "choix":
            return forms.ChoiceField(
                label=libelle, required=False, choices=[("", "— À choisir —"), *sous["choix"]]
            )
        if sous["type"] == "texte_long":
            return forms.CharField(
                label=libelle, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        return forms.CharField(label=libelle, required=False, max_length=300)

    def groupes(self) -> list[tuple[ChampModele, list[forms.BoundField]]]:
        """Chaque champ du modèle avec ses champs de saisie, pour l'afficher en groupe."""
        resultat = []
        for champ in self.champs:
            if champ.type == TypeChamp.STRUCTURE:
                resultat.append((champ, [self[_nom(champ, s)] for s in champ.sous_champs]))
            else:
                resultat.append((champ, [self[champ.code]]))
        return resultat

    def clean(self) -> dict[str, Any]:
        donnees = super().clean()
        for champ in self.champs:
            if champ.type == TypeChamp.STRUCTURE:
                for sous in champ.sous_champs:
                    cible = sous.get("rythme_de")
                    nom = _nom(champ, sous)
                    if cible and donnees.get(nom) and not self._coche(champ, cible, donnees):
                        self.add_error(nom, "Cochez ce moyen de communication ou videz son rythme.")
            elif champ.type == TypeChamp.CRITERES:
                trop_longs = [c for c in self._criteres(donnees) if len(c) > LONGUEUR_CRITERE]
                if trop_longs:
                    self.add_error(
                        champ.code,
                        f"Un critère tient en {LONGUEUR_CRITERE} caractères au plus : "
                        "passez à la ligne entre deux critères.",
                    )
        return donnees

    def _coche(self, champ: ChampModele, code: str, donnees: dict[str, Any]) -> bool:
        sous = next(s for s in champ.sous_champs if s["code"] == code)
        return sous["type"] != "booleen" or bool(donnees.get(_nom(champ, sous)))

    def _criteres(self, donnees: dict[str, Any]) -> list[str]:
        champ = next(c for c in self.champs if c.type == TypeChamp.CRITERES)
        lignes = (donnees.get(champ.code) or "").splitlines()
        return [ligne.strip(" \t-•·") for ligne in lignes if ligne.strip(" \t-•·")]

    def saisies(self) -> dict[str, SaisieChamp]:
        resultat = {}
        for champ in self.champs:
            if champ.type == TypeChamp.STRUCTURE:
                resultat[champ.code] = SaisieChamp(
                    donnees={
                        s["code"]: self.cleaned_data.get(_nom(champ, s))
                        for s in champ.sous_champs
                        if self.cleaned_data.get(_nom(champ, s)) not in (None, "", False)
                    }
                )
            elif champ.type == TypeChamp.CRITERES:
                resultat[champ.code] = SaisieChamp(criteres=self._criteres(self.cleaned_data))
            else:
                resultat[champ.code] = SaisieChamp(texte=self.cleaned_data[champ.code].strip())
        return resultat


LIBELLES_COLONNES = {
    "chef_de_file": "Chef de file",
    "cpip": "CPIP",
    "siae": "Permanents de la SIAE (CIP et ET)",
    "partage": "Interventions partagées",
    "autres": "Intervention d'autres acteurs",
}


class FormulaireRepartition(forms.Form):
    """La grille de répartition des rôles : une ligne par domaine, une cellule par colonne."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, lignes: list[RepartitionRoles], revision: int, **kwargs: Any
    ) -> None:
        kwargs["initial"] = {"revision": revision}
        super().__init__(*args, **kwargs)
        self.lignes = lignes
        for ligne in lignes:
            domaine = ligne.domaine.libelle
            self.fields[f"l{ligne.pk}-chef_de_file"] = forms.ChoiceField(
                label=f"Chef de file — {domaine}",
                required=False,
                choices=[("", "À définir"), *ChefDeFile.choices],
                widget=forms.Select(attrs={"class": "fr-select"}),
            )
            for col in COLONNES_REPARTITION[1:]:
                self.fields[f"l{ligne.pk}-{col}"] = forms.CharField(
                    label=f"{LIBELLES_COLONNES[col]} — {domaine}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
                )
            if ligne.domaine.local:
                self.fields[f"l{ligne.pk}-retirer"] = forms.BooleanField(
                    label=f"Retirer le domaine « {domaine} »", required=False
                )
            for col in COLONNES_REPARTITION:
                self.initial[f"l{ligne.pk}-{col}"] = getattr(ligne, col)

    def rangees(self) -> list[tuple[RepartitionRoles, list[forms.BoundField], Any]]:
        return [
            (
                ligne,
                [self[f"l{ligne.pk}-{col}"] for col in COLONNES_REPARTITION],
                self[f"l{ligne.pk}-retirer"] if ligne.domaine.local else None,
            )
            for ligne in self.lignes
        ]

    def valeurs(self) -> dict[int, dict[str, str]]:
        return {
            ligne.pk: {
                col: (self.cleaned_data.get(f"l{ligne.pk}-{col}") or "").strip()
                for col in COLONNES_REPARTITION
            }
            for ligne in self.lignes
        }

    def retirees(self) -> set[int]:
        return {ligne.pk for ligne in self.lignes if self.cleaned_data.get(f"l{ligne.pk}-retirer")}


class FormulaireDomaineLocal(DsfrBaseForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    libelle = forms.CharField(
        label="Ajouter un domaine local",
        max_length=200,
        help_text="Par exemple : « Accès au numérique », « Parentalité ».",
    )
