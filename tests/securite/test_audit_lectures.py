"""Chaque page qui montre une partie du dossier d'une personne (parcours côté SIAE, livret,
passage en milieu ouvert, accompagnement, liaison avec le JAP) et chaque document imprimé
laisse une entrée au journal — lecture ou impression — sans valeur personnelle ; une page
refusée (404, 403) n'en laisse aucune."""

from __future__ import annotations

import pytest
from django.test import Client

from charte_iae.models import ActionAudit, EntreeAudit
from tests.securite.matrice import (
    INTROUVABLE,
    OK,
    PERSONAS,
    REFUS,
    adresse,
    attendu_pour,
    motifs_du_projet,
)

LECTURE, IMPRESSION = ActionAudit.LECTURE, ActionAudit.IMPRESSION

# URL → (action, type d'objet journalisé).
JOURNALISEES = {
    "parcours:personne": (LECTURE, "parcours.personne"),
    "parcours:session_cpu_pdf": (IMPRESSION, "parcours.sessioncpu"),
    "charte_version_pdf": (IMPRESSION, "charte_iae.versioncharte"),
    "notice_information": (IMPRESSION, "charte_iae.implantation"),
    "parcours_siae:entretien_creer": (LECTURE, "parcours.prescription"),
    "parcours_siae:entretien_decider": (LECTURE, "parcours.entretienrecrutement"),
    "parcours_siae:parcours_creer": (LECTURE, "parcours.prescription"),
    "parcours_siae:parcours": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:parcours_cep": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:parcours_suspendre": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:parcours_sortie": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:parcours_accord": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:livret": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:livret_projet": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:livret_observer": (LECTURE, "parcours.competencelivret"),
    "parcours_siae:livret_version": (LECTURE, "parcours.livretcompetences"),
    "parcours_siae:livret_remise": (LECTURE, "parcours.livretcompetences"),
    "parcours_siae:livret_pdf": (IMPRESSION, "parcours.livretcompetences"),
    "parcours_siae:passage_pdf": (IMPRESSION, "parcours.passagemilieuouvert"),
    "parcours_siae:passage_creer": (LECTURE, "parcours.parcoursiae"),
    "parcours_siae:passage": (LECTURE, "parcours.passagemilieuouvert"),
    "parcours_siae:passage_renvoyer": (LECTURE, "parcours.passagemilieuouvert"),
    "accompagnement:suivi": (LECTURE, "parcours.personne"),
    "accompagnement:action_nouvelle": (LECTURE, "parcours.personne"),
    "accompagnement:action_modifier": (LECTURE, "accompagnement.actionaccompagnement"),
    "accompagnement:situation_domaine": (LECTURE, "parcours.personne"),
    "accompagnement:amenagement_nouveau": (LECTURE, "parcours.personne"),
    "accompagnement:amenagement": (LECTURE, "accompagnement.projetamenagement"),
    "accompagnement:amenagement_statut": (LECTURE, "accompagnement.projetamenagement"),
    "accompagnement:element_nouveau": (LECTURE, "accompagnement.projetamenagement"),
    "accompagnement:liaisons_jap": (LECTURE, "parcours.personne"),
    "accompagnement:liaison_jap_nouvelle": (LECTURE, "parcours.personne"),
    "accompagnement:liaison_jap": (LECTURE, "accompagnement.liaisonjap"),
}
MOTIFS = {m.cle: m for m in motifs_du_projet()}
# Les pages d'un objet du dossier (une clé dans l'URL) des espaces « dossier ».
_ESPACES_DOSSIER = ("parcours_siae:", "accompagnement:")


def _premier(attendu, voulu):
    return next((p for p in PERSONAS if attendu.get[p] == voulu), None)


def test_chaque_page_d_un_objet_du_dossier_est_journalisee():
    oubliees = [
        cle
        for cle, motif in MOTIFS.items()
        if cle.startswith(_ESPACES_DOSSIER)
        and "<" in motif.route
        and _premier(attendu_pour(motif), OK)
        and cle not in JOURNALISEES
    ]
    assert not oubliees, f"pages du dossier sans lecture journalisée : {oubliees}"


@pytest.mark.parametrize("cle", sorted(JOURNALISEES))
def test_lecture_journalisee_sans_valeur_personnelle(monde, cle):
    action, type_objet = JOURNALISEES[cle]
    motif = MOTIFS[cle]
    attendu = attendu_pour(motif)
    url = adresse(motif, attendu, monde)
    persona = _premier(attendu, OK)
    client = Client()
    client.force_login(monde.agent(persona))
    avant = EntreeAudit.objects.count()
    assert client.get(url).status_code == 200
    (entree,) = EntreeAudit.objects.filter(action=action).order_by("-pk")[:1]
    assert EntreeAudit.objects.count() == avant + 1
    assert (entree.acteur, entree.type_objet) == (monde.agent(persona), type_objet)
    assert entree.objet_id.isdigit() and entree.id_requete
    personne = monde.objet("personne")
    valeurs = " ".join(str(v) for v in EntreeAudit.objects.values_list().order_by())
    for donnee in (personne.nom, personne.prenom, personne.numero_ecrou):
        assert donnee not in valeurs

    for refus in (INTROUVABLE, REFUS):
        autre = _premier(attendu, refus)
        if autre is None:
            continue
        client.force_login(monde.agent(autre))
        avant = EntreeAudit.objects.count()
        client.get(url)
        assert EntreeAudit.objects.count() == avant, f"{autre} refusé mais journalisé"
