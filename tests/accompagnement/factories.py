"""Fabriques de l'accompagnement : elles passent par les services, pour que règles, droits et
notifications suivent comme en vrai."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accompagnement import services
from accompagnement.enums import StatutAction, TypeAction, TypeLiaisonJAP
from accompagnement.models import ActionAccompagnement, LiaisonJAP
from charte_iae.models import Utilisateur
from parcours.models import Personne


def action(
    *,
    auteur: Utilisateur,
    personne: Personne,
    domaine: str = "projet_professionnel",
    type: str = TypeAction.ENTRETIEN,
    partenaire: str = "",
    statut: str = StatutAction.REALISEE,
    date: datetime.date | None = None,
) -> ActionAccompagnement:
    return services.enregistrer_action(
        auteur=auteur,
        personne=personne,
        domaine=domaine,
        type=type,
        date=date or timezone.localdate(),
        statut=statut,
        partenaire=partenaire,
        resultat="",
    )


def liaison_jap(
    *, auteur: Utilisateur, personne: Personne, contenu: str = "Rapport d'évolution du parcours."
) -> LiaisonJAP:
    return services.enregistrer_liaison_jap(
        auteur=auteur,
        personne=personne,
        type=TypeLiaisonJAP.RAPPORT,
        date=timezone.localdate(),
        contenu=contenu,
    )
