"""Démonstration de l'accompagnement : la présentation de la SIAE au JAP et, pour la première
personne prescrite vers la SIAE de démonstration (créée par l'étape du parcours), quelques
actions par domaine, un contact partenaire de la CIP, un projet d'aménagement avec un élément
de la SIAE et un rapport au JAP. Idempotent : rien n'est recréé s'il existe déjà."""

from __future__ import annotations

import datetime

from accompagnement import services
from accompagnement.enums import (
    StatutAction,
    TypeAction,
    TypeAmenagement,
    TypeElementAmenagement,
    TypeLiaisonJAP,
)
from accompagnement.models import PresentationJAP
from charte_iae.demo import ContexteDemo, etape
from parcours.models import Prescription


@etape(60)
def accompagnement(ctx: ContexteDemo) -> None:
    implantation = ctx.implantation
    if implantation is None:
        return
    cpip, cip, dpip = (
        ctx.agents["cpip@demo.test"],
        ctx.agents["cip@demo.test"],
        ctx.agents["dpip@demo.test"],
    )
    if not PresentationJAP.objects.filter(implantation=implantation).exists():
        services.enregistrer_presentation_jap(
            auteur=dpip,
            implantation=implantation,
            date=datetime.date(2026, 3, 16),
            participants="JAP du tribunal de Valmont, DPIP, direction et CIP de la SIAE",
            notes="Présentation des ateliers et du calendrier des recrutements.",
        )
    prescription = (
        Prescription.objects.filter(implantation=implantation, fin_le__isnull=True)
        .select_related("personne")
        .order_by("pk")
        .first()
    )
    if prescription is None or prescription.personne.actions.exists():
        return
    personne = prescription.personne
    services.enregistrer_action(
        auteur=cip,
        personne=personne,
        domaine="recherche_emploi_sortie",
        type=TypeAction.CONTACT_PARTENAIRE,
        date=datetime.date(2026, 4, 2),
        statut=StatutAction.REALISEE,
        partenaire="France Travail — agence justice de Valmont",
        resultat="Premier rendez-vous prévu un mois avant la sortie.",
    )
    services.enregistrer_action(
        auteur=cip,
        personne=personne,
        domaine="projet_professionnel",
        type=TypeAction.ATELIER,
        date=datetime.date(2026, 4, 9),
        statut=StatutAction.EN_COURS,
        resultat="Atelier CV et simulation d'entretien.",
    )
    services.enregistrer_action(
        auteur=cpip,
        personne=personne,
        domaine="acces_droits",
        type=TypeAction.DEMARCHE,
        date=datetime.date(2026, 4, 10),
        statut=StatutAction.A_FAIRE,
        resultat="",
    )
    projet = services.creer_projet_amenagement(
        auteur=cpip,
        personne=personne,
        type=TypeAmenagement.SEMI_LIBERTE,
        date_cible=datetime.date(2026, 9, 1),
    )
    element = services.apporter_element(
        auteur=cip,
        projet=projet,
        type=TypeElementAmenagement.ATTESTATION_EMPLOI,
        contenu="En poste à l'atelier menuiserie depuis le 2 mars 2026, assiduité régulière.",
    )
    services.enregistrer_liaison_jap(
        auteur=cpip,
        personne=personne,
        type=TypeLiaisonJAP.RAPPORT,
        date=datetime.date(2026, 4, 20),
        contenu="Rapport d'évolution à l'appui de la demande de semi-liberté.",
        projet=projet,
        elements=[element],
    )
