"""Jeu de données à l'échelle nationale pour les mesures (``manage.py generer_donnees``).

Comme la démonstration, chaque application ajoute ses étapes dans son module ``generation.py``
(découvert au lancement de la commande) : les dépendances restent à sens unique. Les lignes
sont écrites par lots (``COPY`` sur PostgreSQL, ``bulk_create`` ailleurs) ; les droits ne sont jamais écrits à la main : ils
sont produits par les règles d'accès elles-mêmes (``acces.reconcilier(corriger=True)``), si
bien que ``verifier_permissions`` trouve 0 écart ensuite.

Déterministe : un même ``--seed`` et un même jour donnent les mêmes lignes (les dates sont
relatives au jour du lancement, pour que l'éligibilité garde son sens).
"""

from __future__ import annotations

import copy
import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models.base import ModelState
from django.utils import timezone

from charte_iae import acces, demo, versions
from charte_iae.enums import Disp, Fonction, Milieu, TypeEtablissement, TypeStructure
from charte_iae.insertion import inserer
from charte_iae.models import (
    Affectation,
    Charte,
    Etablissement,
    Implantation,
    Notification,
    Structure,
    Utilisateur,
)

PREFIXE = "GEN"
TAILLE_LOT = 5000
# Environ 190 établissements pour 70 000 personnes détenues.
PERSONNES_PAR_ETABLISSEMENT = 370
# Un CPIP de milieu fermé suit environ 80 personnes.
PERSONNES_PAR_CPIP = 80

NOMS = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefevre",
    "Faure",
    "Andre",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Francois",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clement",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noel",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Riviere",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gerard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoit",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Jean",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sanchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Paris",
    "Poirier",
    "Marty",
    "Aubry",
    "Guyot",
    "Carre",
    "Charles",
    "Renault",
    "Charpentier",
    "Menard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Herve",
    "Schneider",
    "Fernandez",
    "Le-Gall",
    "Collet",
    "Leger",
    "Bouvier",
    "Julien",
    "Prevost",
    "Millet",
    "Perrot",
    "Daniel",
    "Haddad",
    "Benali",
    "Ndiaye",
    "Diallo",
    "Traore",
    "Kone",
    "Mendy",
    "Cisse",
    "Belkacem",
    "Bensaid",
    "Amrani",
    "Cherif",
]
PRENOMS = [
    "Kevin",
    "Sofiane",
    "Jordan",
    "Mehdi",
    "Anthony",
    "Dylan",
    "Lucas",
    "Bilal",
    "Yassine",
    "Thomas",
    "Nicolas",
    "Samir",
    "Julien",
    "Maxime",
    "Alexandre",
    "Romain",
    "Florian",
    "Quentin",
    "Mohamed",
    "Karim",
    "Nabil",
    "Rachid",
    "Hugo",
    "Enzo",
    "Théo",
    "Nathan",
    "Yanis",
    "Adam",
    "Rayan",
    "Ilyes",
    "Moussa",
    "Mamadou",
    "Ibrahim",
    "Ousmane",
    "David",
    "Jérémy",
    "Mickaël",
    "Sébastien",
    "Christophe",
    "Stéphane",
    "Frédéric",
    "Laurent",
    "Olivier",
    "Pascal",
    "Patrick",
    "Éric",
    "Franck",
    "Cédric",
    "Ludovic",
    "Damien",
    "Arnaud",
    "Guillaume",
    "Benjamin",
    "Vincent",
    "Loïc",
    "Steven",
    "Jonathan",
    "Bryan",
    "Jason",
    "Killian",
    "Malik",
    "Nordine",
    "Farid",
    "Walid",
    "Hamza",
    "Amine",
    "Ayoub",
    "Idriss",
    "Sami",
    "Marie",
    "Julie",
    "Sarah",
    "Laura",
    "Camille",
    "Inès",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Jade",
    "Yasmine",
    "Nadia",
    "Sabrina",
    "Aurélie",
    "Élodie",
    "Céline",
    "Sandrine",
]


@dataclass
class SiteGenere:
    """Un établissement et ce qui l'entoure : antennes SPIP, SIAE implantée, agents."""

    etablissement: Etablissement
    spip_mf: Structure
    implantation: Implantation
    siae: Structure
    service: Structure
    cpips: list[Utilisateur] = field(default_factory=list)
    dpip: Utilisateur | None = None
    cips: list[Utilisateur] = field(default_factory=list)
    ets: list[Utilisateur] = field(default_factory=list)
    direction: Utilisateur | None = None
    orienteurs: list[Utilisateur] = field(default_factory=list)
    cpip_mo: Utilisateur | None = None
    demo: bool = False
    personnes: int = 0


@dataclass
class ContexteGeneration:
    """Ce que les étapes se transmettent."""

    personnes: int
    etablissements: int
    rng: random.Random
    jour: datetime.date
    sites: list[SiteGenere] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    journal: Callable[[str], None] = print

    def instant(self, jours_avant: int, minutes: int = 0) -> datetime.datetime:
        """Un horodatage déterministe, ``jours_avant`` jours avant le jour de génération."""
        moment = datetime.datetime.combine(
            self.jour - datetime.timedelta(days=jours_avant), datetime.time(9)
        ) + datetime.timedelta(minutes=minutes)
        return timezone.make_aware(moment)


Etape = Callable[[ContexteGeneration], None]
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


def deja_genere() -> bool:
    return Etablissement.objects.filter(code__startswith=f"{PREFIXE}-").exists()


def etablissements_par_defaut(personnes: int) -> int:
    return max(1, round(personnes / PERSONNES_PAR_ETABLISSEMENT))


def generer(
    *,
    personnes: int,
    etablissements: int | None = None,
    seed: int = 1,
    journal: Callable[[str], None] = print,
) -> ContexteGeneration:
    """Exécute toutes les étapes enregistrées, dans l'ordre, puis met les droits en conformité
    par les règles d'accès (0 écart attendu ensuite)."""
    ctx = ContexteGeneration(
        personnes=personnes,
        etablissements=etablissements or etablissements_par_defaut(personnes),
        rng=random.Random(seed),  # noqa: S311 — données fictives reproductibles, pas de secret
        jour=timezone.localdate(),
        journal=journal,
    )
    for fonction in etapes():
        debut = time.perf_counter()
        fonction(ctx)
        journal(f"{fonction.__module__}.{fonction.__name__} : {time.perf_counter() - debut:.1f} s")
    return ctx


def droits(ctx: ContexteGeneration, quoi: str) -> None:
    """Les droits et appartenances, produits par les règles elles-mêmes."""
    rapport = acces.reconcilier(corriger=True, taille_lot=TAILLE_LOT, en_masse=True)
    total = rapport.total
    ctx.journal(f"  droits ({quoi}) : {total.manquants} ajouté(s), {total.en_trop} retiré(s)")


def repartir(total: int, parts: int, rng: random.Random) -> list[int]:
    """Découpe ``total`` en ``parts`` tailles inégales (de 0,4 à 1,6 fois la moyenne)."""
    poids = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    somme = sum(poids)
    tailles = [int(total * p / somme) for p in poids]
    for i in range(total - sum(tailles)):
        tailles[i % parts] += 1
    return tailles


# --- Organisations, agents, chartes en vigueur ---------------------------------------------


def _structures(definitions: list[dict[str, Any]]) -> list[Structure]:
    groupes = inserer([Group(name=f"structure-{PREFIXE}-{d['cle']}") for d in definitions])
    return inserer(
        [
            Structure(groupe=g, **{k: v for k, v in d.items() if k != "cle"})
            for d, g in zip(definitions, groupes, strict=True)
        ]
    )


@etape(0)
def organisations_et_agents(ctx: ContexteGeneration) -> None:
    rng = ctx.rng
    disps = [d for d in Disp.values if d != Disp.OUTRE_MER]
    types = list(TypeEtablissement.values)
    etablissements = inserer(
        [
            Etablissement(
                nom=f"Établissement généré n° {i + 1:03d}",
                code=f"{PREFIXE}-{i + 1:04d}",
                disp=disps[i % len(disps)],
                type=rng.choice(types),
            )
            for i in range(ctx.etablissements)
        ]
    )
    definitions: list[dict[str, Any]] = []
    for e in etablissements:
        definitions += [
            {
                "cle": f"{e.code}-spip-mf",
                "nom": f"SPIP — antenne milieu fermé ({e.nom})",
                "type": TypeStructure.SPIP,
                "milieu": Milieu.FERME,
                "etablissement": e,
                "disp": e.disp,
            },
            {
                "cle": f"{e.code}-spip-mo",
                "nom": f"SPIP — antenne milieu ouvert ({e.nom})",
                "type": TypeStructure.SPIP,
                "milieu": Milieu.OUVERT,
                "disp": e.disp,
            },
            {
                "cle": f"{e.code}-siae",
                "nom": f"SIAE générée ({e.nom})",
                "type": TypeStructure.SIAE,
                "disp": e.disp,
            },
            {
                "cle": f"{e.code}-detention",
                "nom": f"Détention ({e.nom})",
                "type": TypeStructure.ETABLISSEMENT,
                "etablissement": e,
                "disp": e.disp,
            },
        ]
    structures = _structures(definitions)
    debut = ctx.jour - datetime.timedelta(days=400)
    implantations = inserer(
        [
            Implantation(
                siae=structures[4 * i + 2],
                etablissement=e,
                spip=structures[4 * i],
                debut_implantation=debut,
                date_demarrage=debut + datetime.timedelta(days=30),
            )
            for i, e in enumerate(etablissements)
        ]
    )
    inserer([Charte(implantation=i) for i in implantations])
    tailles = repartir(ctx.personnes, len(etablissements), rng)
    for i, e in enumerate(etablissements):
        ctx.sites.append(
            SiteGenere(
                etablissement=e,
                spip_mf=structures[4 * i],
                implantation=implantations[i],
                siae=structures[4 * i + 2],
                service=structures[4 * i + 3],
                personnes=tailles[i],
            )
        )

    # Un seul hachage : le mot de passe de démonstration (les mesures se connectent).
    mot_de_passe = make_password(demo.MOT_DE_PASSE_DEMO)
    agents: list[Utilisateur] = []
    affectations: list[tuple[Utilisateur, Structure, str]] = []

    def agent(site: SiteGenere, role: str, n: int, structure: Structure, fonction: str):
        u = Utilisateur(
            email=f"{role}-{n}.{site.etablissement.code.lower()}@genere.test",
            prenom=rng.choice(PRENOMS),
            nom=rng.choice(NOMS),
            password=mot_de_passe,
            date_joined=ctx.instant(400),
        )
        agents.append(u)
        affectations.append((u, structure, fonction))
        return u

    for i, site in enumerate(ctx.sites):
        mo = structures[4 * i + 1]
        site.cpips = [
            agent(site, "cpip", n + 1, site.spip_mf, Fonction.CPIP_MF)
            for n in range(max(1, round(site.personnes / PERSONNES_PAR_CPIP)))
        ]
        site.dpip = agent(site, "dpip", 1, site.spip_mf, Fonction.DPIP)
        site.cpip_mo = agent(site, "cpip-mo", 1, mo, Fonction.CPIP_MO)
        site.cips = [agent(site, "cip", n + 1, site.siae, Fonction.CIP) for n in range(2)]
        site.ets = [
            agent(site, "et", n + 1, site.siae, Fonction.ENCADRANT_TECHNIQUE) for n in range(2)
        ]
        site.direction = agent(site, "direction", 1, site.siae, Fonction.DIRECTION_SIAE)
        site.orienteurs = [
            agent(site, "orienteur", n + 1, site.service, f)
            for n, f in enumerate([Fonction.REFERENT_TRAVAIL, Fonction.REFERENT_FORMATION])
        ]
    inserer(agents)
    inserer(
        [
            Affectation(utilisateur=u, structure=s, fonction=f, debut=debut)
            for u, s, f in affectations
        ]
    )
    _site_demo(ctx)
    ctx.journal(f"  {len(etablissements)} établissements, {len(agents)} agents")
    droits(ctx, "agents et chartes")


def _site_demo(ctx: ContexteGeneration) -> None:
    """Si la démonstration est chargée, son établissement reçoit aussi sa part de personnes,
    suivies par les agents de démonstration : leurs pages se mesurent à l'échelle."""
    etablissement = Etablissement.objects.filter(code="DEMO-VALMONT").first()
    if etablissement is None:
        return
    implantation = Implantation.objects.select_related("siae", "spip").get(
        etablissement=etablissement
    )
    par_email = {u.email: u for u in Utilisateur.objects.filter(email__endswith="@demo.test")}
    service = Structure.objects.get(type=TypeStructure.ETABLISSEMENT, etablissement=etablissement)
    taille = ctx.personnes // (ctx.etablissements + 1)
    ctx.sites.append(
        SiteGenere(
            etablissement=etablissement,
            spip_mf=implantation.spip,
            implantation=implantation,
            siae=implantation.siae,
            service=service,
            cpips=[par_email["cpip@demo.test"], par_email["cpip2@demo.test"]],
            dpip=par_email["dpip@demo.test"],
            cips=[par_email["cip@demo.test"]],
            ets=[par_email["et@demo.test"]],
            direction=par_email["direction@demo.test"],
            orienteurs=[par_email["orienteur@demo.test"]],
            cpip_mo=par_email["cpip-mo@demo.test"],
            demo=True,
            personnes=taille,
        )
    )
    # La part de la démonstration est prise sur les établissements générés.
    reste = taille
    for site in ctx.sites[:-1]:
        if reste == 0:
            break
        retrait = min(reste, site.personnes // 2)
        site.personnes -= retrait
        reste -= retrait


@etape(10)
def chartes_en_vigueur(ctx: ContexteGeneration) -> None:
    """Chaque implantation générée a une charte en vigueur, approuvée par les deux parties.
    La première passe par les services de la charte (mêmes règles, mêmes journaux) ; les
    autres en sont des copies ligne à ligne, attribuées à leur propre DPIP et direction."""
    generes = [s for s in ctx.sites if not s.demo]
    if not generes:
        return
    modele_site = generes[0]
    saisies = demo._saisies_demo(demo._CHARTE_DEMO)
    v = versions.creer_version(charte=modele_site.implantation.charte, par=modele_site.dpip)
    v = versions.enregistrer_champs(
        version=v, revision=v.revision, saisies=saisies, par=modele_site.dpip
    )
    lignes = {
        ligne.pk: dict(
            zip(
                versions.COLONNES_REPARTITION,
                demo._REPARTITION_DEMO[ligne.domaine.code],
                strict=True,
            )
        )
        for ligne in v.repartition.select_related("domaine")
    }
    v = versions.enregistrer_repartition(
        version=v, revision=v.revision, lignes=lignes, par=modele_site.direction
    )
    versions.soumettre(version=v, par=modele_site.dpip)
    versions.approuver(version=v, par=modele_site.dpip)
    v = versions.approuver(version=v, par=modele_site.direction)

    def copies(objets: list[Any], site: SiteGenere, **valeurs: Any) -> list[Any]:
        agents = {modele_site.dpip.pk: site.dpip.pk, modele_site.direction.pk: site.direction.pk}
        resultat = []
        for objet in objets:
            copie = copy.copy(objet)
            copie.pk = None
            copie._state = ModelState()
            for champ in objet._meta.concrete_fields:
                if champ.is_relation and champ.related_model is Utilisateur:
                    ancien = getattr(objet, champ.attname)
                    setattr(copie, champ.attname, agents.get(ancien, ancien))
            for nom, valeur in valeurs.items():
                setattr(copie, nom, valeur)
            resultat.append(copie)
        return resultat

    nouvelles = []
    for site in generes[1:]:
        nouvelles += copies([v], site, charte_id=site.implantation.charte.pk)
    inserer(nouvelles)
    for related in ("valeurs", "criteres", "repartition", "revisions", "evenements"):
        lignes_modele = list(getattr(v, related).all())
        inserer(
            [
                ligne
                for site, version in zip(generes[1:], nouvelles, strict=True)
                for ligne in copies(lignes_modele, site, version_id=version.pk)
            ]
        )
    ctx.journal(f"  {len(generes)} chartes en vigueur")


@etape(90)
def notifications(ctx: ContexteGeneration) -> None:
    """Quelques notifications par agent, lues ou non (la navigation compte les non lues)."""
    rng = ctx.rng
    lignes = []
    for site in ctx.sites:
        for u in [*site.cpips, site.dpip, *site.cips, *site.ets, site.direction]:
            for n in range(rng.randint(2, 8)):
                lignes.append(
                    Notification(
                        destinataire=u,
                        texte="Une orientation attend votre avis.",
                        lien="/parcours/orientations/",
                        evenement="generation",
                        creee_le=ctx.instant(rng.randint(0, 90), n),
                        lue_le=ctx.instant(0) if rng.random() < 0.7 else None,
                    )
                )
    inserer(lignes)
    ctx.journal(f"  {len(lignes)} notifications")


@etape(100)
def droits_finaux(ctx: ContexteGeneration) -> None:
    droits(ctx, "dossiers")
