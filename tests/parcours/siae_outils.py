"""Ce que partagent les tests du parcours côté SIAE : une personne prescrite vers la SIAE du
site, et le chemin jusqu'à chaque étape par les services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from charte_iae import acces
from parcours import services_siae as services
from parcours.enums import CategorieCompetence, DecisionEntretien, NiveauCompetence
from parcours.models import CompetenceLivret, ParcoursIAE, Prescription
from tests.factories import PrescriptionFactory


def prescrire(site, **kwargs) -> Prescription:
    return PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__cpip_referent=site.cpip,
        **kwargs,
    )


def retenir(site, prescription: Prescription):
    return services.enregistrer_entretien(
        prescription=prescription,
        auteur=site.cip,
        date=timezone.localdate(),
        interlocuteurs=[site.cip, site.et],
        notes="Motivé, ponctuel.",
        decision=DecisionEntretien.RETENU,
    )


def en_parcours(site, prescription: Prescription | None = None) -> ParcoursIAE:
    prescription = prescription or prescrire(site)
    retenir(site, prescription)
    return services.commencer_parcours(
        prescription=prescription,
        auteur=site.cip,
        date_debut=timezone.localdate(),
        activite_support="Conditionnement",
        poste="Opérateur",
        heures_hebdomadaires=24,
        cep_signe_le=timezone.localdate(),
    )


def avec_livret_finalise(site, parcours: ParcoursIAE):
    services.ajouter_au_livret(
        parcours=parcours,
        auteur=site.et,
        element=CompetenceLivret(
            categorie=CategorieCompetence.TECHNIQUE,
            intitule="Utiliser une filmeuse",
            niveau=NiveauCompetence.ACQUIS,
        ),
    )
    services.modifier_projet(
        parcours=parcours,
        auteur=site.cip,
        objectifs="Obtenir le CACES 1.",
        projet_professionnel="Préparateur de commandes en logistique.",
    )
    brouillon = parcours.livrets.get()
    return services.finaliser_livret(livret=brouillon, auteur=site.cip)


def sortir(
    site, parcours: ParcoursIAE, motif: str = "liberation", situation: str = "emploi"
) -> ParcoursIAE:
    return services.enregistrer_sortie(
        parcours=parcours,
        auteur=site.cip,
        date_sortie=timezone.localdate(),
        motif=motif,
        situation=situation,
    )


def recharger(utilisateur):
    """Un agent relu (sans le cache de ses droits ni de ses affectations)."""
    return type(utilisateur).objects.get(pk=utilisateur.pk)


def sans_ecart() -> bool:
    return acces.reconcilier().total.total == 0


HIER = timezone.localdate() - datetime.timedelta(days=1)
