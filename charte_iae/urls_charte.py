from django.urls import path

from charte_iae import views_charte as v

urlpatterns = [
    path("<int:pk>/", v.charte_detail, name="charte_detail"),
    path("<int:pk>/versions/<int:numero>/", v.charte_version, name="charte_version"),
    path(
        "<int:pk>/versions/<int:numero>/charte.pdf",
        v.charte_version_pdf,
        name="charte_version_pdf",
    ),
    path("<int:pk>/comparer/", v.charte_comparer, name="charte_comparer"),
    path("<int:pk>/modifier/", v.charte_modifier, name="charte_modifier"),
    path(
        "<int:pk>/modifier/nouvelle-version/",
        v.charte_nouvelle_version,
        name="charte_nouvelle_version",
    ),
    path("<int:pk>/modifier/articles/<int:article_pk>/", v.charte_article, name="charte_article"),
    path("<int:pk>/modifier/repartition/", v.charte_repartition, name="charte_repartition"),
    path(
        "<int:pk>/modifier/repartition/domaine/",
        v.charte_domaine_ajouter,
        name="charte_domaine_ajouter",
    ),
    path("<int:pk>/modifier/soumettre/", v.charte_soumettre, name="charte_soumettre"),
    path("<int:pk>/modifier/retirer/", v.charte_retirer, name="charte_retirer"),
    path("<int:pk>/modifier/approuver/", v.charte_approuver, name="charte_approuver"),
]
