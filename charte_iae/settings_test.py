"""Réglages des tests : ceux de production, avec un hachage de mot de passe rapide."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "cle-de-test-" + "t" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("EMAIL_URL", "consolemail://")
# Le client de test parle HTTP : pas de redirection vers HTTPS (le proxy TLS la fait en production).
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Le double facteur obligatoire a ses propres tests (tests/securite/test_comptes.py), qui
# l'activent ; ailleurs, force_login suffit pour tous les profils.
os.environ.setdefault("OTP_OBLIGATOIRE", "false")

from charte_iae.settings import *  # noqa: F403
from charte_iae.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
