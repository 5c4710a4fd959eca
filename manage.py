#!/usr/bin/env python
import os
import sys

# Rien de configuré (ni SECRET_KEY, ni DEBUG, ni DATABASE_URL) : c'est une copie de travail sur la
# base SQLite embarquée, pas une production ; les commandes s'y lancent en mode développement.
# Dès qu'une de ces variables est posée, les réglages exigent une configuration complète
# (SECRET_KEY obligatoire sans DEBUG), comme le serveur WSGI le fait toujours.
_VARIABLES_DE_CONFIGURATION = ("SECRET_KEY", "DEBUG", "DATABASE_URL")


def main() -> None:
    if "DJANGO_SETTINGS_MODULE" not in os.environ and not any(
        v in os.environ for v in _VARIABLES_DE_CONFIGURATION
    ):
        os.environ["DEBUG"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charte_iae.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
