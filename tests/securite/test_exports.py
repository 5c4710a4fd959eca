"""Les cellules des exports CSV ne sont jamais interprétées comme formules par un tableur."""

import csv
import datetime
import decimal
import io

import pytest

from charte_iae.exports import neutraliser_cellule, reponse_csv
from tests.securite.corpus import FORMULES


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("=1+1", "'=1+1"),
        ("+33612345678", "'+33612345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Dupont", "Dupont"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-3, -3),
        (decimal.Decimal("-1.5"), decimal.Decimal("-1.5")),
        (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5)),
    ],
)
def test_neutraliser_cellule(valeur, attendu):
    assert neutraliser_cellule(valeur) == attendu


def test_reponse_csv_neutralise_chaque_cellule_en_tete_comprise():
    reponse = reponse_csv("export.csv", ["=titre", "nombre"], [[f, -1] for f in FORMULES])
    assert reponse["Content-Disposition"] == 'attachment; filename="export.csv"'
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0] == ["'=titre", "nombre"]
    for (cellule, nombre), formule in zip(lignes[1:], FORMULES, strict=True):
        assert cellule == "'" + formule
        assert nombre == "-1"
