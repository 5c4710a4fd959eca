"""Ce que le parcours détient sur une personne (droit d'accès) et où le corriger."""

from __future__ import annotations

from charte_iae.droit_acces import Section, enregistrer

_DOSSIER = "Dossier de la personne (SPIP de l'établissement)"
_PARCOURS = "Parcours côté SIAE (CIP, direction de la SIAE)"
_LIVRET = (
    "Livret de compétences : le brouillon se modifie (CIP, ET) ; une version finalisée ne change "
    "plus, on la corrige par une nouvelle version (« Corriger »)"
)


def declarer() -> None:
    enregistrer(
        Section(
            "identite",
            "Identité et situation",
            "parcours.Personne",
            "pk",
            f"{_DOSSIER} › « Modifier » (identité, date de libération, pièce d'identité) "
            "et « Confirmer la condamnation »",
        ),
        Section(
            "historique_dates",
            "Historique de la date de libération prévisible",
            "parcours.HistoriqueDateLiberation",
            "personne",
            f"{_DOSSIER} › « Modifier » : une nouvelle date s'ajoute à l'historique",
        ),
        Section(
            "informations",
            "Informations sur l'IAE reçues",
            "parcours.InformationIAE",
            "personne",
            f"{_DOSSIER} › « Ajouter une information »",
        ),
        Section(
            "orientations",
            "Orientations et avis du SPIP",
            "parcours.Orientation",
            "personne",
            "Orientation › « Avis » ou « Clôturer » (CPIP, DPIP)",
        ),
        Section(
            "prescriptions",
            "Prescriptions",
            "parcours.Prescription",
            "personne",
            "Orientation › « Prescrire » (CPIP, DPIP) ; une prescription close reste historisée",
        ),
        Section(
            "demandes_classement",
            "Demandes de classement au travail",
            "parcours.DemandeClassement",
            "personne",
            f"{_DOSSIER} › « Demande de classement »",
        ),
        Section(
            "examens_cpu",
            "Examens en CPU",
            "parcours.ExamenCPU",
            "personne",
            "Session CPU › avis et décision de l'examen",
        ),
        Section(
            "entretiens",
            "Entretiens de recrutement",
            "parcours.EntretienRecrutement",
            "personne",
            "Entretien › « Décider » (CIP)",
        ),
        Section(
            "parcours",
            "Parcours IAE (contrat, sortie)",
            "parcours.ParcoursIAE",
            "personne",
            f"{_PARCOURS} › « Contrat (CEP) », « Sortie », « Accord pour la suite »",
        ),
        Section(
            "suspensions",
            "Suspensions du parcours",
            "parcours.SuspensionParcours",
            "parcours__personne",
            f"{_PARCOURS} › « Suspendre »",
        ),
        Section(
            "livrets",
            "Livrets de compétences (versions)",
            "parcours.LivretCompetences",
            "parcours__personne",
            _LIVRET,
        ),
        Section(
            "livret_competences",
            "Livret : compétences",
            "parcours.CompetenceLivret",
            "livret__parcours__personne",
            _LIVRET,
        ),
        Section(
            "livret_observations",
            "Livret : observations des compétences",
            "parcours.ObservationCompetence",
            "competence__livret__parcours__personne",
            _LIVRET,
        ),
        Section(
            "livret_postes",
            "Livret : postes occupés",
            "parcours.PosteOccupe",
            "livret__parcours__personne",
            _LIVRET,
        ),
        Section(
            "livret_formations",
            "Livret : formations suivies",
            "parcours.FormationSuivie",
            "livret__parcours__personne",
            _LIVRET,
        ),
        Section(
            "livret_demarches",
            "Livret : démarches engagées",
            "parcours.DemarcheEngagee",
            "livret__parcours__personne",
            _LIVRET,
        ),
        Section(
            "livret_remises",
            "Remises du livret",
            "parcours.RemiseLivret",
            "livret__parcours__personne",
            "Livret › « Remise » (qui l'a remis, à qui, quand)",
        ),
        Section(
            "passages",
            "Passage en milieu ouvert",
            "parcours.PassageMilieuOuvert",
            "personne",
            "Passage › « Renvoyer » (CPIP de milieu ouvert) ou nouveau passage (CPIP)",
        ),
        Section(
            "alertes",
            "Alertes du dossier",
            "parcours.Alerte",
            "personne",
            "Calculées : elles se résolvent quand leur cause est corrigée dans le dossier",
        ),
    )
