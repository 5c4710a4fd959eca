"""Rendu HTML → PDF par WeasyPrint, sans Django, exécutable dans un processus fils borné.

Le HTML arrive déjà rendu (gabarits Django, échappement automatique). Ici, une seule règle :
rien ne sort de la machine et rien n'est lu hors des fichiers statiques du projet. Le
récupérateur d'URL n'accepte que les URI ``data:`` et les fichiers statiques servis sous
l'hôte fictif ``statique.invalid`` (le domaine ``.invalid`` ne se résout jamais) ; tout le
reste (``file://``, ``http(s)://``, pièces jointes…) est refusé et noté.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import resource
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

HOTE_STATIQUE = "https://statique.invalid"


@dataclass
class Resultat:
    pdf: bytes
    refusees: list[str] = field(default_factory=list)
    servies: list[str] = field(default_factory=list)


class RecuperateurStatique(URLFetcher):
    """N'ouvre que des ``data:`` et des fichiers sous les racines statiques données."""

    def __init__(self, racines: list[str], prefixe_statique: str) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.racines = [os.path.realpath(r) for r in racines]
        self.prefixe = HOTE_STATIQUE + prefixe_statique
        self.refusees: list[str] = []
        self.servies: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        chemin = self._chemin_statique(url)
        if chemin is None:
            self.refusees.append(url)
            raise ValueError(f"Ressource refusée à l'impression : {url[:200]}")
        self.servies.append(url)
        with open(chemin, "rb") as fichier:
            contenu = fichier.read()
        type_mime = mimetypes.guess_type(chemin)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=contenu, headers={"Content-Type": type_mime})

    def _chemin_statique(self, url: str) -> str | None:
        if not url.startswith(self.prefixe):
            return None
        parties = urlsplit(url)
        if parties.query or "\\" in url:
            return None
        relatif = unquote(parties.path)[len(urlsplit(self.prefixe).path) :]
        if not relatif or relatif.startswith("/") or "\x00" in relatif:
            return None
        for racine in self.racines:
            candidat = os.path.realpath(os.path.join(racine, relatif))
            if candidat.startswith(racine + os.sep) and os.path.isfile(candidat):
                return candidat
        return None


def rendre(html: str, racines: list[str], prefixe_statique: str = "/static/") -> Resultat:
    """Rend le HTML en PDF dans ce processus (sans borne : voir ``rendre_dans_un_fils``)."""
    # Les étapes de WeasyPrint et de fontTools ne regardent pas les journaux de l'application.
    for nom in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(nom).setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    recuperateur = RecuperateurStatique(racines, prefixe_statique)
    document = weasyprint.HTML(string=html, base_url=HOTE_STATIQUE + "/", url_fetcher=recuperateur)
    # Aucune pièce jointe, même déclarée par le document (<link rel=attachment>).
    pdf = document.write_pdf(attachments=[], uncompressed_pdf=False)
    return Resultat(pdf=pdf, refusees=recuperateur.refusees, servies=recuperateur.servies)


def rendre_dans_un_fils(
    connexion, html: str, racines: list[str], prefixe_statique: str, memoire_octets: int
) -> None:
    """Point d'entrée du processus fils : borne la mémoire, rend, renvoie le résultat."""
    try:
        if memoire_octets:
            resource.setrlimit(resource.RLIMIT_AS, (memoire_octets, memoire_octets))
        connexion.send(("ok", rendre(html, racines, prefixe_statique)))
    except MemoryError:
        connexion.send(("erreur", "mémoire"))
    except Exception as erreur:
        connexion.send(("erreur", f"{type(erreur).__name__}: {erreur}"[:500]))
    finally:
        connexion.close()
