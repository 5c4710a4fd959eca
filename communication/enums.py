"""Listes fermées de la communication : domaines d'intervention du modèle de charte,
information de la personne, types de réunion."""

from django.db import models


class Domaine(models.TextChoices):
    """Les 8 domaines d'intervention du modèle national (article « Domaines d'intervention
    SPIP / SIAE »). Mêmes codes que les domaines nationaux de la charte : quand le modèle
    ``DomaineIntervention`` de la charte existera, ces codes s'y rattacheront."""

    ACCES_DROITS = "acces_droits", "Accès aux droits (CNI, services publics…)"
    LOGEMENT = "logement", "Logement / hébergement"
    SANTE = "sante", "Santé / soins"
    PROJET_PROFESSIONNEL = "projet_professionnel", "Projet professionnel / orientation"
    RECHERCHE_EMPLOI_SORTIE = (
        "recherche_emploi_sortie",
        "Recherche d'emploi ou de formation à la sortie",
    )
    FORMATION = "formation", "Formation"
    MOBILITE = "mobilite", "Mobilité"
    AMENAGEMENT_PEINE = "amenagement_peine", "Préparation d'un aménagement de peine"


class InformationPersonne(models.TextChoices):
    """Ce que la charte exige avant de partager une information personnelle."""

    INFORMEE = "informee", "La personne a été informée au préalable du partage"
    REMISE_PAR_LA_PERSONNE = (
        "remise_par_la_personne",
        "La personne a remis elle-même l'information",
    )


class MoyenInformation(models.TextChoices):
    ORAL = "oral", "Oralement"
    NOTICE_ECRITE = "notice_ecrite", "Par la notice d'information écrite"


class TypeReunion(models.TextChoices):
    COMMISSION_INSERTION = "commission_insertion", "Commission de l'insertion professionnelle"
    FRANCE_TRAVAIL = "france_travail", "Réunion avec France Travail justice"
    MISSION_LOCALE = "mission_locale", "Réunion avec la Mission locale"
    PARTENAIRES = "partenaires", "Autre réunion entre partenaires"
    CPU = "cpu", "CPU (commission pluridisciplinaire unique)"
