"""Listes fermées du parcours : statut pénal, pièces d'identité, canaux d'information,
avis du SPIP, motifs de clôture, demande de classement et décisions de la CPU."""

from django.db import models


class StatutPenal(models.TextChoices):
    CONDAMNE = "condamne", "Condamné"
    PREVENU = "prevenu", "Prévenu"
    MIXTE = "mixte", "Mixte (condamné et prévenu)"


class SourceDateLiberation(models.TextChoices):
    FICHE_PENALE = "fiche_penale", "Fiche pénale du greffe"
    GREFFE = "greffe", "Information du greffe"
    DECISION_JAP = "decision_jap", "Décision du JAP transmise par le greffe"
    AUTRE = "autre", "Autre source (à vérifier auprès du greffe)"


class TypePieceIdentite(models.TextChoices):
    CNI = "cni", "Carte nationale d'identité"
    PASSEPORT = "passeport", "Passeport"
    TITRE_SEJOUR = "titre_sejour", "Titre de séjour"
    AUTORISATION_TRAVAIL = "autorisation_travail", "Autorisation de travail"


class CanalInformation(models.TextChoices):
    ENTRETIEN_ARRIVANT = "entretien_arrivant", "Entretien arrivant"
    ENTRETIEN_PEP = "entretien_pep", "Entretien PEP (parcours d'exécution de peine)"
    INFORMATION_COLLECTIVE = "information_collective", "Information collective"
    INTERVENTION_SIAE = "intervention_siae", "Intervention de la SIAE (quartier arrivant…)"
    FLYER = "flyer", "Flyer remis"
    AFFICHAGE = "affichage", "Panneau d'affichage"
    AUTRE = "autre", "Autre"


class AvisSpip(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    RESERVE = "reserve", "Réservé"
    DEFAVORABLE = "defavorable", "Défavorable"


class MotifAvis(models.TextChoices):
    """Motif principal d'un avis réservé ou défavorable du SPIP : codé pour le pilotage, les
    motifs rédigés restent dans le dossier (ils ne sortent jamais dans les statistiques)."""

    RELIQUAT = "reliquat", "Reliquat de peine incompatible avec un parcours"
    SITUATION_PENALE = "situation_penale", "Situation pénale (procédure en cours, transfert prévu)"
    AUTRE_PROJET = "autre_projet", "Autre projet prioritaire (soins, formation, enseignement)"
    COMPORTEMENT = "comportement", "Comportement en détention, incidents récents"
    ADHESION = "adhesion", "Adhésion de la personne insuffisante à ce stade"
    SANTE = "sante", "État de santé incompatible avec l'activité"
    AUTRE = "autre", "Autre motif"


class MotifCloture(models.TextChoices):
    AVIS_DEFAVORABLE = "avis_defavorable", "Avis défavorable du SPIP"
    NON_ELIGIBLE = "non_eligible", "Personne non éligible"
    REFUS_PERSONNE = "refus_personne", "Refus de la personne"
    NON_RETENUE = "non_retenue", "Non retenue par la SIAE"
    CLASSEMENT_REFUSE = "classement_refuse", "Classement au travail refusé"
    LIBERATION = "liberation", "Libération"
    TRANSFERT = "transfert", "Transfert vers un autre établissement"
    FIN_PARCOURS = "fin_parcours", "Fin du parcours IAE"
    DOUBLON = "doublon", "Orientation en double"
    AUTRE = "autre", "Autre motif"


class StatutDemandeClassement(models.TextChoices):
    EN_PREPARATION = "en_preparation", "En préparation"
    DEPOSEE = "deposee", "Déposée auprès du chef d'établissement"
    RETIREE = "retiree", "Retirée par la personne"


class AvisCPU(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    DEFAVORABLE = "defavorable", "Défavorable"
    AJOURNE = "ajourne", "Ajourné"


class DecisionClassement(models.TextChoices):
    CLASSE = "classe", "Classé au travail sur le régime de la SIAE"
    NON_CLASSE = "non_classe", "Non classé"
    AJOURNE = "ajourne", "Décision ajournée"


# --- Parcours côté SIAE : entretien, parcours, livret, passage en milieu ouvert (issue 5) -------


class DecisionEntretien(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    RETENU = "retenu", "Retenu"
    NON_RETENU = "non_retenu", "Non retenu"


class MotifNonRetenu(models.TextChoices):
    PAS_DE_POSTE = "pas_de_poste", "Pas de poste disponible"
    PROJET_INADAPTE = "projet_inadapte", "Projet de la personne sans rapport avec l'activité"
    MOTIVATION = "motivation", "Motivation insuffisante à ce stade"
    DESISTEMENT = "desistement", "Désistement de la personne"
    CONTRAINTES = "contraintes", "Contraintes de détention incompatibles (horaires, régime…)"
    RELIQUAT = "reliquat", "Reliquat de peine trop court pour le parcours"
    AUTRE = "autre", "Autre motif (à préciser)"


class MotifSuspension(models.TextChoices):
    INDISPONIBILITE = "indisponibilite", "Indisponibilité de la personne"
    DISCIPLINAIRE = "disciplinaire", "Mesure disciplinaire"
    EXTRACTION = "extraction", "Extraction, comparution"
    ACTIVITE_ARRETEE = "activite_arretee", "Arrêt temporaire de l'activité support"
    AUTRE = "autre", "Autre motif (à préciser)"


class MotifSortie(models.TextChoices):
    LIBERATION = "liberation", "Libération"
    AMENAGEMENT = "amenagement", "Aménagement de peine"
    TRANSFERT = "transfert", "Transfert vers un autre établissement"
    FIN_CONTRAT = "fin_contrat", "Fin de contrat"
    DEMISSION = "demission", "Démission"
    RUPTURE = "rupture", "Rupture du contrat"
    AUTRE = "autre", "Autre motif (à préciser)"


class SituationSortie(models.TextChoices):
    """Ce que la personne a en main à la sortie du parcours (ce que la SIAE en sait ce jour-là)."""

    EMPLOI = "emploi", "Emploi (CDI, CDD, intérim)"
    FORMATION = "formation", "Formation qualifiante"
    IAE_EXTERIEUR = "iae_exterieur", "Poursuite en SIAE à l'extérieur"
    AMENAGEMENT = "amenagement", "Aménagement de peine avec activité (emploi, formation)"
    RECHERCHE = "recherche", "Recherche d'emploi accompagnée (France Travail, mission locale)"
    SANS_SOLUTION = "sans_solution", "Sans solution à ce jour"
    NON_CONNUE = "non_connue", "Non connue"


class CategorieCompetence(models.TextChoices):
    SAVOIR_ETRE = "savoir_etre", "Savoir-être"
    TECHNIQUE = "technique", "Compétence technique"


class NiveauCompetence(models.TextChoices):
    NON_ACQUIS = "non_acquis", "Non acquis"
    EN_COURS = "en_cours", "En cours d'acquisition"
    ACQUIS = "acquis", "Acquis"
    MAITRISE = "maitrise", "Maîtrisé"


class DestinataireRemise(models.TextChoices):
    SPIP = "spip", "Au SPIP"
    PERSONNE = "personne", "À la personne"


class ModaliteRecueil(models.TextChoices):
    ENTRETIEN = "entretien", "Oralement, lors d'un entretien"
    ECRIT = "ecrit", "Par écrit signé de la personne"
    COURRIER = "courrier", "Par courrier de la personne"
    AUTRE = "autre", "Autrement (à préciser)"


class StatutPassage(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de réponse"
    ACCEPTE = "accepte", "Accepté"
    RENVOYE = "renvoye", "Renvoyé"


class TypeAlerte(models.TextChoices):
    FENETRE_FERMETURE = "fenetre_fermeture", "Fenêtre d'éligibilité qui se ferme"
    LIBERATION_SOUS_CONTRAINTE = "lsc", "Seuil de libération sous contrainte proche"
    PIECE_IDENTITE = "piece_identite", "Pièce d'identité à renouveler"
    AVIS_EN_ATTENTE = "avis_en_attente", "Avis du SPIP en attente"
    DATE_LIBERATION_VERDICT = "dlp_verdict", "Éligibilité changée par la date de libération"
    ENTRETIEN_EN_ATTENTE = "entretien_en_attente", "Entretien de recrutement en attente"
    CEP_NON_SIGNE = "cep_non_signe", "CEP non signé dans les 2 jours ouvrés"
    PASSAGE_EN_ATTENTE = "passage_en_attente", "Passage en milieu ouvert sans réponse"
    LIVRET_A_FINALISER = "livret_a_finaliser", "Livret de compétences à finaliser avant la sortie"


# Les alertes qui ne demandent qu'une vérification : un agent du SPIP les « prend en compte »
# et elles ne reviennent pas pour la même cause. Les autres se résolvent quand la cause disparaît.
TYPES_ALERTE_A_PRENDRE_EN_COMPTE = frozenset({TypeAlerte.DATE_LIBERATION_VERDICT})
