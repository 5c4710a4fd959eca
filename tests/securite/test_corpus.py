"""Le corpus hostile dans chaque formulaire existant : jamais de 500, enregistré tel quel ou
refusé en français, toujours échappé à l'affichage."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import MOT_DE_PASSE
from tests.securite.corpus import (
    CHEMINS,
    CORPUS,
    FORMULES,
    GABARITS,
    GRAND,
    OCTETS,
    SQL,
    TEXTES,
    UNICODE,
    XSS,
    ids,
)
from tests.securite.matrice import (
    DOCUMENTS_PDF,
    EXPORTS_CSV,
    METHODE,
    OK,
    PERSONAS,
    SANS_SAISIE,
    adresse,
    attendu_pour,
    motifs_du_projet,
)


def _sans_injection(html: str, valeur: str) -> None:
    if any(c in valeur for c in "<>\"'") and len(valeur) < 1000:
        assert valeur not in html, f"valeur réaffichée sans échappement : {valeur!r}"
    assert "<script>alert(1)</script>" not in html


# Un échantillon par famille (le corpus entier passe dans la connexion et le second facteur).
ECHANTILLON = [
    XSS[0],
    XSS[1],
    GABARITS[0],
    SQL[1],
    OCTETS[0],
    UNICODE[1],
    CHEMINS[0],
    FORMULES[0],
    GRAND[0],
]
_CHAMP = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _champs_du_formulaire(html: str) -> dict[str, tuple[str, str]]:
    """nom -> (type, valeur affichée) pour chaque champ des formulaires POST de la page."""
    champs: dict[str, tuple[str, str]] = {}
    for formulaire in re.findall(
        r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I
    ):
        for balise, attributs in _CHAMP.findall(formulaire):
            attrs = dict(_ATTR.findall(attributs))
            if "name" in attrs:
                genre = attrs.get("type", balise.lower())
                champs.setdefault(attrs["name"], (genre, attrs.get("value", "")))
    return champs


def verifier_pdf_inerte(contenu: bytes) -> None:
    """Un PDF qui n'agit pas à l'ouverture : ni script, ni action automatique, ni lancement,
    ni pièce jointe ; ses liens ne sont que des adresses web (jamais ``javascript:``)."""
    lecteur = PdfReader(io.BytesIO(contenu))
    catalogue = lecteur.trailer["/Root"]
    assert "/OpenAction" not in catalogue and "/AA" not in catalogue
    noms = catalogue.get("/Names", {})
    assert "/JavaScript" not in noms and "/EmbeddedFiles" not in noms
    for page in lecteur.pages:
        assert "/AA" not in page
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            assert action.get("/S") in {None, "/URI", "/GoTo"}, action
            assert not str(action.get("/URI", "")).lower().startswith(("javascript:", "file:"))


def _valeur_hostile(genre: str, valeur: str, defaut: str) -> str:
    if genre in {"hidden", "checkbox", "radio", "submit", "select"}:
        return defaut
    if genre == "date":
        return "0001-01-01" if len(valeur) % 2 else "9999-12-31"
    if genre == "number":
        return "-1"
    return valeur


def _pages_avec_post() -> list:
    """Chaque URL dont un profil affiche la page (GET 200) et qui accepte le POST, avec ce profil
    (calculé à la collecte, d'après la matrice)."""
    retenues = []
    for motif in motifs_du_projet():
        attendu = attendu_pour(motif)
        if attendu is None or motif.route.startswith("admin/"):
            continue
        for persona in PERSONAS:
            if (
                persona != "anonyme"
                and attendu.get[persona] == OK
                and attendu.pour_methode("post")[persona] != METHODE
            ):
                retenues.append((motif, persona))
                break
    return retenues


PAGES_AVEC_POST = _pages_avec_post()
# Les formulaires à remplir ; les documents, exports et pages sans champ sont déclarés dans la
# matrice (``SANS_SAISIE``) et vérifiés à part : rien n'est sauté à l'exécution.
FORMULAIRES = [(m, p) for m, p in PAGES_AVEC_POST if m.cle not in SANS_SAISIE]
SANS_FORMULAIRE = [(m, p) for m, p in PAGES_AVEC_POST if m.cle in SANS_SAISIE]


def _saisissables(champs: dict[str, tuple[str, str]]) -> list[str]:
    return [nom for nom, (genre, _) in champs.items() if genre not in {"hidden", "submit"}]


def test_la_liste_sans_saisie_ne_declare_que_des_pages_avec_post():
    assert {m.cle for m, _ in PAGES_AVEC_POST} >= SANS_SAISIE


@pytest.mark.parametrize(("motif", "persona"), FORMULAIRES, ids=[m.cle for m, _ in FORMULAIRES])
def test_corpus_dans_chaque_formulaire(monde, motif, persona):
    client = Client()
    client.force_login(monde.agent(persona))
    url = adresse(motif, attendu_pour(motif), monde)
    page = client.get(url)
    assert page["Content-Type"].startswith("text/html"), (
        f"{motif.cle} n'est pas une page : déclarez-la dans DOCUMENTS_PDF ou EXPORTS_CSV"
    )
    champs = _champs_du_formulaire(page.content.decode())
    assert _saisissables(champs), (
        f"{motif.cle} n'a aucun champ saisissable : déclarez-la dans PAGES_SANS_SAISIE"
    )
    for valeur in ECHANTILLON:
        donnees = {
            nom: _valeur_hostile(genre, valeur, defaut)
            for nom, (genre, defaut) in champs.items()
            if nom != "csrfmiddlewaretoken"
        }
        reponse = client.post(url, donnees)
        assert reponse.status_code < 500, f"{url} : {reponse.status_code} avec {valeur[:30]!r}"
        if reponse.status_code == 200 and reponse["Content-Type"].startswith("text/html"):
            _sans_injection(reponse.content.decode(), valeur)


@pytest.mark.parametrize(
    ("motif", "persona"), SANS_FORMULAIRE, ids=[m.cle for m, _ in SANS_FORMULAIRE]
)
def test_les_adresses_sans_saisie_le_restent(monde, motif, persona):
    """Un document imprimé reste inerte ; un export reste un CSV (neutralisation des formules :
    test_exports) ; une page déclarée sans champ n'en a toujours aucun."""
    client = Client()
    client.force_login(monde.agent(persona))
    page = client.get(adresse(motif, attendu_pour(motif), monde))
    assert page.status_code == 200
    if motif.cle in DOCUMENTS_PDF:
        assert page["Content-Type"] == "application/pdf"
        verifier_pdf_inerte(page.content)
    elif motif.cle in EXPORTS_CSV:
        assert page["Content-Type"].startswith("text/csv")
    else:
        assert page["Content-Type"].startswith("text/html")
        assert not _saisissables(_champs_du_formulaire(page.content.decode())), (
            f"{motif.cle} a maintenant un champ : retirez-la de PAGES_SANS_SAISIE"
        )


@pytest.mark.parametrize("valeur", CORPUS, ids=ids(CORPUS))
def test_formulaire_de_connexion(client, site, valeur):
    for donnees in (
        {"username": valeur, "password": valeur},
        {"username": site.cip.email, "password": valeur},
    ):
        reponse = client.post(reverse("connexion") + f"?next={valeur[:200]}", donnees)
        assert reponse.status_code in {200, 429}
        _sans_injection(reponse.content.decode(), valeur)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("valeur", CORPUS, ids=ids(CORPUS))
def test_suite_de_connexion_reste_sur_le_site(client, site, valeur):
    reponse = client.post(
        reverse("connexion"),
        {"username": site.cpip.email, "password": MOT_DE_PASSE, "next": valeur[:2000]},
    )
    assert reponse.status_code == 302
    cible = reponse["Location"]
    morceaux = urlsplit(cible)
    assert morceaux.scheme in {"", "http", "https"} and morceaux.netloc in {"", "testserver"}
    assert not cible.startswith("//")


@pytest.mark.parametrize("valeur", CORPUS, ids=ids(CORPUS))
def test_formulaires_du_second_facteur(client, site, valeur):
    client.force_login(site.dpip)
    for nom in ("otp_activer", "otp_verifier"):
        reponse = client.post(reverse(nom), {"code": valeur, "next": valeur[:2000]})
        assert reponse.status_code in {200, 302}
        _sans_injection(reponse.content.decode(), valeur)


@pytest.mark.parametrize("valeur", TEXTES[:20], ids=ids(TEXTES[:20]))
def test_parametres_d_url_des_pages(client, site, valeur):
    client.force_login(site.dpip)
    for url in (
        reverse("chartes"),
        reverse("accueil"),
        reverse("journal_objet", args=["charte_iae.charte", site.charte.pk]),
    ):
        reponse = client.get(url, {"page": valeur, "q": valeur})
        assert reponse.status_code == 200
        _sans_injection(reponse.content.decode(), valeur)
    assert client.get(f"/journal/{valeur[:50]}/1/").status_code in {404}


@pytest.mark.parametrize(
    "valeur",
    [XSS[4], XSS[3], GABARITS[0], FORMULES[4]],
    ids=ids(XSS[3:5] + GABARITS[:1] + FORMULES[4:]),
)
def test_le_livret_et_la_synthese_imprimes_restent_inertes(client, site, valeur):
    """Un texte hostile saisi dans le livret et dans le projet transmis au milieu ouvert
    s'imprime tel quel : le PDF n'en fait ni un lien actif ni un script."""
    from parcours import services_siae
    from parcours.enums import CategorieCompetence, NiveauCompetence
    from parcours.models import CompetenceLivret
    from tests.parcours import siae_outils

    parcours = siae_outils.en_parcours(site)
    services_siae.ajouter_au_livret(
        parcours=parcours,
        auteur=site.et,
        element=CompetenceLivret(
            categorie=CategorieCompetence.TECHNIQUE, intitule=valeur, niveau=NiveauCompetence.ACQUIS
        ),
    )
    services_siae.modifier_projet(
        parcours=parcours, auteur=site.cip, objectifs=valeur, projet_professionnel=valeur
    )
    livret = services_siae.finaliser_livret(livret=parcours.livrets.get(), auteur=site.cip)
    siae_outils.sortir(site, parcours)
    passage = services_siae.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet=valeur
    )
    client.force_login(site.cpip)
    for url in (
        reverse("parcours_siae:livret_pdf", args=[livret.pk]),
        reverse("parcours_siae:passage_pdf", args=[passage.pk]),
    ):
        reponse = client.get(url)
        assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
        verifier_pdf_inerte(reponse.content)
