"""Génération à l'échelle : l'accompagnement des personnes suivies (actions par domaine de la
charte, situation des domaines, contacts partenaires), la préparation des aménagements de
peine avec les éléments de la SIAE, les échanges avec le JAP et les présentations de la SIAE au
JAP, par lots. Les droits sur les échanges avec le JAP sont posés par leur règle
(``RegleLiaisonJAP``), à l'étape finale du noyau, comme pour les dossiers."""

from __future__ import annotations

import datetime

from accompagnement.enums import (
    TYPES_AVEC_PARTENAIRE,
    Cote,
    DomaineNational,
    StatutAction,
    StatutDomaine,
    StatutProjetAmenagement,
    TypeAction,
    TypeAmenagement,
    TypeElementAmenagement,
    TypeLiaisonJAP,
)
from accompagnement.models import (
    ActionAccompagnement,
    ElementAmenagement,
    LiaisonJAP,
    PresentationJAP,
    ProjetAmenagement,
    SituationDomaine,
)
from charte_iae.generation import ContexteGeneration, etape
from charte_iae.insertion import inserer
from communication.models import PersonneRessource
from parcours.models import Personne

PARTENAIRES = (
    "France Travail — agence justice",
    "Mission locale",
    "SIAO",
    "CAF",
    "AFPA — centre de formation",
)
RESULTATS = (
    "Rendez-vous fixé un mois avant la sortie.",
    "Dossier déposé ; réponse attendue.",
    "",
)


@etape(40)
def accompagnement(ctx: ContexteGeneration) -> None:
    """Les personnes prescrites sont accompagnées par le CPIP référent et les permanents de la
    SIAE ; une part des autres a des actions du seul SPIP. Un projet d'aménagement pour une part
    des personnes en parcours, avec les éléments de la SIAE et les échanges du SPIP avec le JAP."""
    rng, jour = ctx.rng, ctx.jour
    domaines = DomaineNational.values
    site_par_etablissement = {s.etablissement.pk: s for s in ctx.sites}
    prescrites = {p.personne_id for p in ctx.extra.get("prescriptions", []) if p.fin_le is None}
    en_parcours = {p.personne_id for p in ctx.extra.get("parcours_iae", []) if p.est_actif}
    ressources: dict[int, list[PersonneRessource]] = {}
    for r in PersonneRessource.objects.filter(
        implantation__in=[s.implantation for s in ctx.sites]
    ).order_by("pk"):
        ressources.setdefault(r.implantation_id, []).append(r)
    personnes = list(
        Personne.objects.filter(numero_ecrou__startswith="G")
        .order_by("pk")
        .values_list("pk", "etablissement_id", "cpip_referent_id")
    )
    actions, situations, projets = [], [], []
    for pk, etablissement_id, cpip_id in personnes:
        prescrite = pk in prescrites
        if not prescrite and rng.random() >= 0.15:
            continue
        site = site_par_etablissement[etablissement_id]
        annuaire = ressources.get(site.implantation.pk, [])
        for n in range(rng.randint(1, 6) if prescrite else rng.randint(1, 2)):
            siae = prescrite and rng.random() < 0.5
            type_ = rng.choice(TypeAction.values)
            ressource = rng.choice(annuaire) if annuaire and rng.random() < 0.5 else None
            partenaire = ""
            if type_ in TYPES_AVEC_PARTENAIRE:
                partenaire = (
                    f"{ressource.organisation} — {ressource.nom}"
                    if ressource
                    else rng.choice(PARTENAIRES)
                )
            else:
                ressource = None
            jours = rng.randint(0, 180)
            agent_id = rng.choice([*site.cips, *site.ets]).pk if siae else cpip_id
            actions.append(
                ActionAccompagnement(
                    personne_id=pk,
                    domaine=rng.choice(domaines),
                    type=type_,
                    date=jour - datetime.timedelta(days=jours),
                    agent_id=agent_id,
                    cote=Cote.SIAE if siae else Cote.SPIP,
                    personne_ressource=ressource,
                    partenaire=partenaire,
                    statut=rng.choice(StatutAction.values),
                    resultat=rng.choice(RESULTATS),
                    creee_le=ctx.instant(jours, n),
                    modifiee_le=ctx.instant(jours, n),
                    modifiee_par_id=agent_id,
                )
            )
        for domaine in rng.sample(domaines, rng.randint(0, 3)):
            situations.append(
                SituationDomaine(
                    personne_id=pk,
                    domaine=domaine,
                    statut=rng.choice(StatutDomaine.values),
                    modifiee_le=ctx.instant(rng.randint(0, 180)),
                    modifiee_par_id=cpip_id,
                )
            )
        if pk in en_parcours and rng.random() < 0.3:
            projets.append(
                (
                    site,
                    cpip_id,
                    ProjetAmenagement(
                        personne_id=pk,
                        type=rng.choice(TypeAmenagement.values),
                        date_cible=jour + datetime.timedelta(days=rng.randint(30, 200)),
                        statut=rng.choice(
                            [StatutProjetAmenagement.EN_PREPARATION] * 3
                            + [StatutProjetAmenagement.DEPOSE]
                        ),
                        cree_le=ctx.instant(rng.randint(20, 60)),
                        cree_par_id=cpip_id,
                        modifie_le=ctx.instant(rng.randint(0, 20)),
                        modifie_par_id=cpip_id,
                    ),
                )
            )
    inserer(actions)
    inserer(situations)
    inserer([p for _, _, p in projets])

    elements = []
    for site, _, projet in projets:
        elements.append(
            (
                projet,
                ElementAmenagement(
                    projet=projet,
                    type=rng.choice(
                        [TypeElementAmenagement.ATTESTATION_EMPLOI]
                        + [TypeElementAmenagement.OBSERVATIONS] * 2
                    ),
                    contenu="Assidu à l'atelier depuis son arrivée ; poste tenu sans difficulté.",
                    auteur=rng.choice(site.cips),
                    cote=Cote.SIAE,
                    cree_le=ctx.instant(rng.randint(5, 20)),
                ),
            )
        )
    inserer([e for _, e in elements])
    element_de = {projet.pk: element for projet, element in elements}
    liaisons = []
    for _, cpip_id, projet in projets:
        for n in range(rng.randint(1, 3)):
            jours = rng.randint(0, 20)
            liaisons.append(
                LiaisonJAP(
                    personne_id=projet.personne_id,
                    type=TypeLiaisonJAP.RAPPORT if n == 0 else rng.choice(TypeLiaisonJAP.values),
                    date=jour - datetime.timedelta(days=jours),
                    auteur_id=cpip_id,
                    contenu="Rapport d'évolution : parcours IAE suivi avec assiduité.",
                    projet=projet,
                    creee_le=ctx.instant(jours, n),
                )
            )
    inserer(liaisons)
    jointures = LiaisonJAP.elements.through
    inserer(
        [
            jointures(
                liaisonjap_id=liaison.pk, elementamenagement_id=element_de[liaison.projet_id].pk
            )
            for liaison in liaisons
            if liaison.type == TypeLiaisonJAP.RAPPORT
        ]
    )
    inserer(
        [
            PresentationJAP(
                implantation=site.implantation,
                date=jour - datetime.timedelta(days=rng.randint(30, 300)),
                participants="JAP du tribunal judiciaire, DPIP, direction et CIP de la SIAE",
                notes="Présentation des ateliers et du calendrier des recrutements.",
                creee_le=ctx.instant(rng.randint(30, 300)),
                creee_par=site.dpip,
            )
            for site in ctx.sites
            if not site.demo
        ]
    )
    ctx.journal(
        f"  {len(actions)} actions, {len(situations)} situations de domaine, "
        f"{len(projets)} projets d'aménagement, {len(liaisons)} échanges avec le JAP"
    )
