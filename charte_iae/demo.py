"""Données de démonstration : un établissement fictif, son SPIP, une SIAE implantée, un
partenaire, un agent par rôle. Chaque application ajoute ses étapes dans son module
``demo.py`` (découvert au lancement de la commande) ; toutes sont idempotentes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from charte_iae import services
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
