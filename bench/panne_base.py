"""Exercice de panne : PostgreSQL s'arrête ~10 s sous charge, puis redémarre.

    .venv/bin/python bench/panne_base.py [--panne 10] [--avant 8] [--apres 15]

Hors intégration continue. Tout reste sur 127.0.0.1 : gunicorn (gunicorn.conf.py, réglages de
production, 3 processus) sur une base dédiée ``charte_panne`` du serveur PostgreSQL local ; des
lecteurs, des rédacteurs (création d'établissements par l'administration, réponse 302 = écriture
acquittée) et une sonde /readyz. On vérifie :

- /readyz répond 503 pendant la panne, vite ;
- les requêtes échouent vite (pas d'attente) avec la page d'erreur française et un identifiant ;
- l'application repart seule quand la base revient (même processus maître gunicorn) ;
- aucune écriture acquittée n'est perdue (acquittées ⊆ lignes en base).

PostgreSQL est redémarré quoi qu'il arrive (bloc finally). Résultats : bench/resultats/panne.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

RACINE = Path(__file__).resolve().parents[1]
RESULTATS = RACINE / "bench" / "resultats"
PORT = 8713
BASE_URL = f"http://127.0.0.1:{PORT}"
PG = "postgresql://postgres@127.0.0.1:5432"
VERSION_PG = "15"
ADMIN = ("panne-admin@exemple.test", "Exercice-de-panne-" + secrets.token_hex(8))
PAGE_ERREUR = "Le service a rencontré une erreur"


@dataclass
class Mesure:
    t: float
    genre: str
    statut: int  # 0 : pas de réponse (délai dépassé, connexion refusée)
    duree: float
    francaise: bool = False
    code: str = ""


@dataclass
class Journal:
    mesures: list[Mesure] = field(default_factory=list)
    verrou: threading.Lock = field(default_factory=threading.Lock)

    def ajouter(self, m: Mesure) -> None:
        with self.verrou:
            self.mesures.append(m)


def pg_pret() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )


def pg_ctl(action: str, *options: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION_PG, "main", action, *options],
        check=True,
        timeout=60,
    )


def env_application(base: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{base}",
        "CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "DERRIERE_PROXY_TLS": "false",
        "EMAIL_URL": "consolemail://",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": "3",
        "LOG_LEVEL": "WARNING",
    }


def preparer_base(base: str, env: dict[str, str]) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as cnx:
        cnx.execute(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)')
        cnx.execute(f'CREATE DATABASE "{base}"')
    py = str(RACINE / ".venv" / "bin" / "python")
    # Comme dans l'image : statiques à empreinte (sans manifeste, chaque page serait une 500).
    # collectstatic compresse ~7 000 fichiers (plusieurs minutes) : une fois pour toutes.
    if not (RACINE / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [py, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=RACINE, check=True
        )
    subprocess.run(
        [py, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=RACINE, check=True
    )
    creer = (
        "from charte_iae.models import Utilisateur;"
        f"Utilisateur.objects.create_superuser({ADMIN[0]!r}, {ADMIN[1]!r}, prenom='Exercice', nom='Panne')"
    )
    subprocess.run([py, "manage.py", "shell", "-c", creer], env=env, cwd=RACINE, check=True)


def session_connectee() -> tuple[requests.Session, str]:
    s = requests.Session()
    page = s.get(f"{BASE_URL}/comptes/connexion/", timeout=30).text
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = s.post(
        f"{BASE_URL}/comptes/connexion/",
        data={"csrfmiddlewaretoken": jeton, "username": ADMIN[0], "password": ADMIN[1]},
        allow_redirects=False,
        timeout=30,
    )
    if r.status_code != 302:
        raise RuntimeError(f"connexion de l'exercice refusée ({r.status_code})")
    page = s.get(f"{BASE_URL}/admin/charte_iae/etablissement/add/", timeout=30).text
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return s, jeton


def requete(s: requests.Session, methode: str, url: str, **kw) -> tuple[int, float, str]:
    debut = time.monotonic()
    try:
        r = s.request(methode, url, timeout=5, allow_redirects=False, **kw)
        return r.status_code, time.monotonic() - debut, r.text
    except requests.RequestException:
        return 0, time.monotonic() - debut, ""


def redacteur(
    n: int, journal: Journal, stop: threading.Event, t0: float, prets: threading.Semaphore
) -> None:
    s, jeton = session_connectee()
    prets.release()
    i = 0
    while not stop.is_set():
        i += 1
        code = f"PANNE-{n}-{i}"
        statut, duree, texte = requete(
            s,
            "POST",
            f"{BASE_URL}/admin/charte_iae/etablissement/add/",
            data={
                "csrfmiddlewaretoken": jeton,
                "nom": f"Établissement d'exercice {n}-{i}",
                "code": code,
                "disp": "lille",
                "type": "ma",
            },
            headers={"Referer": f"{BASE_URL}/admin/"},
        )
        journal.ajouter(
            Mesure(time.monotonic() - t0, "écriture", statut, duree, PAGE_ERREUR in texte, code)
        )
        time.sleep(0.05)


def lecteur(journal: Journal, stop: threading.Event, t0: float, prets: threading.Semaphore) -> None:
    s, _ = session_connectee()
    prets.release()
    while not stop.is_set():
        statut, duree, texte = requete(s, "GET", f"{BASE_URL}/admin/charte_iae/etablissement/")
        journal.ajouter(
            Mesure(time.monotonic() - t0, "lecture", statut, duree, PAGE_ERREUR in texte)
        )
        time.sleep(0.05)


def sonde(journal: Journal, stop: threading.Event, t0: float) -> None:
    s = requests.Session()
    while not stop.is_set():
        statut, duree, _ = requete(s, "GET", f"{BASE_URL}/readyz")
        journal.ajouter(Mesure(time.monotonic() - t0, "readyz", statut, duree))
        time.sleep(0.25)


def resume(mesures: list[Mesure]) -> dict:
    if not mesures:
        return {"requetes": 0}
    durees = sorted(m.duree * 1000 for m in mesures)
    statuts: dict[str, int] = defaultdict(int)
    for m in mesures:
        statuts[str(m.statut)] += 1
    return {
        "requetes": len(mesures),
        "statuts": dict(sorted(statuts.items())),
        "p50_ms": round(statistics.median(durees), 1),
        "p95_ms": round(durees[int(0.95 * (len(durees) - 1))], 1),
        "max_ms": round(durees[-1], 1),
        "erreurs_page_francaise": sum(1 for m in mesures if m.statut == 500 and m.francaise),
        "erreurs_500": sum(1 for m in mesures if m.statut == 500),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panne", type=float, default=10.0, help="durée de l'arrêt (s)")
    parser.add_argument("--avant", type=float, default=8.0)
    parser.add_argument("--apres", type=float, default=15.0)
    parser.add_argument("--redacteurs", type=int, default=2)
    parser.add_argument("--lecteurs", type=int, default=2)
    parser.add_argument("--base", default="charte_panne")
    args = parser.parse_args()

    if not pg_pret():
        print("PostgreSQL ne répond pas sur 127.0.0.1:5432 : rien à exercer.", file=sys.stderr)
        return 2
    RESULTATS.mkdir(parents=True, exist_ok=True)
    env = env_application(args.base)
    preparer_base(args.base, env)

    journal_gunicorn = open(RESULTATS / "panne-gunicorn.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [
            str(RACINE / ".venv" / "bin" / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "charte_iae.wsgi:application",
        ],
        env=env,
        cwd=RACINE,
        stdout=journal_gunicorn,
        stderr=subprocess.STDOUT,
    )
    journal = Journal()
    stop = threading.Event()
    fils: list[threading.Thread] = []
    arret = arrete = reprise = pret = debut_mesure = 0.0
    prets = threading.Semaphore(0)
    try:
        # Démarrage, puis chauffe : chaque processus indexe les statiques à sa première requête.
        for _ in range(300):
            if requete(requests.Session(), "GET", f"{BASE_URL}/healthz")[0] == 200:
                break
            time.sleep(0.2)
        for _ in range(12):
            requests.get(f"{BASE_URL}/comptes/connexion/", timeout=60)
        t0 = time.monotonic()
        fils = [
            threading.Thread(target=redacteur, args=(n, journal, stop, t0, prets))
            for n in range(args.redacteurs)
        ]
        fils += [
            threading.Thread(target=lecteur, args=(journal, stop, t0, prets))
            for _ in range(args.lecteurs)
        ]
        fils.append(threading.Thread(target=sonde, args=(journal, stop, t0)))
        for f in fils:
            f.start()
        # Tous connectés (PBKDF2 : lent sous charge) avant de toucher à PostgreSQL ; sinon on
        # abandonne sans rien arrêter.
        for _ in range(args.redacteurs + args.lecteurs):
            if not prets.acquire(timeout=120):
                print("Les clients ne se connectent pas : exercice abandonné.", file=sys.stderr)
                return 2
        debut_mesure = time.monotonic() - t0
        time.sleep(args.avant)

        print(f"[{time.monotonic() - t0:5.1f} s] arrêt de PostgreSQL")
        arret = time.monotonic() - t0
        pg_ctl("stop", "-m", "fast")
        arrete = time.monotonic() - t0
        time.sleep(args.panne)
        print(f"[{time.monotonic() - t0:5.1f} s] redémarrage de PostgreSQL")
        reprise = time.monotonic() - t0
        pg_ctl("start")
        while not pg_pret():
            time.sleep(0.1)
        pret = time.monotonic() - t0
        print(f"[{pret:5.1f} s] PostgreSQL accepte les connexions")
        time.sleep(args.apres)
    finally:
        stop.set()
        for f in fils:
            f.join(timeout=30)
        if not pg_pret():
            print("PostgreSQL est arrêté : redémarrage.", file=sys.stderr)
            pg_ctl("start")
        maitre_vivant = gunicorn.poll() is None
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        journal_gunicorn.close()

    mesures = sorted(journal.mesures, key=lambda m: m.t)
    acquittees = {m.code for m in mesures if m.genre == "écriture" and m.statut == 302}
    with psycopg.connect(f"{PG}/{args.base}") as cnx:
        en_base = {
            c
            for (c,) in cnx.execute(
                "SELECT code FROM charte_iae_etablissement WHERE code LIKE 'PANNE-%%'"
            )
        }
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as cnx:
        cnx.execute(f'DROP DATABASE IF EXISTS "{args.base}" WITH (FORCE)')

    def phase(debut: float, fin: float, genre: str | None = None) -> list[Mesure]:
        return [m for m in mesures if debut <= m.t < fin and (genre is None or m.genre == genre)]

    premiers_succes = {
        genre: next(
            (
                round(m.t - reprise, 2)
                for m in mesures
                if m.t >= reprise and m.genre == genre and m.statut in (200, 302)
            ),
            None,
        )
        for genre in ("readyz", "lecture", "écriture")
    }
    # La sonde entre l'arrêt effectif et l'ordre de redémarrage : base réellement absente.
    sonde_panne = phase(arrete, reprise, "readyz")
    fin = max(m.t for m in mesures)
    resultats = {
        "panne_s": round(pret - arrete, 1),
        "chronologie_s": {
            "arret_demande": round(arret, 1),
            "arret_effectif": round(arrete, 1),
            "redemarrage": round(reprise, 1),
            "pg_pret": round(pret, 1),
        },
        "avant": resume(phase(debut_mesure, arret)),
        "pendant": resume(phase(arret, pret)),
        "apres_5s": resume(phase(pret + 5, fin + 1)),
        "readyz_pendant": resume(sonde_panne),
        "premier_succes_apres_ordre_de_redemarrage_s": premiers_succes,
        "echecs_plus_de_5s_apres_reprise": sum(
            1 for m in phase(pret + 5, fin + 1) if m.statut not in (200, 302)
        ),
        "ecritures": {
            "acquittees": len(acquittees),
            "en_base": len(en_base),
            "acquittees_perdues": len(acquittees - en_base),
            "en_base_non_acquittees": len(en_base - acquittees),
        },
        "gunicorn_maitre_jamais_redemarre": maitre_vivant,
    }
    (RESULTATS / "panne-mesures.json").write_text(
        json.dumps([m.__dict__ for m in mesures], ensure_ascii=False)
    )
    (RESULTATS / "panne.json").write_text(json.dumps(resultats, ensure_ascii=False, indent=2))
    print(json.dumps(resultats, ensure_ascii=False, indent=2))
    ok = (
        len(acquittees) > 0
        and resultats["ecritures"]["acquittees_perdues"] == 0
        and resultats["echecs_plus_de_5s_apres_reprise"] == 0
        and all(m.statut == 503 for m in sonde_panne)
        and maitre_vivant
    )
    print("Exercice réussi." if ok else "Exercice ÉCHOUÉ.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
