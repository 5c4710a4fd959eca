# Image de production : Python 3.12, bibliothèques de WeasyPrint, utilisateur non root.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
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
RUN SECRET_KEY=collectstatic-seulement python manage.py collectstatic --noinput \
    && chown -R charte:charte /app

USER charte
EXPOSE 8000
CMD ["gunicorn", "charte_iae.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30", "--max-requests", "1000", "--max-requests-jitter", "100"]
