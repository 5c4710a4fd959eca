"""Données de démonstration du parcours : des personnes à chaque étape (signalée, avis rendu,
prescrite, classée après CPU) et des personnes non éligibles pour chaque raison. Les dates
sont relatives au jour du chargement, pour que les verdicts restent vrais. Idempotent : une
personne déjà présente (même écrou) n'est pas recréée."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from charte_iae.demo import ContexteDemo, etape
from parcours import services
from parcours.enums import (
    AvisCPU,
    AvisSpip,
    CanalInformation,
    DecisionClassement,
    MotifAvis,
    MotifCloture,
    SourceDateLiberation,
    StatutPenal,
    TypePieceIdentite,
)
from parcours.models import Personne, SessionCPU

# (écrou, nom, prénom, statut, mois avant libération (None : inconnue), pièce, expiration en
#  jours (None : pas de date), étape atteinte)
PERSONNES_DEMO: list[tuple[str, str, str, str, Any, str, Any, str]] = [
    ("D-1001", "Martin", "Kevin", StatutPenal.CONDAMNE, 14, TypePieceIdentite.CNI, 900, "signalee"),
    (
        "D-1002",
        "Bernard",
        "Sofiane",
        StatutPenal.CONDAMNE,
        20,
        TypePieceIdentite.PASSEPORT,
        700,
        "avis",
    ),
    (
        "D-1003",
        "Petit",
        "Jordan",
        StatutPenal.CONDAMNE,
        10,
        TypePieceIdentite.CNI,
        1500,
        "prescrite",
    ),
    (
        "D-1004",
        "Durand",
        "Mehdi",
        StatutPenal.CONDAMNE,
        24,
        TypePieceIdentite.TITRE_SEJOUR,
        400,
        "classee",
    ),
    ("D-1005", "Leroy", "Anthony", StatutPenal.CONDAMNE, 4.3, TypePieceIdentite.CNI, 2000, "avis"),
    ("D-1006", "Moreau", "Dylan", StatutPenal.PREVENU, 12, TypePieceIdentite.CNI, 1200, "signalee"),
    (
        "D-1007",
        "Simon",
        "Lucas",
        StatutPenal.CONDAMNE,
        2,
        TypePieceIdentite.CNI,
        1200,
        "information",
    ),
    (
        "D-1008",
        "Laurent",
        "Bilal",
        StatutPenal.CONDAMNE,
        60,
        TypePieceIdentite.CNI,
        1200,
        "information",
    ),
    (
        "D-1009",
        "Lefebvre",
        "Yassine",
        StatutPenal.CONDAMNE,
        18,
        TypePieceIdentite.TITRE_SEJOUR,
        -20,
        "signalee",
    ),
    (
        "D-1010",
        "Michel",
        "Thomas",
        StatutPenal.MIXTE,
        15,
        TypePieceIdentite.CNI,
        1000,
        "information",
    ),
    (
        "D-1011",
        "Garcia",
        "Nicolas",
        StatutPenal.CONDAMNE,
        None,
        TypePieceIdentite.CNI,
        1000,
        "information",
    ),
    ("D-1012", "David", "Samir", StatutPenal.CONDAMNE, 16, "", None, "information"),
    ("D-1013", "Bertrand", "Julien", StatutPenal.CONDAMNE, 12, TypePieceIdentite.CNI, 800, "close"),
]


def _date_liberation(jour: datetime.date, mois: Any) -> datetime.date | None:
    if mois is None:
        return None
    entiers = int(mois)
    return jour + relativedelta(months=entiers, days=round((mois - entiers) * 30))


@etape(20)
def personnes_et_parcours(ctx: ContexteDemo) -> None:
    jour = timezone.localdate()
    cpip = ctx.agents["cpip@demo.test"]
    cpip2 = ctx.agents["cpip2@demo.test"]
    orienteur = ctx.agents["orienteur@demo.test"]
    implantation = ctx.implantation
    etablissement = ctx.etablissement
    if implantation is None or etablissement is None:
        raise RuntimeError("L'étape des organisations doit précéder celle du parcours.")
    session = SessionCPU.objects.filter(etablissement=etablissement).order_by("-date").first()

    for rang, (ecrou, nom, prenom, statut, mois, piece, expiration, etape_atteinte) in enumerate(
        PERSONNES_DEMO
    ):
        if Personne.objects.filter(etablissement=etablissement, numero_ecrou=ecrou).exists():
            continue
        dlp = _date_liberation(jour, mois)
        personne = services.creer_personne(
            personne=Personne(
                nom=nom,
                prenom=prenom,
                date_naissance=datetime.date(1985 + rang % 15, 1 + rang % 12, 1 + rang),
                numero_ecrou=ecrou,
                etablissement=etablissement,
                statut_penal=statut,
                date_liberation_previsible=dlp,
                date_liberation_source=SourceDateLiberation.FICHE_PENALE if dlp else "",
                piece_identite_type=piece,
                piece_identite_expiration=(
                    jour + datetime.timedelta(days=expiration) if expiration is not None else None
                ),
                cpip_referent=cpip if rang % 3 else cpip2,
            ),
            auteur=cpip,
        )
        services.enregistrer_information(
            personne=personne,
            auteur=cpip,
            date=jour - datetime.timedelta(days=60),
            canal=CanalInformation.ENTRETIEN_ARRIVANT,
        )
        if etape_atteinte == "information":
            continue
        orientation = services.signaler(
            personne=personne,
            auteur=orienteur,
            motif="Motivé pour travailler à l'atelier ; demande une formation qualifiante.",
            signalee_le=jour - datetime.timedelta(days=30),
        )
        if etape_atteinte == "signalee":
            continue
        favorable = etape_atteinte != "close"
        services.donner_avis(
            orientation=orientation,
            auteur=cpip,
            avis=AvisSpip.FAVORABLE if favorable else AvisSpip.DEFAVORABLE,
            motifs="" if favorable else "Projet de sortie incompatible avec l'activité support.",
            motif_principal="" if favorable else MotifAvis.AUTRE_PROJET,
        )
        if etape_atteinte == "close":
            services.cloturer_orientation(
                orientation=orientation, auteur=cpip, motif=MotifCloture.AVIS_DEFAVORABLE
            )
            continue
        if etape_atteinte == "avis":
            continue
        services.prescrire(
            orientation=orientation,
            implantation=implantation,
            auteur=cpip,
            criteres_locaux=[],
            criteres_confirmes=[],
        )
        if etape_atteinte == "prescrite":
            continue
        demande = services.preparer_demande_classement(
            personne=personne, auteur=cpip, date_demande=jour - datetime.timedelta(days=20)
        )
        services.deposer_demande_classement(demande=demande, auteur=cpip)
        if session is None:
            session = services.creer_session_cpu(
                etablissement=etablissement, date=jour - datetime.timedelta(days=7), auteur=cpip
            )
        examen = services.inscrire_en_cpu(session=session, personne=personne, auteur=cpip)
        services.enregistrer_avis_cpu(examen=examen, auteur=cpip, avis=AvisCPU.FAVORABLE)
        services.enregistrer_decision_classement(
            examen=examen,
            auteur=cpip,
            decision=DecisionClassement.CLASSE,
            date_decision=jour - datetime.timedelta(days=5),
        )


# Étapes du parcours côté SIAE et de la sortie (issue 5), découvertes avec ce module.
from parcours import demo_siae  # noqa: E402, F401
