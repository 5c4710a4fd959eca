"""L'administration nationale : établissements, structures, implantations, agents, affectations.
Les affectations passent par les services, pour que les droits suivent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest

from charte_iae import services
from charte_iae.models import (
    Affectation,
    Charte,
    EntreeAudit,
    Etablissement,
    Implantation,
    Structure,
    Utilisateur,
)


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "type", "disp"]
    list_filter = ["disp", "type"]
    search_fields = ["nom", "code"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "milieu", "etablissement", "parent"]
    list_filter = ["type", "milieu"]
    search_fields = ["nom"]
    autocomplete_fields = ["etablissement", "parent"]


@admin.register(Implantation)
class ImplantationAdmin(admin.ModelAdmin):
    list_display = ["siae", "etablissement", "spip", "debut_implantation", "date_demarrage"]
    autocomplete_fields = ["siae", "etablissement", "spip"]

    def save_model(self, request: HttpRequest, obj: Implantation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.creer_charte(implantation=obj)


class UtilisateurCreationForm(UserCreationForm):
    class Meta:
        model = Utilisateur
        fields = ["email", "prenom", "nom"]


class UtilisateurChangeForm(UserChangeForm):
    class Meta:
        model = Utilisateur
        fields = ["email", "prenom", "nom", "is_active", "is_staff"]


class AffectationInline(admin.TabularInline):
    model = Affectation
    extra = 0
    fields = ["structure", "fonction", "debut", "fin"]
    readonly_fields = ["structure", "fonction", "debut", "fin"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    form = UtilisateurChangeForm
    add_form = UtilisateurCreationForm
    ordering = ["nom", "prenom"]
    list_display = ["email", "prenom", "nom", "is_active"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "nom", "prenom"]
    inlines = [AffectationInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["prenom", "nom"]}),
        ("Statut", {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "prenom", "nom", "password1", "password2"]},
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Utilisateur, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            services.resynchroniser_agent(utilisateur=obj)


class AffectationForm(forms.ModelForm):
    class Meta:
        model = Affectation
        fields = ["utilisateur", "structure", "fonction", "debut", "fin"]


@admin.register(Affectation)
class AffectationAdmin(admin.ModelAdmin):
    form = AffectationForm
    list_display = ["utilisateur", "structure", "fonction", "debut", "fin"]
    list_filter = ["fonction", "structure__type"]
    search_fields = ["utilisateur__email", "utilisateur__nom", "structure__nom"]
    autocomplete_fields = ["utilisateur", "structure"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Affectation | None = None
    ) -> list[str]:
        # Une affectation ne change pas de titulaire ni de structure : on la termine, on en crée une autre.
        return ["utilisateur", "structure", "fonction", "debut"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Affectation, form: Any, change: bool) -> None:
        if change:
            if obj.fin is not None:
                services.terminer_affectation(affectation=obj, fin=obj.fin)
            return
        created = services.affecter(
            utilisateur=obj.utilisateur,
            structure=obj.structure,
            fonction=obj.fonction,
            debut=obj.debut,
        )
        obj.pk = created.pk
        if obj.fin is not None:
            services.terminer_affectation(affectation=created, fin=obj.fin)


@admin.register(Charte)
class CharteAdmin(admin.ModelAdmin):
    list_display = ["implantation", "intitule", "creee_le"]
    readonly_fields = ["implantation", "creee_le"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EntreeAudit)
class EntreeAuditAdmin(admin.ModelAdmin):
    """Consultation seule : le journal est en ajout seul."""

    list_display = ["horodatage", "acteur", "action", "type_objet", "objet_id", "id_requete"]
    list_filter = ["action", "type_objet"]
    search_fields = ["=objet_id", "=id_requete"]
    list_select_related = ["acteur"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
