"""Listes fermées du noyau : types de structures, fonctions des agents, établissements."""

from django.db import models


class TypeStructure(models.TextChoices):
    SPIP = "spip", "SPIP"
    SIAE = "siae", "SIAE"
    ETABLISSEMENT = "etablissement", "Établissement pénitentiaire"
    PARTENAIRE = "partenaire", "Partenaire"
    DISP = "disp", "Direction interrégionale (DISP)"
    NATIONAL = "national", "Administration nationale"


class Milieu(models.TextChoices):
    FERME = "ferme", "Milieu fermé"
    OUVERT = "ouvert", "Milieu ouvert"


class TypeEtablissement(models.TextChoices):
    MAISON_ARRET = "ma", "Maison d'arrêt"
    CENTRE_DETENTION = "cd", "Centre de détention"
    CENTRE_PENITENTIAIRE = "cp", "Centre pénitentiaire"
    MAISON_CENTRALE = "mc", "Maison centrale"
    CENTRE_SEMI_LIBERTE = "csl", "Centre de semi-liberté"
    ETABLISSEMENT_MINEURS = "epm", "Établissement pénitentiaire pour mineurs"


class Disp(models.TextChoices):
    BORDEAUX = "bordeaux", "DISP de Bordeaux"
    DIJON = "dijon", "DISP de Dijon"
    LILLE = "lille", "DISP de Lille"
    LYON = "lyon", "DISP de Lyon"
    MARSEILLE = "marseille", "DISP de Marseille"
    PARIS = "paris", "DISP de Paris"
    RENNES = "rennes", "DISP de Rennes"
    STRASBOURG = "strasbourg", "DISP de Strasbourg"
    TOULOUSE = "toulouse", "DISP de Toulouse"
    OUTRE_MER = "outre_mer", "Mission des services pénitentiaires de l'outre-mer"


class Fonction(models.TextChoices):
    # SPIP
    CPIP_MF = "cpip_mf", "CPIP milieu fermé"
    CPIP_MO = "cpip_mo", "CPIP milieu ouvert"
    DPIP = "dpip", "DPIP"
    REFERENT_IAE = "referent_iae", "Référent IAE du SPIP"
    # SIAE
    CIP = "cip", "CIP / accompagnateur socio-professionnel"
    ENCADRANT_TECHNIQUE = "et", "Encadrant technique"
    DIRECTION_SIAE = "direction_siae", "Direction de la SIAE"
    # Orienteurs de l'établissement et de ses partenaires
    REFERENT_TRAVAIL = "referent_travail", "Référent local du travail"
    REFERENT_FORMATION = "referent_formation", "Référent local de la formation"
    OFFICIER_ACTIVITE = "officier_activite", "Officier activité"
    REFERENT_ENSEIGNEMENT = "referent_enseignement", "Référent enseignement"
    ENSEIGNANT = "enseignant", "Enseignant"
    ORGANISME_FORMATION = "organisme_formation", "Organisme de formation"
    INTERVENANT_PPAIP = "intervenant_ppaip", "Intervenant PPAIP"
    PSYCHOLOGUE_PEP = "psychologue_pep", "Psychologue PEP"
    ASSISTANT_SOCIAL = "assistant_social", "Assistant de service social"
    # Partenaires
    CONSEILLER_FRANCE_TRAVAIL = "conseiller_ft", "Conseiller France Travail justice"
    CONSEILLER_MISSION_LOCALE = "conseiller_ml", "Conseiller Mission locale"
    # Administration
    ADMIN_DISP = "admin_disp", "Administrateur DISP"
    ADMIN_NATIONAL = "admin_national", "Administrateur national"


FONCTIONS_SPIP = frozenset(
    {Fonction.CPIP_MF, Fonction.CPIP_MO, Fonction.DPIP, Fonction.REFERENT_IAE}
)
FONCTIONS_ADMIN_SPIP = frozenset({Fonction.DPIP, Fonction.REFERENT_IAE})
FONCTIONS_SIAE = frozenset({Fonction.CIP, Fonction.ENCADRANT_TECHNIQUE, Fonction.DIRECTION_SIAE})
FONCTIONS_PERMANENTS_SIAE = frozenset({Fonction.CIP, Fonction.ENCADRANT_TECHNIQUE})
FONCTIONS_ORIENTEURS = frozenset(
    {
        Fonction.REFERENT_TRAVAIL,
        Fonction.REFERENT_FORMATION,
        Fonction.OFFICIER_ACTIVITE,
        Fonction.REFERENT_ENSEIGNEMENT,
        Fonction.ENSEIGNANT,
        Fonction.ORGANISME_FORMATION,
        Fonction.INTERVENANT_PPAIP,
        Fonction.PSYCHOLOGUE_PEP,
        Fonction.ASSISTANT_SOCIAL,
    }
)
FONCTIONS_PARTENAIRES = frozenset(
    {Fonction.CONSEILLER_FRANCE_TRAVAIL, Fonction.CONSEILLER_MISSION_LOCALE}
)
FONCTIONS_ADMIN = frozenset({Fonction.ADMIN_DISP, Fonction.ADMIN_NATIONAL})

# Quelles fonctions chaque type de structure peut porter (validation des affectations).
FONCTIONS_PAR_TYPE_STRUCTURE: dict[str, frozenset[str]] = {
    TypeStructure.SPIP: FONCTIONS_SPIP,
    TypeStructure.SIAE: FONCTIONS_SIAE,
    TypeStructure.ETABLISSEMENT: FONCTIONS_ORIENTEURS,
    TypeStructure.PARTENAIRE: FONCTIONS_PARTENAIRES | FONCTIONS_ORIENTEURS,
    TypeStructure.DISP: frozenset({Fonction.ADMIN_DISP}),
    TypeStructure.NATIONAL: frozenset({Fonction.ADMIN_NATIONAL}),
}
