"""Chargement du modèle national de charte depuis son fichier structuré
(``charte_iae/modeles/*.json``, écrit par le projet à partir de l'Annexe 4).

Chaque instruction entre crochets du modèle y est un champ à remplir, avec sa consigne.
Le chargement est idempotent : une version déjà chargée n'est pas modifiée (les chartes
qui l'utilisent restent intactes) ; un modèle révisé se charge sous un nouveau numéro.
Il sert à la migration de données comme à la commande ``charger_modele_charte`` : les
modèles Django sont passés par ``apps`` pour fonctionner avec l'état historique."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.apps import apps as apps_courantes
from django.core.exceptions import ValidationError

DOSSIER_MODELES = Path(__file__).resolve().parent / "modeles"
FICHIER_ANNEXE4 = DOSSIER_MODELES / "annexe4.json"

TYPES_BLOCS = {"paragraphe", "liste", "note", "champ"}
TYPES_SOUS_CHAMPS = {"texte", "texte_long", "booleen", "choix"}


def lire(chemin: Path = FICHIER_ANNEXE4) -> dict[str, Any]:
    return json.loads(Path(chemin).read_text(encoding="utf-8"))


def verifier(donnees: dict[str, Any]) -> None:
    """Refuse un fichier mal formé avant d'écrire quoi que ce soit."""
    codes: set[str] = set()
    for article in donnees["articles"]:
        for bloc in article["blocs"]:
            (nature,) = bloc.keys()
            if nature not in TYPES_BLOCS:
                raise ValidationError(
                    f"Bloc inconnu « {nature} » dans l'article {article['numero']}."
                )
            if nature == "champ":
                champ = bloc["champ"]
                if champ["code"] in codes:
                    raise ValidationError(f"Champ « {champ['code']} » en double.")
                codes.add(champ["code"])
                for sous in champ.get("sous_champs", []):
                    if sous["type"] not in TYPES_SOUS_CHAMPS:
                        raise ValidationError(f"Rubrique de type inconnu : {sous['type']}.")
    domaines = [d["code"] for d in donnees["domaines"]]
    if len(domaines) != len(set(domaines)):
        raise ValidationError("Domaine d'intervention en double dans le modèle.")


def charger(donnees: dict[str, Any], apps: Any = apps_courantes) -> tuple[Any, bool]:
    """Crée le modèle (articles, champs, domaines nationaux). Renvoie (modèle, créé ?)."""
    ModeleCharte = apps.get_model("charte_iae", "ModeleCharte")
    ArticleModele = apps.get_model("charte_iae", "ArticleModele")
    ChampModele = apps.get_model("charte_iae", "ChampModele")
    DomaineIntervention = apps.get_model("charte_iae", "DomaineIntervention")

    existant = ModeleCharte.objects.filter(code=donnees["code"], version=donnees["version"]).first()
    if existant is not None:
        return existant, False
    verifier(donnees)
    modele = ModeleCharte.objects.create(
        code=donnees["code"],
        version=donnees["version"],
        intitule=donnees["intitule"],
        source=donnees["source"],
        avertissement=donnees.get("avertissement", ""),
    )
    ordre_champ = 0
    for ordre, art in enumerate(donnees["articles"], start=1):
        blocs = []
        champs = []
        for bloc in art["blocs"]:
            if "champ" in bloc:
                champs.append(bloc["champ"])
                blocs.append({"champ": bloc["champ"]["code"]})
            else:
                blocs.append(bloc)
        article = ArticleModele.objects.create(
            modele=modele, numero=art["numero"], titre=art["titre"], ordre=ordre, blocs=blocs
        )
        for champ in champs:
            ordre_champ += 1
            ChampModele.objects.create(
                modele=modele,
                article=article,
                code=champ["code"],
                libelle=champ["libelle"],
                consigne=champ["consigne"],
                nature=champ["nature"],
                type=champ["type"],
                obligatoire=champ.get("obligatoire", False),
                sous_champs=champ.get("sous_champs", []),
                ordre=ordre_champ,
            )
    DomaineIntervention.objects.bulk_create(
        DomaineIntervention(modele=modele, code=d["code"], libelle=d["libelle"], ordre=i)
        for i, d in enumerate(donnees["domaines"], start=1)
    )
    return modele, True
