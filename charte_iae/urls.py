from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from charte_iae import proconnect, views, views_impression, views_securite
from charte_iae.forms import ConnexionForm

admin.site.site_header = "Charte IAE — administration nationale"
admin.site.site_title = "Charte IAE"
admin.site.index_title = "Établissements, structures et agents"

comptes = [
    path(
        "connexion/",
        proconnect.ConnexionView.as_view(
            template_name="registration/connexion.html",
            authentication_form=ConnexionForm,
            redirect_authenticated_user=True,
        ),
        name="connexion",
    ),
    path("deconnexion/", proconnect.deconnexion, name="deconnexion"),
    path("proconnect/connexion/", proconnect.connexion, name="proconnect_connexion"),
    path("proconnect/retour/", proconnect.retour, name="proconnect_retour"),
    path("double-facteur/", views_securite.otp_verifier, name="otp_verifier"),
    path("double-facteur/activer/", views_securite.otp_activer, name="otp_activer"),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/mdp_oublie.html",
            email_template_name="registration/mdp_oublie_email.txt",
            subject_template_name="registration/mdp_oublie_sujet.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/mdp_oublie_envoye.html"
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="registration/mdp_nouveau.html"),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/mdp_termine.html"),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/changer/",
        auth_views.PasswordChangeView.as_view(template_name="registration/mdp_changer.html"),
        name="password_change",
    ),
    path(
        "mot-de-passe/changer/termine/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/mdp_change.html"),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("comptes/", include(comptes)),
    path("chartes/", views.chartes, name="chartes"),
    path("chartes/", include("charte_iae.urls_charte")),
    path(
        "implantations/<int:implantation_pk>/notice-information.pdf",
        views_impression.notice_information,
        name="notice_information",
    ),
    path("impressions/notices/", views_impression.notices_en_lot, name="notices_en_lot"),
    path("impressions/<int:pk>/", views_impression.lot_impression, name="lot_impression"),
    path(
        "impressions/<int:pk>/telecharger/",
        views_impression.lot_telecharger,
        name="lot_telecharger",
    ),
    path("mesure/temoin/<int:pk>/", views.temoin, name="temoin"),
    path("parcours/", include("parcours.urls")),
    path("", include("communication.urls")),
    path("siae/", include("parcours.urls_siae")),
    path("accompagnement/", include("accompagnement.urls")),
    path(
        "journal/<str:type_objet>/<str:objet_id>/",
        views_securite.journal_objet,
        name="journal_objet",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
]

handler403 = "charte_iae.views.erreur_403"
handler404 = "charte_iae.views.erreur_404"
handler500 = "charte_iae.views.erreur_500"
