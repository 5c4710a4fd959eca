"""Les réglages se lisent dans l'environnement ; sans DEBUG, pas de démarrage sans SECRET_KEY."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def _lire_reglages(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='charte_iae.settings';"
        "from django.conf import settings;"
        f"print(repr(({expression})))"
    )
    propre = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**propre, **env},
        cwd=RACINE,
        capture_output=True,
        text=True,
        check=False,
    )


def test_sans_debug_ni_cle_le_demarrage_est_refuse_en_francais():
    resultat = _lire_reglages({}, "settings.SECRET_KEY")
    assert resultat.returncode != 0
    assert "SECRET_KEY est obligatoire" in resultat.stderr


def test_en_debug_une_cle_de_developpement_et_sqlite_dans_le_depot_par_defaut():
    resultat = _lire_reglages(
        {"DEBUG": "true"},
        "settings.DEBUG, settings.DATABASES['default']['ENGINE'], str(settings.DATABASES['default']['NAME'])",
    )
    assert resultat.returncode == 0, resultat.stderr
    debug, moteur, nom = ast.literal_eval(resultat.stdout)
    assert debug is True
    assert moteur == "django.db.backends.sqlite3"
    assert Path(nom) == RACINE / "db.sqlite3"


def test_database_url_postgresql_et_variables_lues():
    resultat = _lire_reglages(
        {
            "SECRET_KEY": "k" * 50,
            "DATABASE_URL": "postgres://u:p@db.exemple:5433/charte",
            "ALLOWED_HOSTS": "charte.exemple.fr,autre.exemple.fr",
            "CSRF_TRUSTED_ORIGINS": "https://charte.exemple.fr",
            "EMAIL_URL": "smtp+tls://u:p@smtp.exemple.fr:587",
        },
        "settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['PORT'],"
        " settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS, settings.MAILERS['default']['OPTIONS']['host'],"
        " settings.TIME_ZONE, settings.LANGUAGE_CODE",
    )
    assert resultat.returncode == 0, resultat.stderr
    debug, moteur, port, hosts, origines, smtp, fuseau, langue = ast.literal_eval(resultat.stdout)
    assert debug is False
    assert moteur == "django.db.backends.postgresql"
    assert port == 5433
    assert hosts == ["charte.exemple.fr", "autre.exemple.fr"]
    assert origines == ["https://charte.exemple.fr"]
    assert smtp == "smtp.exemple.fr"
    assert (fuseau, langue) == ("Europe/Paris", "fr")


def test_env_example_documente_chaque_variable_lue():
    reglages = (RACINE / "charte_iae" / "settings.py").read_text()
    exemple = (RACINE / ".env.example").read_text()
    lues = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', reglages))
    assert lues, "aucune variable trouvée"
    manquantes = {v for v in lues if f"{v}=" not in exemple}
    assert not manquantes, f"variables absentes de .env.example : {sorted(manquantes)}"


def _manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    propre = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        env={**propre, **env},
        cwd=RACINE,
        capture_output=True,
        text=True,
        check=False,
    )


def test_manage_py_sans_aucune_configuration_est_une_copie_de_developpement():
    resultat = _manage({}, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stdout.strip().splitlines()[-1] == "True"


def test_manage_py_avec_une_base_mais_sans_cle_est_refuse():
    resultat = _manage({"DATABASE_URL": "postgres://u:p@db.exemple:5432/charte"}, "check")
    assert resultat.returncode != 0
    assert "SECRET_KEY est obligatoire" in resultat.stderr
