"""Surcoût des droits django-guardian sur une liste, mesuré dans le processus (hors réseau).
(Pas « guardian.py » : ce nom masquerait l'application django-guardian, le dossier du script
étant en tête du chemin d'import.)

La même page « Personnes » (tout l'établissement, 25 lignes, comptage, indicateurs) rendue
pour un agent membre des groupes SPIP de plusieurs établissements (≥ 10 000 dossiers permis),
une fois filtrée par les droits (``Personne.objects.for_user``), une fois par les seuls
établissements (même périmètre, sans table de droits). Tout se passe dans une transaction
annulée : la base du banc n'est pas modifiée. Affiche la médiane et le rapport.

Usage : DATABASE_URL=… python bench/surcout_droits.py [--repetitions 30] [--permis 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charte_iae.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from charte_iae import services  # noqa: E402
from charte_iae.enums import Fonction, Milieu, TypeStructure  # noqa: E402
from charte_iae.models import Structure, Utilisateur  # noqa: E402
from parcours.models import Personne, PersonneQuerySet  # noqa: E402


class Annulee(Exception):
    pass


def _mesurer(client: Client, url: str, repetitions: int) -> float:
    client.get(url)
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} ne répond pas 200.")
        durees.append(time.perf_counter() - debut)
    return statistics.median(durees) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--permis", type=int, default=10000)
    args = parser.parse_args()

    par_etablissement = (
        Personne.objects.values("etablissement").annotate(n=Count("pk")).order_by("-n")
    )
    etablissements, total = [], 0
    for ligne in par_etablissement:
        if total >= args.permis:
            break
        etablissements.append(ligne["etablissement"])
        total += ligne["n"]
    antennes = Structure.objects.filter(
        type=TypeStructure.SPIP, milieu=Milieu.FERME, etablissement__in=etablissements
    )
    url = "/parcours/personnes/?suivi=tous"
    try:
        with transaction.atomic():
            agent = Utilisateur.objects.create_user(
                "banc-guardian@genere.test", None, prenom="Banc", nom="Guardian"
            )
            for antenne in antennes:
                services.affecter(utilisateur=agent, structure=antenne, fonction=Fonction.CPIP_MF)
            permis = Personne.objects.for_user(agent).count()
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(agent)
            avec = _mesurer(client, url, args.repetitions)
            perimetre = Personne.objects.filter(etablissement__in=etablissements)

            def sans_droits(self, utilisateur):
                return self.filter(pk__in=perimetre.values("pk"))

            with mock.patch.object(PersonneQuerySet, "for_user", sans_droits):
                if Personne.objects.for_user(agent).count() != permis:
                    raise SystemExit("Les deux listes n'ont pas le même périmètre.")
                sans = _mesurer(client, url, args.repetitions)
            raise Annulee
    except Annulee:
        pass
    print(f"base : {connection.settings_dict['NAME']}, {Personne.objects.count()} personnes")
    print(f"dossiers permis : {permis} ({len(etablissements)} établissements)")
    print(f"liste filtrée par les droits : {avec:.1f} ms (médiane de {args.repetitions})")
    print(f"même liste sans les droits   : {sans:.1f} ms")
    print(f"surcoût des droits : {avec / sans:.2f} ×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
