# Image de production : Python 3.12, bibliothèques de WeasyPrint, utilisateur non root.
# Une seule image pour le web (gunicorn) et le worker (manage.py db_worker).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Les mêmes bibliothèques que « scripts/dependances_systeme pdf » ; postgresql-client pour
# scripts/sauvegarde et scripts/restauration.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 charte

WORKDIR /app
COPY pyproject.toml README.md ./
COPY charte_iae ./charte_iae
COPY parcours ./parcours
COPY accompagnement ./accompagnement
COPY communication ./communication
RUN pip install .
COPY . .
# Fichiers statiques nommés par empreinte (whitenoise), produits une fois pour toutes à la construction.
RUN SECRET_KEY=collectstatic-seulement DATABASE_URL=sqlite:////tmp/inutilisee.sqlite3 \
        python manage.py collectstatic --noinput \
    && chown -R charte:charte /app

USER charte
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --retries=5 CMD ["python", "scripts/sonde"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "charte_iae.wsgi:application"]
