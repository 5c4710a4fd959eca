from django.urls import path

from accompagnement import views

app_name = "accompagnement"

urlpatterns = [
    path("personnes/<int:pk>/", views.suivi, name="suivi"),
    path("personnes/<int:pk>/actions/nouvelle/", views.action_nouvelle, name="action_nouvelle"),
    path("actions/<int:pk>/", views.action_modifier, name="action_modifier"),
    path(
        "personnes/<int:pk>/domaines/<slug:domaine>/",
        views.situation_domaine,
        name="situation_domaine",
    ),
    path("contacts-partenaires/", views.contacts_partenaires, name="contacts_partenaires"),
    path(
        "personnes/<int:pk>/amenagements/nouveau/",
        views.amenagement_nouveau,
        name="amenagement_nouveau",
    ),
    path("amenagements/<int:pk>/", views.amenagement, name="amenagement"),
    path("amenagements/<int:pk>/statut/", views.amenagement_statut, name="amenagement_statut"),
    path("amenagements/<int:pk>/elements/", views.element_nouveau, name="element_nouveau"),
    path("personnes/<int:pk>/jap/", views.liaisons_jap, name="liaisons_jap"),
    path(
        "personnes/<int:pk>/jap/nouvelle/",
        views.liaison_jap_nouvelle,
        name="liaison_jap_nouvelle",
    ),
    path("jap/<int:pk>/", views.liaison_jap, name="liaison_jap"),
    path("jap/presentations/", views.presentations_jap, name="presentations_jap"),
]
