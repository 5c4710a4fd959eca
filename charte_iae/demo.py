"""Données de démonstration : un établissement fictif, son SPIP, une SIAE implantée, un
partenaire, un agent par rôle. Chaque application ajoute ses étapes dans son module
``demo.py`` (découvert au lancement de la commande) ; toutes sont idempotentes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from charte_iae import services, versions
from charte_iae.enums import Disp, Fonction, Milieu, TypeEtablissement, TypeStructure
from charte_iae.models import Affectation, Etablissement, Implantation, Structure, Utilisateur

MOT_DE_PASSE_DEMO = "Demo-Charte-IAE-2026"

# (e-mail, prénom, nom, clé de structure, fonction)
AGENTS_DEMO: list[tuple[str, str, str, str, str]] = [
    ("cpip@demo.test", "Camille", "Roussel", "spip_mf", Fonction.CPIP_MF),
    ("cpip2@demo.test", "Yanis", "Benali", "spip_mf", Fonction.CPIP_MF),
    ("cpip-mo@demo.test", "Nadia", "Lefort", "spip_mo", Fonction.CPIP_MO),
    ("dpip@demo.test", "Hélène", "Marchand", "spip_mf", Fonction.DPIP),
    ("cip@demo.test", "Julien", "Carré", "siae", Fonction.CIP),
    ("et@demo.test", "Sophie", "Ndiaye", "siae", Fonction.ENCADRANT_TECHNIQUE),
    ("direction@demo.test", "Marc", "Delaunay", "siae", Fonction.DIRECTION_SIAE),
    ("orienteur@demo.test", "Lucie", "Fabre", "etablissement", Fonction.REFERENT_TRAVAIL),
    (
        "france-travail@demo.test",
        "Omar",
        "Haddad",
        "france_travail",
        Fonction.CONSEILLER_FRANCE_TRAVAIL,
    ),
    ("disp@demo.test", "Claire", "Vidal", "disp", Fonction.ADMIN_DISP),
    ("admin@demo.test", "Paul", "Girard", "national", Fonction.ADMIN_NATIONAL),
]


@dataclass
class ContexteDemo:
    """Ce que les étapes se transmettent (structures, agents, implantation)."""

    structures: dict[str, Structure] = field(default_factory=dict)
    agents: dict[str, Utilisateur] = field(default_factory=dict)
    etablissement: Etablissement | None = None
    implantation: Implantation | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lignes: list[str] = field(default_factory=list)


Etape = Callable[[ContexteDemo], None]
_etapes: list[tuple[int, str, Etape]] = []


def etape(ordre: int) -> Callable[[Etape], Etape]:
    def enregistrer(fonction: Etape) -> Etape:
        cle = f"{fonction.__module__}.{fonction.__qualname__}"
        if all(c != cle for _, c, _ in _etapes):
            _etapes.append((ordre, cle, fonction))
        return fonction

    return enregistrer


def etapes() -> list[Etape]:
    return [f for _, _, f in sorted(_etapes, key=lambda e: (e[0], e[1]))]


def _structure(nom: str, **valeurs: Any) -> Structure:
    structure = Structure.objects.filter(nom=nom).first()
    if structure is None:
        structure = Structure(nom=nom, **valeurs)
        structure.full_clean(exclude=["groupe"])
        structure.save()
    return structure


@etape(0)
def organisations_et_agents(ctx: ContexteDemo) -> None:
    etablissement, _ = Etablissement.objects.get_or_create(
        code="DEMO-VALMONT",
        defaults={
            "nom": "Centre pénitentiaire de Valmont (fictif)",
            "disp": Disp.RENNES,
            "type": TypeEtablissement.CENTRE_PENITENTIAIRE,
        },
    )
    ctx.etablissement = etablissement
    s = ctx.structures
    s["spip_mf"] = _structure(
        "SPIP de Valmont — antenne milieu fermé",
        type=TypeStructure.SPIP,
        milieu=Milieu.FERME,
        etablissement=etablissement,
        disp=Disp.RENNES,
    )
    s["spip_mo"] = _structure(
        "SPIP de Valmont — antenne milieu ouvert",
        type=TypeStructure.SPIP,
        milieu=Milieu.OUVERT,
        disp=Disp.RENNES,
    )
    s["siae"] = _structure(
        "Les Ateliers du Phare (ACI, fictif)", type=TypeStructure.SIAE, disp=Disp.RENNES
    )
    s["etablissement"] = _structure(
        "Centre pénitentiaire de Valmont — détention",
        type=TypeStructure.ETABLISSEMENT,
        etablissement=etablissement,
        disp=Disp.RENNES,
    )
    s["france_travail"] = _structure(
        "France Travail — agence justice de Valmont", type=TypeStructure.PARTENAIRE
    )
    s["mission_locale"] = _structure(
        "Mission locale du pays de Valmont", type=TypeStructure.PARTENAIRE
    )
    s["disp"] = _structure("DISP de Rennes", type=TypeStructure.DISP, disp=Disp.RENNES)
    s["national"] = _structure("Administration nationale", type=TypeStructure.NATIONAL)

    implantation, _ = Implantation.objects.get_or_create(
        siae=s["siae"],
        etablissement=etablissement,
        defaults={
            "spip": s["spip_mf"],
            "debut_implantation": datetime.date(2026, 1, 5),
            "date_demarrage": datetime.date(2026, 3, 2),
        },
    )
    ctx.implantation = implantation
    services.creer_charte(implantation=implantation)

    for email, prenom, nom, cle, fonction in AGENTS_DEMO:
        agent = Utilisateur.objects.filter(email=email).first()
        if agent is None:
            agent = Utilisateur.objects.create_user(
                email,
                MOT_DE_PASSE_DEMO,
                prenom=prenom,
                nom=nom,
                is_staff=fonction == Fonction.ADMIN_NATIONAL,
            )
        structure = s[cle]
        if (
            not Affectation.objects.actives()
            .filter(utilisateur=agent, structure=structure, fonction=fonction)
            .exists()
        ):
            services.affecter(
                utilisateur=agent,
                structure=structure,
                fonction=fonction,
                debut=datetime.date(2026, 1, 5),
            )
        ctx.agents[email] = agent
        ctx.lignes.append(f"  {Fonction(fonction).label:<45} {email}")


def charger(ctx: ContexteDemo | None = None) -> ContexteDemo:
    ctx = ctx or ContexteDemo()
    for fonction in etapes():
        fonction(ctx)
    return ctx


# --- La charte de l'implantation de démonstration -------------------------------------------

_CHARTE_DEMO: dict[str, Any] = {
    "canaux_information": {
        "quartier_arrivant": True,
        "quartier_arrivant_rythme": "Chaque semaine, lors de la réunion des arrivants",
        "informations_collectives": True,
        "informations_collectives_rythme": "Une fois par mois, en salle d'activités",
        "affichage": True,
        "affichage_rythme": "Affiches renouvelées à chaque session de recrutement",
    },
    "criteres_locaux": [
        "Aptitude au port de charges (activité support : logistique)",
        "Pas de restriction médicale au travail en atelier",
    ],
    "identification_competences": "Échange des fiches de poste CPIP / CIP / ET lors du "
    "lancement, puis deux études de situation par trimestre.",
    "repartition_roles": "",
    "modalites_echanges": {
        "physique": True,
        "telephonique": True,
        "frequence": "Point hebdomadaire le mardi, téléphone au besoin",
    },
    "outil_suivi": {
        "outil": "cahier_transmission",
        "modalites": "Cahier de transmission dans l'application, tenu par le CPIP référent "
        "et les permanents de la SIAE.",
    },
    "echanges_partenaires": "France Travail justice et Mission locale : réunion mensuelle "
    "avec le CPIP référent et la CIP.",
    "commission_insertion": {
        "nom": "Commission de l'insertion professionnelle (CIP-Valmont)",
        "frequence": "Mensuelle",
        "fonctionnement": "Présidée par la direction de l'établissement ; étudie les "
        "orientations, les parcours en cours et les sorties à venir.",
    },
    "echanges_directs": "Le CPIP référent est l'interlocuteur direct de la CIP ; la DPIP "
    "reste le point d'entrée pour l'organisation.",
    "transmission_sortie": "Fiche de liaison transmise au CPIP de milieu ouvert un mois "
    "avant la sortie ; livret de compétences joint.",
}

_REPARTITION_DEMO = {
    "acces_droits": ("cpip", "Ouverture des droits, CNI", "Aide aux démarches", "", ""),
    "logement": ("cpip", "Demandes SIAO", "", "", "SIAO, associations"),
    "sante": ("autres", "", "", "", "Unité sanitaire"),
    "projet_professionnel": ("siae", "", "Entretiens et bilans", "Synthèse commune", ""),
    "recherche_emploi_sortie": ("partage", "", "", "CPIP et CIP ensemble", "France Travail"),
    "formation": ("siae", "", "Inscriptions", "", "Organismes de formation"),
    "mobilite": ("siae", "", "Code de la route", "", ""),
    "amenagement_peine": ("cpip", "Seul lien avec le JAP", "Éléments via le cahier", "", ""),
}


def _saisies_demo(valeurs: dict[str, Any]) -> dict[str, Any]:
    saisies = {}
    for code, valeur in valeurs.items():
        if isinstance(valeur, dict):
            saisies[code] = versions.SaisieChamp(donnees=valeur)
        elif isinstance(valeur, list):
            saisies[code] = versions.SaisieChamp(criteres=valeur)
        else:
            saisies[code] = versions.SaisieChamp(texte=valeur)
    return saisies


@etape(10)
def charte_en_vigueur_et_brouillon(ctx: ContexteDemo) -> None:
    """Une version 1 en vigueur (approuvée par la DPIP et la direction), et une version 2
    en brouillon qui la modifie."""
    if ctx.implantation is None:
        return
    charte = ctx.implantation.charte
    if charte.versions.exists():
        return
    dpip = ctx.agents["dpip@demo.test"]
    direction = ctx.agents["direction@demo.test"]
    v1 = versions.creer_version(charte=charte, par=dpip)
    v1 = versions.enregistrer_champs(
        version=v1, revision=v1.revision, saisies=_saisies_demo(_CHARTE_DEMO), par=dpip
    )
    lignes = {
        ligne.pk: dict(
            zip(versions.COLONNES_REPARTITION, _REPARTITION_DEMO[ligne.domaine.code], strict=True)
        )
        for ligne in v1.repartition.select_related("domaine")
    }
    v1 = versions.enregistrer_repartition(
        version=v1, revision=v1.revision, lignes=lignes, par=direction
    )
    versions.soumettre(version=v1, par=dpip)
    versions.approuver(version=v1, par=dpip)
    versions.approuver(version=v1, par=direction)

    v2 = versions.creer_version(charte=charte, par=direction)
    v2 = versions.enregistrer_champs(
        version=v2,
        revision=v2.revision,
        saisies=_saisies_demo(
            {
                "commission_insertion": {
                    **_CHARTE_DEMO["commission_insertion"],
                    "frequence": "Tous les quinze jours",
                },
                "criteres_locaux": [
                    *_CHARTE_DEMO["criteres_locaux"],
                    "Engagement à suivre le module de sécurité au travail",
                ],
            }
        ),
        par=direction,
    )
    ligne = v2.repartition.get(domaine__code="mobilite")
    versions.enregistrer_repartition(
        version=v2,
        revision=v2.revision,
        lignes={ligne.pk: {"chef_de_file": "partage", "partage": "Code de la route et permis"}},
        par=direction,
    )
