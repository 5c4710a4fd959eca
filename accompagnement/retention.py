"""Conservation côté accompagnement : pour une personne libérée depuis plus de
RETENTION_DOSSIERS_JOURS, le résultat des actions, le nom des partenaires contactés, les
éléments d'aménagement et le contenu des échanges avec le JAP sont effacés. Les lignes restent
(type, domaine, statut, dates, côté) : les statistiques ne changent pas, et un contact noué
avec un partenaire reste compté comme tel."""

from __future__ import annotations

from accompagnement.models import ActionAccompagnement, ElementAmenagement, LiaisonJAP
from charte_iae.retention import ContexteRetention, etape_retention
from charte_iae.retention_textes import ANONYMISE, effacer_textes
from parcours.retention import personnes_perimees


@etape_retention(30)
def effacer_textes_accompagnement(ctx: ContexteRetention) -> None:
    perimees = personnes_perimees(ctx).values("pk")
    actions = ActionAccompagnement.objects.filter(personne__in=perimees)
    effacer_textes(ctx, actions, {"resultat": ""}, "résultats d'actions effacés")
    effacer_textes(
        ctx,
        actions.exclude(partenaire=""),
        {"partenaire": ANONYMISE},
        "partenaires contactés anonymisés",
    )
    effacer_textes(
        ctx,
        ElementAmenagement.objects.filter(projet__personne__in=perimees),
        {"contenu": ANONYMISE},
        "éléments d'aménagement effacés",
    )
    effacer_textes(
        ctx,
        LiaisonJAP.objects.filter(personne__in=perimees),
        {"contenu": ANONYMISE},
        "échanges avec le JAP effacés",
    )
