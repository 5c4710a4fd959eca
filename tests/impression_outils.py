"""Outils des tests de documents imprimés : texte d'un PDF page par page, écouteur réseau
local, valeurs hostiles à pousser dans les champs saisis par les agents."""

from __future__ import annotations

import io
import socket
import threading

from pypdf import PdfReader

from charte_iae import pdf, rendu_pdf


def pages(contenu: bytes) -> list[str]:
    """Le texte de chaque page, espaces normalisés."""
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(contenu)).pages]


def texte(contenu: bytes) -> str:
    return " ".join(pages(contenu))


def compact(valeur: str) -> str:
    """Sans aucun blanc : une valeur coupée en fin de ligne (cellule étroite) se retrouve."""
    return "".join(valeur.split())


class Ecouteur:
    """Un serveur TCP local qui compte les connexions reçues (aucune ne doit arriver)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
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


def hostiles(url: str) -> list[str]:
    """Ce qu'un agent malveillant (ou un copier-coller malheureux) pourrait saisir."""
    return [
        '<img src="file:///etc/passwd">',
        f'<img src="{url}/pixel.png">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f"<style>@import url({url}/a.css);</style>",
        "{{7*7}} {% now 'Y' %}",
        '<svg><image href="file:///etc/passwd"/></svg>',
    ]


def hostile(url: str) -> str:
    """Toutes les valeurs hostiles en une seule chaîne, pour un champ."""
    return " ".join(hostiles(url))


def rendre_et_verifier_inerte(
    gabarit: str, contexte: dict, ecouteur: Ecouteur
) -> tuple[rendu_pdf.Resultat, str]:
    """Rend le document comme en production (processus fils borné) et vérifie que rien n'a
    été demandé hors des fichiers statiques, ni attaché au PDF."""
    resultat = pdf.rendre_html(pdf.html_du_document(gabarit, contexte))
    assert resultat.refusees == []
    assert all(u.startswith(rendu_pdf.HOTE_STATIQUE + "/static/") for u in resultat.servies)
    assert ecouteur.connexions == 0
    assert b"/EmbeddedFile" not in resultat.pdf
    contenu = texte(resultat.pdf)
    assert "root:" not in contenu
    return resultat, contenu


def apparait_comme_texte(contenu: str, valeur: str) -> bool:
    """La valeur saisie se lit telle quelle (balises et accolades comprises) dans le PDF."""
    return compact(valeur) in compact(contenu)
