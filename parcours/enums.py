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


class TypeAlerte(models.TextChoices):
    FENETRE_FERMETURE = "fenetre_fermeture", "Fenêtre d'éligibilité qui se ferme"
    LIBERATION_SOUS_CONTRAINTE = "lsc", "Seuil de libération sous contrainte proche"
    PIECE_IDENTITE = "piece_identite", "Pièce d'identité à renouveler"
    AVIS_EN_ATTENTE = "avis_en_attente", "Avis du SPIP en attente"
    DATE_LIBERATION_VERDICT = "dlp_verdict", "Éligibilité changée par la date de libération"


# Les alertes qui ne demandent qu'une vérification : un agent du SPIP les « prend en compte »
# et elles ne reviennent pas pour la même cause. Les autres se résolvent quand la cause disparaît.
TYPES_ALERTE_A_PRENDRE_EN_COMPTE = frozenset({TypeAlerte.DATE_LIBERATION_VERDICT})
