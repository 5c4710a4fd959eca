from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBaseForm


class ConnexionForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail professionnelle",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé. Adressez-vous à votre administrateur local.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class DsfrModelForm(forms.ModelForm, DsfrBaseForm):
    """Formulaire de modèle rendu au gabarit du DSFR (libellés, erreurs en français sous le champ)."""
