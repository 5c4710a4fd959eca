"""Le modèle national en données : chaque crochet de l'Annexe 4 devient un champ à remplir."""

import copy
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from charte_iae import modele_charte
from charte_iae.models import ArticleModele, ChampModele, DomaineIntervention, ModeleCharte

SOURCE = modele_charte.DOSSIER_MODELES / "annexe4-source.txt"
# Crochets du texte source qui ne sont pas des instructions : appel et corps de la note de
# bas de page, renvoi « [voir V] » (devenu « voir article 5 » dans le texte fixe).
PAS_DES_INSTRUCTIONS = re.compile(r"^(footnoteRef:\d+|\d+:\s.*|voir V)$", re.S)


def _instructions_du_modele() -> list[str]:
    texte = SOURCE.read_text(encoding="utf-8")
    crochets = re.findall(r"\[([^\[\]]*)\]", texte)
    return [c for c in crochets if not PAS_DES_INSTRUCTIONS.match(c)]


@pytest.fixture
def annexe4(db) -> ModeleCharte:
    return ModeleCharte.objects.get(code="annexe4", version=1)


def test_chaque_instruction_entre_crochets_devient_un_champ_avec_sa_consigne(annexe4):
    instructions = _instructions_du_modele()
    assert len(instructions) == 10
    consignes = list(annexe4.champs.order_by("ordre").values_list("consigne", flat=True))
    assert consignes == instructions


def test_les_quatre_sortes_d_instruction_sont_reconnues(annexe4):
    natures = dict(annexe4.champs.values_list("code", "nature"))
    assert natures["canaux_information"] == "preciser"
    assert natures["criteres_locaux"] == "ajouter"
    assert natures["repartition_roles"] == "formaliser"
    assert natures["identification_competences"] == "recommandation"


def test_articles_et_sous_articles_dans_l_ordre(annexe4):
    numeros = list(annexe4.articles.values_list("numero", flat=True))
    assert numeros == ["1", "2", "3", "3.1", "3.2", "4", "5", "5.1", "5.2", "6"]
    prescription = annexe4.articles.get(numero="3.2")
    assert "Seul le service pénitentiaire" in prescription.blocs[0]["paragraphe"]
    assert {"champ": "criteres_locaux"} in prescription.blocs


def test_les_huit_domaines_du_modele(annexe4):
    assert list(annexe4.domaines.values_list("code", flat=True)) == [
        "acces_droits",
        "logement",
        "sante",
        "projet_professionnel",
        "recherche_emploi_sortie",
        "formation",
        "mobilite",
        "amenagement_peine",
    ]


def test_le_chargement_est_idempotent(annexe4):
    avant = (ArticleModele.objects.count(), ChampModele.objects.count())
    call_command("charger_modele_charte")
    assert (ArticleModele.objects.count(), ChampModele.objects.count()) == avant


def test_une_nouvelle_version_du_modele_se_charge_sans_toucher_aux_chartes(site, en_vigueur):
    donnees = modele_charte.lire()
    donnees["version"] = 2
    donnees["articles"][0]["titre"] = "Mise en place (modèle révisé)"
    modele, cree = modele_charte.charger(donnees)
    assert cree and modele.version == 2
    assert modele.champs.count() == 10
    assert DomaineIntervention.objects.filter(modele=modele).count() == 8
    en_vigueur.refresh_from_db()
    assert en_vigueur.modele.version == 1
    assert en_vigueur.valeurs.count() > 0


def test_un_fichier_mal_forme_est_refuse_sans_rien_ecrire(db):
    donnees = copy.deepcopy(modele_charte.lire())
    donnees["version"] = 99
    donnees["articles"][3]["blocs"].append(donnees["articles"][3]["blocs"][-1])  # champ en double
    with pytest.raises(ValidationError, match="en double"):
        modele_charte.charger(donnees)
    assert not ModeleCharte.objects.filter(version=99).exists()
