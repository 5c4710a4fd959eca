"""Génération à l'échelle : cahiers de transmission (entrées, lectures), annuaire des
personnes ressources et réunions de chaque implantation, par lots."""

from __future__ import annotations

from charte_iae.generation import ContexteGeneration, etape
from charte_iae.insertion import inserer
from communication.enums import Domaine, TypeReunion
from communication.models import (
    CahierTransmission,
    DomaineRessource,
    EntreeCahier,
    LectureEntree,
    PersonneRessource,
    Reunion,
)
from parcours.models import Personne

TEXTES = (
    "Point fait en entretien : motivation intacte, ponctualité à l'atelier à travailler.",
    "Rendez-vous France Travail justice fixé ; à préparer ensemble la semaine prochaine.",
    "Attestation de formation remise ; à joindre au livret de compétences.",
    "Demande de renouvellement de la CNI déposée ; suivi par le CPIP.",
)
ORGANISATIONS = ("France Travail justice", "Mission locale", "SIAO", "CSAPA", "CAF", "AFPA")


@etape(30)
def cahiers_de_transmission(ctx: ContexteGeneration) -> None:
    """Un cahier pour chaque personne prescrite et une part des autres, avec des entrées du
    CPIP référent et des permanents de la SIAE, lues ou non."""
    rng = ctx.rng
    site_par_etablissement = {s.etablissement.pk: s for s in ctx.sites}
    prescrites = {p.personne_id for p in ctx.extra.get("prescriptions", [])}
    personnes = list(
        Personne.objects.filter(numero_ecrou__startswith="G")
        .order_by("pk")
        .values_list("pk", "etablissement_id", "cpip_referent_id")
    )
    cahiers, auteurs = [], []
    for pk, etablissement_id, cpip_id in personnes:
        if pk in prescrites or rng.random() < 0.1:
            cahiers.append(CahierTransmission(personne_id=pk, cree_le=ctx.instant(120)))
            auteurs.append((site_par_etablissement[etablissement_id], cpip_id))
    inserer(cahiers)
    entrees, lectures = [], []
    for cahier, (site, cpip_id) in zip(cahiers, auteurs, strict=True):
        for n in range(rng.randint(1, 6)):
            siae = rng.random() < 0.5
            cip_id = rng.choice(site.cips).pk
            entree = EntreeCahier(
                cahier=cahier,
                auteur_id=cip_id if siae else cpip_id,
                structure=site.siae if siae else site.spip_mf,
                ecrite_le=ctx.instant(rng.randint(0, 110), n),
                domaine=rng.choice(Domaine.values),
                texte=rng.choice(TEXTES),
                urgente=rng.random() < 0.05,
            )
            entrees.append(entree)
            # L'autre partie a lu la plupart des transmissions ; les plus récentes attendent.
            if rng.random() < 0.7:
                lectures.append((entree, cpip_id if siae else cip_id))
    inserer(entrees)
    inserer(
        [LectureEntree(entree=e, lecteur_id=lecteur, lue_le=e.ecrite_le) for e, lecteur in lectures]
    )
    ctx.journal(f"  {len(cahiers)} cahiers, {len(entrees)} entrées")


@etape(31)
def annuaire_et_reunions(ctx: ContexteGeneration) -> None:
    rng = ctx.rng
    ressources, domaines, reunions = [], [], []
    for site in ctx.sites:
        if site.demo:
            continue
        for n in range(8):
            ressource = PersonneRessource(
                implantation=site.implantation,
                nom=f"Contact {n + 1} ({site.etablissement.code})",
                organisation=rng.choice(ORGANISATIONS),
                fonction="Conseiller",
                telephone="01 23 45 67 89",
                creee_par=site.dpip,
                modifiee_par=site.dpip,
                creee_le=ctx.instant(300),
                modifiee_le=ctx.instant(300),
            )
            ressources.append(ressource)
            domaines.append((ressource, rng.sample(Domaine.values, 2)))
        for n in range(4):
            reunions.append(
                (
                    site,
                    Reunion(
                        implantation=site.implantation,
                        type=rng.choice(TypeReunion.values),
                        intitule=f"Réunion n° {n + 1}",
                        debut=ctx.instant(rng.randint(-30, 120)),
                        lieu="Salle d'activités",
                        ordre_du_jour="Orientations, parcours en cours, sorties à venir.",
                        creee_par=site.dpip,
                        modifiee_par=site.dpip,
                        creee_le=ctx.instant(150),
                        modifiee_le=ctx.instant(150),
                    ),
                )
            )
    inserer(ressources)
    inserer([DomaineRessource(ressource=r, domaine=d) for r, liste in domaines for d in liste])
    inserer([r for _, r in reunions])
    participants = Reunion.participants.through
    inserer(
        [
            participants(reunion_id=r.pk, utilisateur_id=u.pk)
            for site, r in reunions
            for u in {site.cpips[0], site.cips[0], site.dpip}
        ]
    )
    ctx.journal(f"  {len(ressources)} personnes ressources, {len(reunions)} réunions")
