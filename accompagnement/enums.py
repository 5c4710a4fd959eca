"""Listes fermées de l'accompagnement : domaines nationaux de la charte, actions, statuts,
liaison avec le JAP et aménagements de peine."""

from django.db import models


class DomaineNational(models.TextChoices):
    """Les 8 domaines d'intervention du modèle national (annexe 4, article 4). Mêmes codes que
    les ``DomaineIntervention`` nationaux de la charte ; une charte locale peut en ajouter."""

    ACCES_DROITS = "acces_droits", "Accès aux droits (CNI, accès aux services publics, etc.)"
    LOGEMENT = "logement", "Logement / Hébergement"
    SANTE = "sante", "Santé / Soins"
    PROJET_PROFESSIONNEL = (
        "projet_professionnel",
        "Définition d’un projet professionnel / orientation professionnelle",
    )
    RECHERCHE_EMPLOI_SORTIE = (
        "recherche_emploi_sortie",
        "Recherche d’emploi ou de stage de formation à la sortie",
    )
    FORMATION = "formation", "Formation"
    MOBILITE = "mobilite", "Mobilité"
    AMENAGEMENT_PEINE = "amenagement_peine", "Préparation d’un aménagement de peine"


class TypeAction(models.TextChoices):
    ENTRETIEN = "entretien", "Entretien"
    DEMARCHE = "demarche", "Démarche"
    ORIENTATION_PARTENAIRE = "orientation_partenaire", "Orientation vers un partenaire"
    CONTACT_PARTENAIRE = "contact_partenaire", "Contact avec un partenaire"
    ATELIER = "atelier", "Atelier"
    AUTRE = "autre", "Autre"


# Les types qui supposent un partenaire nommé.
TYPES_AVEC_PARTENAIRE = frozenset(
    {TypeAction.ORIENTATION_PARTENAIRE, TypeAction.CONTACT_PARTENAIRE}
)


class StatutAction(models.TextChoices):
    A_FAIRE = "a_faire", "À faire"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class Cote(models.TextChoices):
    """De quel côté de la charte l'auteur agit (fixé à l'enregistrement, d'après ses
    affectations : l'historique ne change pas si l'agent change de poste)."""

    SPIP = "spip", "SPIP"
    SIAE = "siae", "SIAE"


class StatutDomaine(models.TextChoices):
    """Ce qui est décidé pour un domaine, en plus des actions qui y sont menées."""

    BESOIN_IDENTIFIE = "besoin_identifie", "Besoin identifié"
    REFUS_PERSONNE = "refus_personne", "Accompagnement refusé par la personne"
    PAS_DE_BESOIN = "pas_de_besoin", "Pas de besoin"


class TypeLiaisonJAP(models.TextChoices):
    RAPPORT = "rapport", "Rapport"
    SAISINE = "saisine", "Saisine"
    NOTE = "note", "Note"
    REPONSE = "reponse", "Réponse du JAP"


class TypeAmenagement(models.TextChoices):
    LIBERATION_CONDITIONNELLE = "lc", "Libération conditionnelle"
    SEMI_LIBERTE = "sl", "Semi-liberté"
    PLACEMENT_EXTERIEUR = "pe", "Placement extérieur"
    DDSE = "ddse", "Détention à domicile sous surveillance électronique (DDSE)"
    PERMISSION_SORTIR = "ps", "Permission de sortir"


class StatutProjetAmenagement(models.TextChoices):
    EN_PREPARATION = "en_preparation", "En préparation"
    DEPOSE = "depose", "Demande déposée"
    ACCORDE = "accorde", "Accordé"
    REFUSE = "refuse", "Refusé"
    ABANDONNE = "abandonne", "Abandonné"


class TypeElementAmenagement(models.TextChoices):
    ATTESTATION_EMPLOI = "attestation_emploi", "Attestation d'emploi"
    PROMESSE_EMBAUCHE = "promesse_embauche", "Promesse d'embauche"
    OBSERVATIONS = "observations", "Observations"
