from django.urls import path

from parcours.views import alertes, cpu, droit_acces, orientations, personnes, statistiques

app_name = "parcours"

urlpatterns = [
    path("personnes/", personnes.personnes, name="personnes"),
    path("personnes/eligibles/", personnes.eligibles, name="eligibles"),
    path("personnes/nouvelle/", personnes.personne_creer, name="personne_creer"),
    path("personnes/<int:pk>/", personnes.personne_detail, name="personne"),
    path("personnes/<int:pk>/modifier/", personnes.personne_modifier, name="personne_modifier"),
    path("personnes/<int:pk>/droit-d-acces/", droit_acces.droit_acces_page, name="droit_acces"),
    path(
        "personnes/<int:pk>/droit-d-acces/dossier.json",
        droit_acces.droit_acces_json,
        name="droit_acces_json",
    ),
    path(
        "personnes/<int:pk>/droit-d-acces/dossier.pdf",
        droit_acces.droit_acces_pdf,
        name="droit_acces_pdf",
    ),
    path(
        "personnes/<int:pk>/confirmer-condamnation/",
        personnes.condamnation_confirmer,
        name="condamnation_confirmer",
    ),
    path(
        "personnes/<int:pk>/information/",
        personnes.information_ajouter,
        name="information_ajouter",
    ),
    path("personnes/<int:pk>/orienter/", orientations.orientation_creer, name="orientation_creer"),
    path(
        "personnes/<int:pk>/classement/",
        personnes.demande_classement_creer,
        name="demande_classement_creer",
    ),
    path(
        "classement/<int:pk>/deposer/",
        personnes.demande_classement_deposer,
        name="demande_classement_deposer",
    ),
    path("orientations/", orientations.orientations, name="orientations"),
    path("orientations/signaler/", orientations.signaler, name="signaler"),
    path("orientations/<int:pk>/", orientations.orientation_detail, name="orientation"),
    path("orientations/<int:pk>/avis/", orientations.avis, name="avis"),
    path("orientations/<int:pk>/cloturer/", orientations.cloturer, name="cloturer"),
    path("orientations/<int:pk>/prescrire/", orientations.prescrire, name="prescrire"),
    path(
        "alertes/<int:pk>/prendre-en-compte/",
        alertes.alerte_prendre_en_compte,
        name="alerte_prendre_en_compte",
    ),
    path("statistiques/", statistiques.statistiques_pilotage, name="statistiques"),
    path("statistiques/export.csv", statistiques.statistiques_csv, name="statistiques_csv"),
    path("cpu/", cpu.sessions_cpu, name="sessions_cpu"),
    path("cpu/<int:pk>/", cpu.session_cpu, name="session_cpu"),
    path("cpu/<int:pk>/liste.pdf", cpu.session_cpu_pdf, name="session_cpu_pdf"),
    path("cpu/<int:pk>/documents/", cpu.session_cpu_documents, name="session_cpu_documents"),
    path("cpu/examens/<int:pk>/avis/", cpu.examen_avis, name="examen_avis"),
    path("cpu/examens/<int:pk>/decision/", cpu.examen_decision, name="examen_decision"),
]
