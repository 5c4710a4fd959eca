"""Temps de rendu des documents PDF, à chaud, dans le processus (sans le processus fils) :
``charte_iae.rendu_pdf.rendre`` sur le HTML du document, comparé dans la même exécution à un
document WeasyPrint minimal d'une page (et, pour information, à une page seule avec la
feuille d'impression du projet : Marianne, en-têtes et pieds).

Les données viennent de la démonstration, chargée dans une base SQLite temporaire.

Usage : .venv/bin/python bench/pdf.py [--repetitions 15] [--document livret|charte]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

MINIMAL = "<!DOCTYPE html><html lang=fr><body><p>Document minimal d'une page.</p></body></html>"


def _preparer_django(base: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{base}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charte_iae.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils.module_loading import autodiscover_modules

    from charte_iae import demo

    call_command("migrate", verbosity=0)
    autodiscover_modules("demo")
    with transaction.atomic():
        demo.charger()


def html_charte() -> tuple[str, str]:
    from charte_iae import documents, pdf
    from charte_iae.models import StatutVersion, VersionCharte

    version = VersionCharte.objects.select_related(
        "charte__implantation__spip", "charte__implantation__siae"
    ).get(statut=StatutVersion.EN_VIGUEUR)
    prepare = documents.CHARTE.preparer(version)
    return "charte en vigueur (démonstration)", pdf.html_du_document(
        prepare.gabarit, prepare.contexte
    )


def html_livret(competences: int = 12) -> tuple[str, str]:
    """Un livret de trois pages : un parcours de la démonstration, une version finalisée
    avec ``competences`` compétences (deux observations chacune), postes, formations,
    démarches, objectifs et projet."""
    import datetime

    from django.utils import timezone

    from charte_iae import pdf
    from parcours.documents import LIVRET
    from parcours.enums import CategorieCompetence, NiveauCompetence
    from parcours.models import (
        CompetenceLivret,
        DemarcheEngagee,
        FormationSuivie,
        LivretCompetences,
        ObservationCompetence,
        ParcoursIAE,
        PosteOccupe,
    )

    parcours = ParcoursIAE.objects.select_related("implantation", "cree_par").first()
    auteur = parcours.cree_par
    numero = (
        parcours.livrets.order_by("-numero").values_list("numero", flat=True).first() or 0
    ) + 1
    parcours.livrets.filter(finalise_le__isnull=True).delete()
    livret = LivretCompetences.objects.create(
        parcours=parcours,
        numero=numero,
        objectifs="Obtenir le CACES 1 ; consolider la ponctualité et le travail en équipe.",
        projet_professionnel="Préparateur de commandes en entrepôt logistique, près de Lyon, "
        "avec un hébergement chez un proche et un suivi par la Mission locale.",
        cree_par=auteur,
    )
    jour = timezone.localdate()
    niveaux = list(NiveauCompetence)
    for i in range(competences):
        competence = CompetenceLivret.objects.create(
            livret=livret,
            categorie=list(CategorieCompetence)[i % 2],
            intitule=f"Compétence observée n° {i + 1} : gestes professionnels sûrs",
            niveau=niveaux[i % len(niveaux)],
        )
        for j in range(2):
            ObservationCompetence.objects.create(
                competence=competence,
                date=jour - datetime.timedelta(days=30 * (2 - j)),
                niveau=niveaux[(i + j) % len(niveaux)],
                texte="Travail soigné, consignes respectées, bonne coopération avec l'équipe.",
                auteur=auteur,
            )
    for k in range(3):
        PosteOccupe.objects.create(
            livret=livret, intitule=f"Poste {k + 1} : conditionnement", debut=parcours.date_debut
        )
        FormationSuivie.objects.create(
            livret=livret, intitule=f"Formation {k + 1}", organisme="AFPA", date=jour
        )
        DemarcheEngagee.objects.create(
            livret=livret, date=jour, intitule="Rendez-vous", partenaire="France Travail justice"
        )
    LivretCompetences.objects.filter(pk=livret.pk).update(
        finalise_le=timezone.now(), finalise_par=auteur
    )
    livret = LivretCompetences.objects.select_related(
        "parcours__personne", "parcours__implantation__siae", "parcours__implantation__spip"
    ).get(pk=livret.pk)
    prepare = LIVRET.preparer(livret)
    return f"livret de compétences ({competences} compétences)", pdf.html_du_document(
        prepare.gabarit, prepare.contexte
    )


def html_page_projet() -> str:
    """Une page seule, avec la feuille d'impression du projet (Marianne, en-têtes, pieds)."""
    from charte_iae import pdf

    return pdf.html_du_document("impression/_base.html", {})


DOCUMENTS: dict[str, Callable[[], tuple[str, str]]] = {
    "charte": html_charte,
    "livret": html_livret,
}


def mesurer(
    html: str, racines: list[str], repetitions: int
) -> tuple[list[float], int, list[float]]:
    """Durées murales, nombre de pages, temps processeur du processus : sur une machine
    chargée, le temps processeur (le rendu est monotâche) approche la durée à vide."""
    from pypdf import PdfReader

    from charte_iae.rendu_pdf import rendre

    rendre(html, racines)  # à chaud : polices, feuilles et gabarits déjà chargés
    durees, processeur = [], []
    for _ in range(repetitions):
        debut, debut_cpu = time.perf_counter(), time.process_time()
        resultat = rendre(html, racines)
        durees.append(time.perf_counter() - debut)
        processeur.append(time.process_time() - debut_cpu)
    return durees, len(PdfReader(io.BytesIO(resultat.pdf)).pages), processeur


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=15)
    parser.add_argument("--document", choices=sorted(DOCUMENTS), default="livret")
    parser.add_argument("--competences", type=int, default=12, help="taille du livret")
    parser.add_argument("--sortie", help="écrit aussi le PDF du document mesuré dans ce fichier")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as dossier:
        _preparer_django(str(Path(dossier) / "bench.sqlite3"))
        from charte_iae.pdf import racines_statiques

        racines = racines_statiques()
        if args.document == "livret":
            libelle, html = html_livret(args.competences)
        else:
            libelle, html = DOCUMENTS[args.document]()
        if args.sortie:
            from charte_iae.rendu_pdf import rendre

            Path(args.sortie).write_bytes(rendre(html, racines).pdf)
        charge_avant = os.getloadavg()
        mesures = {
            "minimal": mesurer(MINIMAL, racines, args.repetitions),
            "page_projet": mesurer(html_page_projet(), racines, args.repetitions),
            "document": mesurer(html, racines, args.repetitions),
        }
        charge_apres = os.getloadavg()

    medianes = {nom: statistics.median(d) for nom, (d, _, _) in mesures.items()}
    pages = {nom: n for nom, (_, n, _) in mesures.items()}
    par_page = {nom: medianes[nom] / pages[nom] for nom in mesures}
    cpu = {nom: statistics.median(c) for nom, (_, _, c) in mesures.items()}
    cpu_par_page = {nom: cpu[nom] / pages[nom] for nom in mesures}
    print(f"Date : {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, "
        f"charge moyenne (1, 5, 15 min) avant {charge_avant[0]:.1f} / {charge_avant[1]:.1f} / "
        f"{charge_avant[2]:.1f}, après {charge_apres[0]:.1f} / {charge_apres[1]:.1f} / "
        f"{charge_apres[2]:.1f}"
    )
    print(f"Répétitions : {args.repetitions} (après un rendu de chauffe)")
    print("| document | pages | médiane | min – max | par page | processeur (médiane) |")
    print("|---|---|---|---|---|---|")
    noms = {
        "minimal": "WeasyPrint minimal (1 page, sans feuille)",
        "page_projet": "page seule avec la feuille du projet",
        "document": libelle,
    }
    for nom, (durees, _, _) in mesures.items():
        print(
            f"| {noms[nom]} | {pages[nom]} | {medianes[nom] * 1000:.0f} ms | "
            f"{min(durees) * 1000:.0f} – {max(durees) * 1000:.0f} ms | "
            f"{par_page[nom] * 1000:.0f} ms | {cpu[nom] * 1000:.0f} ms |"
        )
    ratio = par_page["document"] / par_page["minimal"]
    ratio_projet = par_page["document"] / par_page["page_projet"]
    print(
        f"Ratio par page, document / minimal : {ratio:.2f} "
        f"(cible ≤ 4) ; document / page du projet : {ratio_projet:.2f}"
    )
    ratio_cpu = cpu_par_page["document"] / cpu_par_page["minimal"]
    print(f"Ratio par page en temps processeur, document / minimal : {ratio_cpu:.2f}")
    print(
        f"Médiane du document : {medianes['document'] * 1000:.0f} ms "
        f"({'sous' if medianes['document'] < 0.5 else 'au-dessus de'} la cible de 500 ms) ; "
        f"temps processeur {cpu['document'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
