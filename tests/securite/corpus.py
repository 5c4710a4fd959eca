"""Corpus de valeurs hostiles, à pousser dans chaque champ de chaque formulaire : aucune ne doit
provoquer d'erreur 500 ; chacune est enregistrée telle quelle ou refusée avec un message en
français, et toujours échappée à l'affichage. Usage ::

    from tests.securite.corpus import CORPUS, TEXTES
    @pytest.mark.parametrize("valeur", TEXTES, ids=ids(TEXTES))
"""

from __future__ import annotations

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert('x')\">clic</a>",
    "</textarea><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "<iframe src=//exemple.org>",
]
GABARITS = ["{{7*7}}", "{% debug %}", "${7*7}", "#{7*7}", "{{ request.META }}"]
SQL = [
    "' OR '1'='1",
    "'; DROP TABLE charte_iae_charte; --",
    '" UNION SELECT password FROM charte_iae_utilisateur --',
    "1; SELECT pg_sleep(5)",
]
OCTETS = ["avant\x00après", "\r\nSet-Cookie: x=1", "\u202eRTL\u202c", "\ufeffBOM"]
UNICODE = [
    "مرحبا بالعالم — שלום",
    "Émoji 👩🏽‍⚖️🏳️‍🌈🚀",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇",
    "",
    "   ",
]
CHEMINS = ["../../../../etc/passwd", "..\\..\\windows\\win.ini", "file:///etc/passwd", "%2e%2e%2f"]
FORMULES = ["=1+1", "+33612345678", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x")']
GRAND = ["x" * 100_000, "é" * 10_000]
DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "31/12/9999", "-1"]
NOMBRES = ["-1", "-999999999999", "0", "1e309", "NaN", "9" * 40]

TEXTES = XSS + GABARITS + SQL + OCTETS + UNICODE + CHEMINS + FORMULES + GRAND
CORPUS = TEXTES + DATES + NOMBRES


def ids(valeurs: list[str]) -> list[str]:
    return [f"{i}-{v[:12]!r}" for i, v in enumerate(valeurs)]
