"""Adresses du parcours côté SIAE et de la sortie (incluses sous /siae/ par charte_iae.urls)."""

from django.urls import path

from parcours import views_siae as v
from parcours.views import impression

app_name = "parcours_siae"

urlpatterns = [
    path("a-recevoir/", v.a_recevoir, name="a_recevoir"),
    path("en-parcours/", v.en_parcours, name="en_parcours"),
    path("sortis/", v.sortis, name="sortis"),
    path("prescriptions/<int:pk>/entretien/", v.entretien_creer, name="entretien_creer"),
    path("entretiens/<int:pk>/decision/", v.entretien_decider, name="entretien_decider"),
    path("prescriptions/<int:pk>/parcours/", v.parcours_creer, name="parcours_creer"),
    path("parcours/<int:pk>/", v.parcours_detail, name="parcours"),
    path("parcours/<int:pk>/cep/", v.parcours_cep, name="parcours_cep"),
    path("parcours/<int:pk>/suspension/", v.parcours_suspendre, name="parcours_suspendre"),
    path("parcours/<int:pk>/sortie/", v.parcours_sortie, name="parcours_sortie"),
    path("parcours/<int:pk>/accord/", v.parcours_accord, name="parcours_accord"),
    path("parcours/<int:pk>/livret/", v.livret, name="livret"),
    path("parcours/<int:pk>/livret/projet/", v.livret_projet, name="livret_projet"),
    path(
        "parcours/<int:pk>/livret/ajouter/<slug:section>/", v.livret_ajouter, name="livret_ajouter"
    ),
    path("livret/<slug:section>/<int:pk>/retirer/", v.livret_retirer, name="livret_retirer"),
    path("competences/<int:pk>/observer/", v.livret_observer, name="livret_observer"),
    path("livrets/<int:pk>/", v.livret_version, name="livret_version"),
    path("livrets/<int:pk>/finaliser/", v.livret_finaliser, name="livret_finaliser"),
    path("livrets/<int:pk>/corriger/", v.livret_corriger, name="livret_corriger"),
    path("livrets/<int:pk>/remise/", v.livret_remise, name="livret_remise"),
    path("livrets/<int:pk>/livret.pdf", impression.livret_pdf, name="livret_pdf"),
    path(
        "livrets/<int:pk>/remettre/<slug:destinataire>/",
        impression.livret_remettre,
        name="livret_remettre",
    ),
    path("livrets/imprimer-tout/", impression.livrets_en_lot, name="livrets_en_lot"),
    path("passages/<int:pk>/synthese.pdf", impression.passage_pdf, name="passage_pdf"),
    path("parcours/<int:pk>/passage/", v.passage_creer, name="passage_creer"),
    path("passages/<int:pk>/", v.passage_detail, name="passage"),
    path("passages/<int:pk>/accepter/", v.passage_accepter, name="passage_accepter"),
    path("passages/<int:pk>/renvoyer/", v.passage_renvoyer, name="passage_renvoyer"),
    path("passages/a-recevoir/", v.passages_a_recevoir, name="passages_a_recevoir"),
]
