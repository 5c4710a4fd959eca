"""Configuration de gunicorn (conteneur web) : `gunicorn -c gunicorn.conf.py charte_iae.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processus synchrones : PostgreSQL partage souvent la machine ; 3 est le point de départ mesuré
# (docs/exploitation.md). On ajoute des conteneurs plutôt que des processus au-delà des cœurs.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
# Une requête plus longue est tuée (la base a son propre délai : DB_STATEMENT_TIMEOUT_MS).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Chaque processus est remplacé après ~1000 requêtes : la mémoire (WeasyPrint) reste bornée.
max_requests = 1000
max_requests_jitter = 100
# Le journal d'accès est écrit par Django (charte_iae.acces, en JSON, sans paramètres d'URL).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "charte_iae.journalisation.FormateurJSON"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
# Le proxy TLS est devant : on accepte ses en-têtes X-Forwarded-* (réseau interne seulement).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")
# Pas de socket de pilotage (gunicornc) : le conteneur se pilote par signaux, et plusieurs
# instances sur une même machine ne se disputent pas ~/.gunicorn/gunicorn.ctl.
control_socket_disable = True
