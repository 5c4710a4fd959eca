"""Les statistiques de pilotage (DPIP, référent IAE, direction de SIAE, administrateurs DISP et
national) : entonnoir, taux, délais, motifs ; tableaux, graphiques SVG et export CSV. Aucun nom."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from parcours import statistiques
from parcours.forms_pilotage import FiltreStatistiquesForm
from parcours.permissions import etablissements_pilotes

REFUS_STATISTIQUES = (
    "Les statistiques de pilotage sont réservées au DPIP, au référent IAE, à la direction de la "
    "SIAE et aux administrateurs."
)


def _calculer(request: HttpRequest) -> tuple[FiltreStatistiquesForm, statistiques.Statistiques]:
    perimetre = etablissements_pilotes(request.user)
    if not perimetre:
        raise PermissionDenied(REFUS_STATISTIQUES)
    du, au = statistiques.par_defaut(timezone.localdate())
    donnees = request.GET if request.GET else None
    form = FiltreStatistiquesForm(
        donnees, etablissement_ids=perimetre, initial={"du": du, "au": au}
    )
    choisis = perimetre
    if form.is_valid():
        du, au = form.cleaned_data["du"], form.cleaned_data["au"]
        if form.cleaned_data["etablissement"] is not None:
            choisis = {form.cleaned_data["etablissement"].pk}
    return form, statistiques.calculer(etablissement_ids=choisis, du=du, au=au)


def statistiques_pilotage(request: HttpRequest) -> HttpResponse:
    form, stats = _calculer(request)
    graphiques = [
        statistiques.graphique_barres(
            titre="Entonnoir : personnes de la cohorte à chaque étape",
            valeurs=[(e.libelle, e.effectif) for e in stats.entonnoir],
        ),
        statistiques.graphique_barres(
            titre="Délai médian depuis l'étape précédente (jours)",
            valeurs=[(e.libelle, e.delai_median_jours) for e in stats.entonnoir[1:]],
            unite=" j",
        ),
        *(
            statistiques.graphique_barres(
                titre=f"{tableau.titre} ({tableau.compte.lower()})",
                valeurs=[(m.libelle, m.total) for m in tableau.lignes],
            )
            for tableau in stats.motifs
            if tableau.lignes
        ),
    ]
    return render(
        request,
        "parcours/statistiques/statistiques.html",
        {
            "form": form,
            "stats": stats,
            "graphiques": graphiques,
            "parametres": request.GET.urlencode(),
        },
    )


def statistiques_csv(request: HttpRequest) -> HttpResponse:
    _, stats = _calculer(request)
    reponse = HttpResponse(
        "\ufeff" + statistiques.en_csv(stats), content_type="text/csv; charset=utf-8"
    )
    reponse["Content-Disposition"] = (
        f'attachment; filename="statistiques-iae-{stats.du:%Y%m%d}-{stats.au:%Y%m%d}.csv"'
    )
    return reponse
