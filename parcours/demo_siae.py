"""Données de démonstration du parcours côté SIAE et de la sortie : une personne à chaque
étape (prescrite en attente d'entretien, entretien en attente de décision, en parcours avec
un CEP non signé, en parcours avec un livret en cours, sortie avec un passage qui attend le
CPIP de milieu ouvert, passage accepté). Dates relatives au jour du chargement. Idempotent :
une personne déjà présente (même écrou) n'est pas recréée."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from charte_iae import acces
from charte_iae.demo import ContexteDemo, etape
from parcours import services_siae as services
from parcours.enums import (
    AvisSpip,
    CategorieCompetence,
    DecisionEntretien,
    NiveauCompetence,
    SourceDateLiberation,
    StatutPenal,
    TypePieceIdentite,
)
from parcours.models import (
    CompetenceLivret,
    DemarcheEngagee,
    FormationSuivie,
    Orientation,
    ParcoursIAE,
    Personne,
    PosteOccupe,
    Prescription,
)

# (écrou, nom, prénom, étape atteinte)
PERSONNES_SIAE_DEMO = [
    ("S-2001", "Roux", "Karim", "prescrite"),
    ("S-2002", "Fournier", "Steven", "entretien"),
    ("S-2003", "Girard", "Rayan", "parcours_cep"),
    ("S-2004", "Bonnet", "Loïc", "livret"),
    ("S-2005", "Dupont", "Ibrahim", "passage"),
    ("S-2006", "Lambert", "Hugo", "accepte"),
]


def _prescrire(ctx: ContexteDemo, ecrou: str, nom: str, prenom: str) -> Prescription:
    cpip = ctx.agents["cpip@demo.test"]
    jour = timezone.localdate()
    personne = Personne(
        nom=nom,
        prenom=prenom,
        date_naissance=datetime.date(1990, 5, 17),
        numero_ecrou=ecrou,
        etablissement=ctx.etablissement,
        statut_penal=StatutPenal.CONDAMNE,
        date_liberation_previsible=jour + relativedelta(months=14),
        date_liberation_source=SourceDateLiberation.FICHE_PENALE,
        date_liberation_saisie_le=timezone.now(),
        date_liberation_saisie_par=cpip,
        piece_identite_type=TypePieceIdentite.CNI,
        piece_identite_expiration=jour + relativedelta(years=4),
        cpip_referent=cpip,
        creee_par=cpip,
    )
    personne.full_clean()
    personne.save()
    orientation = Orientation.objects.create(
        personne=personne,
        motif="Souhaite travailler et préparer sa sortie.",
        signalee_le=jour,
        signalee_par=ctx.agents["orienteur@demo.test"],
        avis=AvisSpip.FAVORABLE,
        avis_motifs="Projet cohérent, bonne implication en détention.",
        avis_le=timezone.now(),
        avis_par=cpip,
    )
    prescription = Prescription.objects.create(
        personne=personne,
        orientation=orientation,
        implantation=ctx.implantation,
        prescrite_par=cpip,
        eligibilite={"eligible": True, "criteres": []},
    )
    acces.appliquer([personne, orientation])
    return prescription


def _en_parcours(ctx: ContexteDemo, prescription: Prescription, cep: bool) -> ParcoursIAE:
    cip, et = ctx.agents["cip@demo.test"], ctx.agents["et@demo.test"]
    jour = timezone.localdate()
    services.enregistrer_entretien(
        prescription=prescription,
        auteur=cip,
        date=jour,
        interlocuteurs=[cip, et],
        notes="Motivé, a déjà travaillé en logistique.",
        decision=DecisionEntretien.RETENU,
    )
    return services.commencer_parcours(
        prescription=prescription,
        auteur=cip,
        date_debut=jour,
        activite_support="Atelier de conditionnement",
        poste="Opérateur de conditionnement",
        heures_hebdomadaires=24,
        cep_signe_le=jour if cep else None,
    )


def _livret(ctx: ContexteDemo, parcours: ParcoursIAE, finaliser: bool) -> None:
    cip, et = ctx.agents["cip@demo.test"], ctx.agents["et@demo.test"]
    jour = timezone.localdate()
    for categorie, intitule, niveau in [
        (CategorieCompetence.SAVOIR_ETRE, "Ponctualité", NiveauCompetence.ACQUIS),
        (CategorieCompetence.SAVOIR_ETRE, "Travail en équipe", NiveauCompetence.EN_COURS),
        (CategorieCompetence.TECHNIQUE, "Conduite d'une filmeuse", NiveauCompetence.MAITRISE),
    ]:
        competence = services.ajouter_au_livret(
            parcours=parcours,
            auteur=et,
            element=CompetenceLivret(categorie=categorie, intitule=intitule),
        )
        services.observer_competence(
            competence=competence, auteur=et, date=jour, niveau=niveau, texte="Observé à l'atelier."
        )
    services.ajouter_au_livret(
        parcours=parcours,
        auteur=cip,
        element=PosteOccupe(intitule="Opérateur de conditionnement", debut=jour),
    )
    services.ajouter_au_livret(
        parcours=parcours,
        auteur=cip,
        element=FormationSuivie(
            intitule="Sauveteur secouriste du travail",
            organisme="Organisme de formation (fictif)",
            date=jour,
            certification="Certificat SST",
        ),
    )
    services.ajouter_au_livret(
        parcours=parcours,
        auteur=cip,
        element=DemarcheEngagee(
            date=jour, intitule="Premier rendez-vous", partenaire="France Travail justice"
        ),
    )
    services.modifier_projet(
        parcours=parcours,
        auteur=cip,
        objectifs="Passer le CACES 1 ; consolider le travail en équipe.",
        projet_professionnel="Préparateur de commandes en entrepôt logistique.",
    )
    if finaliser:
        livret = parcours.livrets.get()
        services.finaliser_livret(livret=livret, auteur=cip)
        services.enregistrer_remise(livret=livret, auteur=cip, destinataire="spip", date=jour)
        services.enregistrer_remise(livret=livret, auteur=cip, destinataire="personne", date=jour)


@etape(40)
@transaction.atomic
def parcours_siae(ctx: ContexteDemo) -> None:
    cip, cpip = ctx.agents["cip@demo.test"], ctx.agents["cpip@demo.test"]
    cpip_mo = ctx.agents["cpip-mo@demo.test"]
    jour = timezone.localdate()
    for ecrou, nom, prenom, etape_atteinte in PERSONNES_SIAE_DEMO:
        if Personne.objects.filter(etablissement=ctx.etablissement, numero_ecrou=ecrou).exists():
            continue
        prescription = _prescrire(ctx, ecrou, nom, prenom)
        if etape_atteinte == "prescrite":
            continue
        if etape_atteinte == "entretien":
            services.enregistrer_entretien(
                prescription=prescription,
                auteur=cip,
                date=jour,
                interlocuteurs=[cip],
                notes="À revoir après la CPU.",
            )
            continue
        parcours = _en_parcours(ctx, prescription, cep=etape_atteinte != "parcours_cep")
        if etape_atteinte == "parcours_cep":
            continue
        _livret(ctx, parcours, finaliser=etape_atteinte in {"passage", "accepte"})
        if etape_atteinte == "livret":
            continue
        services.enregistrer_accord(
            parcours=parcours,
            auteur=cpip,
            accord=etape_atteinte == "accepte",
            date=jour,
            modalite="entretien",
        )
        services.enregistrer_sortie(
            parcours=parcours,
            auteur=cip,
            date_sortie=jour,
            motif="liberation",
            situation="recherche",
        )
        passage = services.confier_au_milieu_ouvert(
            parcours=parcours,
            auteur=cpip,
            cpip_mo=cpip_mo,
            projet="Préparateur de commandes ; CACES 1 à passer ; rendez-vous France Travail pris.",
        )
        if etape_atteinte == "accepte":
            services.accepter_passage(passage=passage, auteur=cpip_mo)
