"""Droit d'accès : le DPIP du SPIP de l'établissement exporte tout ce qui est détenu sur une
personne (JSON et PDF), liaison avec le JAP comprise ; l'export n'existe pour aucun autre agent ;
il est journalisé ; un texte hostile y reste inerte ; le nombre de requêtes ne dépend pas du
volume du dossier ; la page dit où rectifier chaque donnée."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from charte_iae import droit_acces
from charte_iae.models import ActionAudit, EntreeAudit
from communication.models import CahierTransmission
from tests.accompagnement import factories as fabriques_accompagnement
from tests.communication.factories import EntreeCahierFactory
from tests.parcours import siae_outils
from tests.securite.test_corpus import verifier_pdf_inerte

HOSTILE = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'

SECTIONS_ATTENDUES = {
    "identite",
    "historique_dates",
    "informations",
    "orientations",
    "prescriptions",
    "demandes_classement",
    "examens_cpu",
    "entretiens",
    "parcours",
    "suspensions",
    "livrets",
    "livret_competences",
    "livret_observations",
    "livret_postes",
    "livret_formations",
    "livret_demarches",
    "livret_remises",
    "passages",
    "alertes",
    "actions",
    "situations",
    "amenagements",
    "elements_amenagement",
    "liaisons_jap",
    "cahier",
    "cahier_entrees",
    "reunions",
}


def _dossier(site, *, texte="Transmission ordinaire", jap="Rapport au juge"):
    parcours = siae_outils.en_parcours(site)
    siae_outils.avec_livret_finalise(site, parcours)
    personne = parcours.personne
    fabriques_accompagnement.action(auteur=site.cip, personne=personne)
    fabriques_accompagnement.liaison_jap(auteur=site.cpip, personne=personne, contenu=jap)
    EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip, texte=texte)
    return personne


def _urls(personne):
    return [
        reverse(nom, args=[personne.pk])
        for nom in ("parcours:droit_acces", "parcours:droit_acces_json", "parcours:droit_acces_pdf")
    ]


def test_le_json_contient_tout_le_dossier_jap_compris(client, site):
    personne = _dossier(site, texte="Entrée du cahier 77", jap="Rapport JAP 55")
    client.force_login(site.dpip)
    reponse = client.get(reverse("parcours:droit_acces_json", args=[personne.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("application/json")
    assert reponse["Content-Disposition"].startswith("attachment;")
    export = json.loads(reponse.content)
    assert export["personne"] == personne.pk and export["cote"] == "spip"
    sections = export["sections"]
    assert set(sections) == SECTIONS_ATTENDUES
    (identite,) = sections["identite"]["elements"]
    assert identite["nom"] == personne.nom and identite["numero_ecrou"] == personne.numero_ecrou
    assert [e["contenu"] for e in sections["liaisons_jap"]["elements"]] == ["Rapport JAP 55"]
    assert [e["texte"] for e in sections["cahier_entrees"]["elements"]] == ["Entrée du cahier 77"]
    for cle in ("prescriptions", "entretiens", "parcours", "livrets", "actions"):
        assert sections[cle]["elements"], cle
    assert all(s["ou_corriger"] for s in sections.values())


def test_ce_que_detient_la_siae_ne_contient_jamais_le_jap(site):
    personne = _dossier(site)
    export = droit_acces.tout_ce_qui_est_detenu(personne, cote=droit_acces.COTE_SIAE)
    assert "liaisons_jap" not in export["sections"]
    assert "Rapport au juge" not in json.dumps(export, default=str)
    assert set(export["sections"]) == SECTIONS_ATTENDUES - {"liaisons_jap"}


def test_le_pdf_reprend_le_dossier(client, site):
    personne = _dossier(site, texte="Entrée du cahier 77", jap="Rapport JAP 55")
    client.force_login(site.dpip)
    reponse = client.get(reverse("parcours:droit_acces_pdf", args=[personne.pk]))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(reponse.content)).pages)
    texte = " ".join(texte.split())
    for attendu in (
        personne.nom.upper(),
        personne.numero_ecrou,
        "Rapport JAP 55",
        "Entrée du cahier 77",
        "Échanges avec le juge de l'application des peines",
        "Livret : compétences",
        "Rectification :",
    ):
        assert attendu in texte, attendu


def test_chaque_export_est_journalise_sans_valeur_personnelle(client, site):
    personne = _dossier(site)
    client.force_login(site.dpip)
    for nom in ("parcours:droit_acces_json", "parcours:droit_acces_pdf"):
        assert client.get(reverse(nom, args=[personne.pk])).status_code == 200
    exports = EntreeAudit.objects.sur(personne).filter(action=ActionAudit.EXPORT)
    assert exports.count() == 2
    assert {e.acteur for e in exports} == {site.dpip}


@pytest.mark.parametrize("profil", ["cpip", "cpip_mo", "cip", "et", "direction", "orienteur"])
def test_l_export_n_existe_pour_aucun_autre_profil(client, site, profil):
    personne = _dossier(site)
    client.force_login(getattr(site, profil))
    for url in _urls(personne):
        assert client.get(url).status_code == 404
    assert not EntreeAudit.objects.sur(personne).filter(action=ActionAudit.EXPORT).exists()


def test_ni_pour_le_dpip_d_un_autre_site(client, site, autre_site):
    personne = _dossier(site)
    client.force_login(autre_site.dpip)
    for url in _urls(personne):
        assert client.get(url).status_code == 404


def test_un_texte_hostile_reste_inerte(client, site):
    personne = _dossier(site, texte=HOSTILE, jap=HOSTILE)
    client.force_login(site.dpip)
    page, donnees, document = (client.get(url) for url in _urls(personne))
    assert page.status_code == 200 and "<script>alert(1)" not in page.content.decode()
    # Le JSON est servi comme données (jamais interprété) et se relit à l'identique.
    assert donnees["Content-Type"].startswith("application/json")
    assert donnees["X-Content-Type-Options"] == "nosniff"
    export = json.loads(donnees.content)
    assert export["sections"]["cahier_entrees"]["elements"][0]["texte"] == HOSTILE
    verifier_pdf_inerte(document.content)


def test_la_page_dit_ou_rectifier_chaque_donnee(client, site):
    personne = _dossier(site)
    client.force_login(site.dpip)
    html = client.get(reverse("parcours:droit_acces", args=[personne.pk])).content.decode()
    assert 'id="rectification"' in html
    for section in droit_acces.sections():
        assert section.titre.replace("'", "&#x27;") in html
    assert reverse("parcours:droit_acces_json", args=[personne.pk]) in html
    fiche = client.get(reverse("parcours:personne", args=[personne.pk])).content.decode()
    assert reverse("parcours:droit_acces", args=[personne.pk]) in fiche


def test_le_nombre_de_requetes_ne_depend_pas_du_volume(client, site):
    def requetes(personne):
        with CaptureQueriesContext(connection) as capture:
            droit_acces.tout_ce_qui_est_detenu(personne)
        return len(capture.captured_queries)

    personne = _dossier(site)
    une_fois = requetes(personne)
    for _ in range(3):
        fabriques_accompagnement.action(auteur=site.cip, personne=personne)
        fabriques_accompagnement.liaison_jap(auteur=site.cpip, personne=personne)
        EntreeCahierFactory(
            cahier=CahierTransmission.objects.get(personne=personne), auteur=site.et
        )
    assert requetes(personne) == une_fois == len(droit_acces.sections())
