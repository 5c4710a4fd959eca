"""Administration nationale : consultation seulement pour le cahier (les entrées ne se
suppriment ni ne se modifient), tenue de l'annuaire et des réunions en dépannage."""

from django.contrib import admin
from django.http import HttpRequest

from communication.models import CahierTransmission, EntreeCahier, PersonneRessource, Reunion


class LectureSeuleAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CahierTransmission)
class CahierTransmissionAdmin(LectureSeuleAdmin):
    list_display = ["pk", "cree_le"]


@admin.register(EntreeCahier)
class EntreeCahierAdmin(LectureSeuleAdmin):
    list_display = ["pk", "ecrite_le", "structure", "domaine", "urgente"]
    list_filter = ["urgente", "domaine"]


@admin.register(PersonneRessource)
class PersonneRessourceAdmin(admin.ModelAdmin):
    list_display = ["nom", "organisation", "fonction", "implantation", "active"]
    search_fields = ["nom", "organisation"]
    list_filter = ["active"]
    readonly_fields = ["creee_le", "creee_par", "modifiee_le", "modifiee_par"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Reunion)
class ReunionAdmin(admin.ModelAdmin):
    list_display = ["debut", "type", "intitule", "implantation"]
    list_filter = ["type"]
    fields = ["implantation", "type", "intitule", "debut", "lieu"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
