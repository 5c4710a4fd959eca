"""Écrit la liste des pages du banc (JSON) à partir de la base : chemins réels, agents de démo."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charte_iae.settings")

import django

django.setup()

from django.urls import reverse  # noqa: E402

from charte_iae.models import Charte, Etablissement  # noqa: E402

etablissement = Etablissement.objects.get(code="DEMO-VALMONT")
charte = Charte.objects.get(implantation__etablissement=etablissement)
pages = [
    {
        "nom": "témoin (1 requête par clé)",
        "chemin": reverse("temoin", args=[etablissement.pk]),
        "email": "cpip@demo.test",
        "temoin": True,
    },
    {"nom": "accueil CPIP", "chemin": reverse("accueil"), "email": "cpip@demo.test"},
    {"nom": "accueil SIAE", "chemin": reverse("accueil"), "email": "cip@demo.test"},
    {
        "nom": "charte (page)",
        "chemin": reverse("charte_detail", args=[charte.pk]),
        "email": "direction@demo.test",
    },
]
json.dump(pages, sys.stdout, ensure_ascii=False, indent=2)
