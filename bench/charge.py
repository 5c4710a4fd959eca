"""Générateur de charge en boucle fermée, sur la boucle locale uniquement.

Chaque client virtuel est un fil d'exécution avec sa propre connexion HTTP persistante et sa
session (connexion par le vrai formulaire). Pour chaque page : une phase saturée (boucle
fermée, ``--clients`` clients) donne le débit ; une phase cadencée à 60 % de ce débit donne
les latences « en régime ». La page témoin passe dans le même banc, au début et à la fin.

Usage : python bench/charge.py --base http://127.0.0.1:8765 --pages bench/pages.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

ADRESSES_AUTORISEES = {"127.0.0.1", "localhost", "::1"}
# Débit minimal, en fraction du témoin (docs/performance.md).
OBJECTIFS = {"detail": 0.5, "liste": 0.3}
P95_MAX_MS = 300


@dataclass
class Page:
    nom: str
    chemin: str
    email: str
    genre: str = "liste"
    temoin: bool = False


@dataclass
class Mesure:
    nom: str
    genre: str
    debit: float
    p50: float
    p95: float
    p95_regime: float
    erreurs: int
    requetes: int
    latences: list[float] = field(default_factory=list, repr=False)


class Client:
    """Une connexion HTTP persistante avec sa session."""

    def __init__(self, base: str) -> None:
        parties = urlsplit(base)
        if parties.hostname not in ADRESSES_AUTORISEES:
            raise SystemExit(
                f"Refusé : la charge ne vise que la boucle locale, pas {parties.hostname}."
            )
        self.hote, self.port = parties.hostname, parties.port or 80
        self.cookies: dict[str, str] = {}
        self.connexion = http.client.HTTPConnection(self.hote, self.port, timeout=30)

    def _entetes(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        entetes = {"Host": f"{self.hote}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            entetes["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        entetes.update(extra or {})
        return entetes

    def requete(
        self, methode: str, chemin: str, corps: str | None = None, extra: dict | None = None
    ):
        for tentative in range(2):
            try:
                self.connexion.request(methode, chemin, body=corps, headers=self._entetes(extra))
                reponse = self.connexion.getresponse()
                contenu = reponse.read()
                break
            except (http.client.HTTPException, OSError):
                self.connexion.close()
                self.connexion = http.client.HTTPConnection(self.hote, self.port, timeout=30)
                if tentative:
                    raise
        for valeur in reponse.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(valeur)
            for nom, morsel in cookie.items():
                self.cookies[nom] = morsel.value
        return reponse.status, contenu

    def se_connecter(self, email: str, mot_de_passe: str) -> None:
        statut, contenu = self.requete("GET", "/comptes/connexion/")
        jeton = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', contenu)
        if statut != 200 or not jeton:
            raise SystemExit(f"Page de connexion inattendue ({statut}).")
        corps = urlencode(
            {
                "csrfmiddlewaretoken": jeton.group(1).decode(),
                "username": email,
                "password": mot_de_passe,
            }
        )
        statut, _ = self.requete(
            "POST",
            "/comptes/connexion/",
            corps,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.hote}:{self.port}/comptes/connexion/",
            },
        )
        if statut != 302:
            raise SystemExit(f"Connexion refusée pour {email} ({statut}).")


def _centile(valeurs: list[float], q: float) -> float:
    if not valeurs:
        return float("nan")
    ordonnees = sorted(valeurs)
    rang = min(len(ordonnees) - 1, max(0, round(q * (len(ordonnees) - 1))))
    return ordonnees[rang]


def _phase(
    clients: list[Client], chemin: str, duree: float, cadence: float | None
) -> tuple[list[float], int]:
    """Chaque client boucle sur la page ; avec ``cadence`` (requêtes/s au total), les départs
    sont espacés pour tenir ce débit (régime) au lieu d'enchaîner au plus vite (saturation)."""
    latences: list[float] = []
    erreurs = [0]
    verrou = threading.Lock()
    fin = time.perf_counter() + duree
    intervalle = len(clients) / cadence if cadence else 0.0

    def boucle(client: Client, decalage: float) -> None:
        prochain = time.perf_counter() + decalage
        while True:
            maintenant = time.perf_counter()
            if maintenant >= fin:
                return
            if intervalle and maintenant < prochain:
                time.sleep(min(prochain - maintenant, fin - maintenant))
                continue
            debut = time.perf_counter()
            try:
                statut, _ = client.requete("GET", chemin)
                ok = statut == 200
            except (OSError, http.client.HTTPException):
                ok = False
            duree_requete = time.perf_counter() - debut
            with verrou:
                if ok:
                    latences.append(duree_requete)
                else:
                    erreurs[0] += 1
            prochain += intervalle

    fils = [
        threading.Thread(target=boucle, args=(c, i * intervalle / max(1, len(clients))))
        for i, c in enumerate(clients)
    ]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return latences, erreurs[0]


def mesurer(
    page: Page, base: str, mot_de_passe: str, nb_clients: int, duree: float, regime: float
) -> Mesure:
    clients = [Client(base) for _ in range(nb_clients)]
    for client in clients:
        client.se_connecter(page.email, mot_de_passe)
    _phase(clients, page.chemin, min(2.0, duree / 4), None)  # mise en température
    latences, erreurs = _phase(clients, page.chemin, duree, None)
    debit = len(latences) / duree
    latences_regime, erreurs_regime = (
        _phase(clients, page.chemin, duree, debit * regime) if regime else ([], 0)
    )
    return Mesure(
        nom=page.nom,
        genre=page.genre,
        debit=debit,
        p50=_centile(latences, 0.5) * 1000,
        p95=_centile(latences, 0.95) * 1000,
        p95_regime=_centile(latences_regime, 0.95) * 1000 if latences_regime else float("nan"),
        erreurs=erreurs + erreurs_regime,
        requetes=len(latences) + len(latences_regime),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument(
        "--pages", required=True, help="fichier JSON : liste de {nom, chemin, email, temoin}"
    )
    parser.add_argument("--mot-de-passe", required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duree", type=float, default=10.0)
    parser.add_argument(
        "--regime",
        type=float,
        default=0.6,
        help="fraction du débit saturé (0 : pas de phase en régime)",
    )
    parser.add_argument("--sortie", help="fichier JSON des résultats")
    args = parser.parse_args(argv)

    with open(args.pages, encoding="utf-8") as f:
        pages = [Page(**p) for p in json.load(f)]
    temoin = next(p for p in pages if p.temoin)
    mesures_temoin = [
        mesurer(temoin, args.base, args.mot_de_passe, args.clients, args.duree, args.regime)
    ]
    mesures = [
        mesurer(p, args.base, args.mot_de_passe, args.clients, args.duree, args.regime)
        for p in pages
        if not p.temoin
    ]
    mesures_temoin.append(
        mesurer(temoin, args.base, args.mot_de_passe, args.clients, args.duree, args.regime)
    )
    debit_temoin = statistics.mean(m.debit for m in mesures_temoin)

    print(
        f"{'page':<32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95@60% ms':>11} {'err':>5} {'ratio':>6} {'cible':>6}"
    )
    for m in [*mesures_temoin[:1], *mesures, *mesures_temoin[1:]]:
        ratio = m.debit / debit_temoin
        cible = OBJECTIFS.get(m.genre, 0.0)
        atteint = "" if m in mesures_temoin else ("ok" if ratio >= cible else "MANQUÉ")
        print(
            f"{m.nom:<32} {m.debit:>8.1f} {m.p50:>8.1f} {m.p95:>8.1f} {m.p95_regime:>11.1f} {m.erreurs:>5} {ratio:>6.2f} {cible:>4.1f} {atteint}"
        )
    pire = min(mesures, key=lambda m: m.debit)
    manques = [m.nom for m in mesures if m.debit / debit_temoin < OBJECTIFS.get(m.genre, 0.0)]
    lents = [m.nom for m in mesures if m.p95_regime > P95_MAX_MS]
    resultats = {
        "temoin_req_s": debit_temoin,
        "pages": [
            {
                **{k: v for k, v in vars(m).items() if k != "latences"},
                "ratio": m.debit / debit_temoin,
            }
            for m in mesures
        ],
    }
    if args.sortie:
        with open(args.sortie, "w", encoding="utf-8") as f:
            json.dump(resultats, f, indent=2, ensure_ascii=False)
    erreurs = sum(m.erreurs for m in [*mesures, *mesures_temoin])
    print(f"erreurs : {erreurs}")
    print(f"débit sous l'objectif : {', '.join(manques) or 'aucune page'}")
    print(f"p95 à 60 % au-delà de {P95_MAX_MS} ms : {', '.join(lents) or 'aucune page'}")
    print(f"pire ratio au témoin: {pire.debit / debit_temoin:.2f} ({pire.nom})")
    return 1 if erreurs else 0


if __name__ == "__main__":
    sys.exit(main())
