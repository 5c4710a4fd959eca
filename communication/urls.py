from django.urls import path

from communication.views import annuaire, cahier, notifications, reunions

app_name = "communication"

urlpatterns = [
    path("cahiers/", cahier.cahiers, name="cahiers"),
    path("cahiers/personnes/<int:pk>/", cahier.cahier, name="cahier"),
    path("cahiers/personnes/<int:pk>/ecrire/", cahier.cahier_ecrire, name="cahier_ecrire"),
    path("cahiers/entrees/<int:pk>/corriger/", cahier.entree_corriger, name="entree_corriger"),
    path("annuaire/", annuaire.annuaire, name="annuaire"),
    path("annuaire/export.csv", annuaire.annuaire_export, name="annuaire_export"),
    path("annuaire/ajouter/", annuaire.ressource_creer, name="ressource_creer"),
    path("annuaire/<int:pk>/modifier/", annuaire.ressource_modifier, name="ressource_modifier"),
    path("reunions/", reunions.reunions, name="reunions"),
    path("reunions/planifier/", reunions.reunion_creer, name="reunion_creer"),
    path("reunions/<int:pk>/", reunions.reunion, name="reunion"),
    path("reunions/<int:pk>/modifier/", reunions.reunion_modifier, name="reunion_modifier"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<int:pk>/lue/", notifications.notification_lue, name="notification_lue"),
    path(
        "notifications/<int:pk>/ouvrir/",
        notifications.notification_ouvrir,
        name="notification_ouvrir",
    ),
    path(
        "notifications/toutes-lues/",
        notifications.notifications_toutes_lues,
        name="notifications_toutes_lues",
    ),
    path(
        "notifications/preferences/",
        notifications.preferences_notifications,
        name="preferences_notifications",
    ),
]
