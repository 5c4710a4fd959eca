"""Le rendu PDF : contenu juste, police Marianne embarquée, rien n'est lu hors des fichiers
statiques, rien ne part sur le réseau, un rendu qui s'emballe est arrêté."""

import io
import socket
import threading

import pytest
from pypdf import PdfReader

from charte_iae import pdf
from charte_iae.pdf import RenduPDFImpossible


def _texte(contenu: bytes) -> str:
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return " ".join(texte.split())


def _polices(contenu: bytes) -> set[str]:
    polices = set()
    for page in PdfReader(io.BytesIO(contenu)).pages:
        for police in (page["/Resources"].get("/Font") or {}).values():
            polices.add(str(police.get_object()["/BaseFont"]))
    return polices


def test_la_notice_d_information_se_lit_en_francais_avec_marianne(site):
    contenu = pdf.rendre_document(
        "impression/notice_information.html", {"implantation": site.implantation}
    )
    assert contenu.startswith(b"%PDF")
    texte = _texte(contenu)
    assert "Vos informations et vos droits" in texte
    assert str(site.implantation.siae) in texte
    assert "santé" in texte and "délégué à la protection des données" in texte
    assert "page 1 / 1" in texte
    assert any("Marianne" in p for p in _polices(contenu))


class _Ecouteur:
    """Un serveur TCP local qui compte les connexions reçues (aucune ne doit arriver)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connexions = 0
        self.arret = False
        self.fil = threading.Thread(target=self._boucle, daemon=True)
        self.fil.start()

    def _boucle(self) -> None:
        while not self.arret:
            try:
                conn, _ = self.sock.accept()
                self.connexions += 1
                conn.close()
            except OSError:
                continue

    def fermer(self) -> None:
        self.arret = True
        self.fil.join(timeout=2)
        self.sock.close()


def test_aucune_ressource_hors_statique_n_est_lue_ni_demandee(db):
    ecouteur = _Ecouteur()
    url = f"http://127.0.0.1:{ecouteur.port}"
    html = f"""<html><head>
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="{url}/a.css">
      <style>@import url("{url}/b.css"); @import url("file:///etc/hostname");
        body {{ background: url("/static/../../../../etc/passwd"); }}</style>
    </head><body>
      <p>Contenu légitime</p>
      <img src="file:///etc/passwd"><img src="{url}/c.png"><img src="/static/%2e%2e/%2e%2e/etc/passwd">
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
        <image href="file:///etc/passwd" width="10" height="10"/><image xlink:href="{url}/d.svg"/>
      </svg>
      <iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>
    </body></html>"""
    try:
        resultat = pdf.rendre_html(html)
    finally:
        ecouteur.fermer()
    assert ecouteur.connexions == 0
    assert b"/EmbeddedFile" not in resultat.pdf
    assert "root:" not in _texte(resultat.pdf)
    assert resultat.servies == []
    assert any("file:///etc/passwd" in u for u in resultat.refusees)
    assert any(u.startswith(url) for u in resultat.refusees)


def test_le_texte_saisi_reste_du_texte_dans_le_pdf(site):
    site.implantation.siae.nom = '<img src="file:///etc/passwd"> {{7*7}} <b>gras</b>'
    contenu = pdf.rendre_document(
        "impression/notice_information.html", {"implantation": site.implantation}
    )
    texte = _texte(contenu)
    assert '<img src="file:///etc/passwd">' in texte
    assert "{{7*7}}" in texte


def test_un_rendu_trop_long_est_arrete(settings, db):
    settings.PDF_DELAI_SECONDES = 0.001
    with pytest.raises(RenduPDFImpossible):
        pdf.rendre_html("<p>" + "texte " * 20000 + "</p>")


def test_un_rendu_trop_gourmand_est_arrete(settings, db):
    settings.PDF_MEMOIRE_MAX_MO = 40
    with pytest.raises(RenduPDFImpossible):
        pdf.rendre_html("<p>texte</p>")


def test_echec_de_rendu_page_503_en_francais_avec_reessayer(settings, rf, site):
    settings.PDF_DELAI_SECONDES = 0.001
    requete = rf.get("/documents/notice.pdf")
    requete.user = site.cpip
    reponse = pdf.reponse_pdf(
        requete,
        "impression/notice_information.html",
        {"implantation": site.implantation},
        nom_fichier="notice.pdf",
    )
    assert reponse.status_code == 503
    html = reponse.content.decode()
    assert "Le document n'a pas pu être produit" in html
    assert 'href="/documents/notice.pdf"' in html


def test_reponse_pdf_ouvre_le_document_dans_le_navigateur(rf, site):
    requete = rf.get("/x")
    requete.user = site.cpip
    reponse = pdf.reponse_pdf(
        requete,
        "impression/notice_information.html",
        {"implantation": site.implantation},
        nom_fichier="notice.pdf",
    )
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == 'inline; filename="notice.pdf"'
