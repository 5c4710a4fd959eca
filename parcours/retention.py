"""Conservation côté parcours : les notes d'entretien et le projet transmis au milieu ouvert
d'une personne libérée depuis plus de RETENTION_DOSSIERS_JOURS sont effacés ; les lignes
(décisions, dates, motifs codés) restent pour les statistiques. Les textes libres du livret de
compétences (objectifs, projet, observations, démarches) aussi, même finalisé : l'effacement légal
prime sur l'immuabilité d'une version finalisée ; compétences, postes et formations restent."""

from __future__ import annotations

from django.db.models import QuerySet

from charte_iae.retention import ContexteRetention, etape_retention
from charte_iae.retention_textes import ANONYMISE, effacer_textes
from parcours.models import (
    DemarcheEngagee,
    EntretienRecrutement,
    LivretCompetences,
    ObservationCompetence,
    PassageMilieuOuvert,
    Personne,
    Prescription,
)


def personnes_perimees(ctx: ContexteRetention) -> QuerySet[Personne]:
    """Libérées (date du greffe) avant la limite de conservation, sans prescription active."""
    return Personne.objects.filter(
        date_liberation_previsible__lt=ctx.limite_dossiers.date()
    ).exclude(pk__in=Prescription.objects.filter(fin_le__isnull=True).values("personne_id"))


@etape_retention(20)
def effacer_textes_parcours(ctx: ContexteRetention) -> None:
    perimees = personnes_perimees(ctx).values("pk")
    effacer_textes(
        ctx,
        EntretienRecrutement.objects.filter(personne__in=perimees),
        {"notes": "", "motif_precision": ""},
        "notes d'entretien effacées",
    )
    effacer_textes(
        ctx,
        PassageMilieuOuvert.objects.filter(personne__in=perimees),
        {"projet": ANONYMISE, "motif_renvoi": ""},
        "projets transmis au milieu ouvert effacés",
    )
    livrets = LivretCompetences.objects.filter(parcours__personne__in=perimees)
    effacer_textes(
        ctx,
        livrets,
        {"objectifs": "", "projet_professionnel": ""},
        "objectifs et projets des livrets effacés",
        malgre_immuabilite=True,
    )
    effacer_textes(
        ctx,
        ObservationCompetence.objects.filter(competence__livret__in=livrets),
        {"texte": ANONYMISE},
        "observations des livrets effacées",
        malgre_immuabilite=True,
    )
    effacer_textes(
        ctx,
        DemarcheEngagee.objects.filter(livret__in=livrets),
        {"intitule": ANONYMISE, "partenaire": ANONYMISE},
        "démarches des livrets effacées",
        malgre_immuabilite=True,
    )
