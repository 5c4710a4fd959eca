"""Réglages de Charte IAE, tous lus dans l'environnement (voir `.env.example`)."""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_CLE_DE_DEVELOPPEMENT = "dev-seulement-cette-cle-ne-protege-rien-" + "x" * 24
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY est obligatoire quand DEBUG est désactivé : "
            "définissez la variable d'environnement SECRET_KEY (50 caractères aléatoires)."
        )
    SECRET_KEY = _CLE_DE_DEVELOPPEMENT

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "guardian",
    "django_tasks_db",
    "charte_iae",
    "parcours",
    "accompagnement",
    "communication",
    "django.forms",
]

MIDDLEWARE = [
    "charte_iae.middleware.IdentifiantRequeteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "charte_iae.middleware.PasDeCacheAuthentifieMiddleware",
]

ROOT_URLCONF = "charte_iae.urls"
WSGI_APPLICATION = "charte_iae.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "charte_iae.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _timeout_ms = env.int("DB_STATEMENT_TIMEOUT_MS", default=30_000)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", f"-c statement_timeout={_timeout_ms}")
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "charte_iae.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian : pas d'utilisateur anonyme en base, pas de méthode ajoutée au modèle.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "connexion"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "connexion"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_USE_SESSIONS = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}


def _mailer(url_config: dict) -> dict:
    """Traduit EMAIL_URL (django-environ) en configuration MAILERS de Django 6.1."""
    backend = url_config["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        correspondances = {
            "EMAIL_HOST": "host",
            "EMAIL_PORT": "port",
            "EMAIL_HOST_USER": "username",
            "EMAIL_HOST_PASSWORD": "password",
            "EMAIL_USE_TLS": "use_tls",
            "EMAIL_USE_SSL": "use_ssl",
        }
        options = {
            cle: url_config[nom] for nom, cle in correspondances.items() if url_config.get(nom)
        }
        options["timeout"] = 10
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": url_config.get("EMAIL_FILE_PATH")}
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": _mailer(env.email_url("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Charte IAE <ne-pas-repondre@charte-iae.localhost>"
)

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "texte": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "charte_iae.journalisation.FormateurJSON"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # Une ligne JSON par événement en production (avec l'identifiant de requête).
            "formatter": env.str("LOG_FORMAT", default="texte" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint journalise chaque feuille de style qu'il analyse (dès son import) : bruit.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes note chaque remise à zéro de compteur en INFO : seuls les verrouillages
        # et erreurs (WARNING et plus) ont leur place dans le journal.
        "axes": {"level": "WARNING"},
    },
}

# Alertes du parcours (issue 10) : seuils en jours, réglables par l'environnement.
# Fenêtre d'éligibilité qui se ferme (reliquat qui passera sous 4 mois) : orienté, non prescrit.
ALERTES_FENETRE_JOURS = env.int("ALERTES_FENETRE_JOURS", default=30)
# Seuil de libération sous contrainte (art. 720 CPP, à confirmer localement) et préavis.
ALERTES_LSC_MOIS = env.int("ALERTES_LSC_MOIS", default=3)
ALERTES_LSC_JOURS = env.int("ALERTES_LSC_JOURS", default=30)
# Pièce d'identité ou titre de séjour qui expire (ou a expiré).
ALERTES_PIECE_JOURS = env.int("ALERTES_PIECE_JOURS", default=90)
# Orientation qui attend l'avis du SPIP depuis plus de N jours.
ALERTES_AVIS_JOURS = env.int("ALERTES_AVIS_JOURS", default=15)
# Prescription qui attend l'entretien de recrutement de la SIAE depuis plus de N jours.
ALERTES_ENTRETIEN_JOURS = env.int("ALERTES_ENTRETIEN_JOURS", default=15)
# (Le CEP se signe dans les 2 jours ouvrés du début du contrat : délai réglementaire, non réglable.)
# Passage en milieu ouvert sans réponse du CPIP désigné depuis plus de N jours. Il est prévenu
# dès la désignation ; l'alerte relance après une semaine ouvrée, avant la première convocation.
ALERTES_PASSAGE_JOURS = env.int("ALERTES_PASSAGE_JOURS", default=5)
# Livret de compétences non finalisé quand la libération prévisible est dans au plus N jours.
ALERTES_LIVRET_JOURS = env.int("ALERTES_LIVRET_JOURS", default=15)

# --- Production (issue 13) : derrière un proxy qui termine TLS ---------------------------------
# Le proxy (nginx, répartiteur de charge) transmet X-Forwarded-Proto ; Django ne fait confiance
# à cet en-tête que si DERRIERE_PROXY_TLS est vrai (le proxy doit l'écraser, jamais le relayer).
if env.bool("DERRIERE_PROXY_TLS", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Les sondes de santé du conteneur parlent en HTTP à 127.0.0.1 : pas de redirection HTTPS pour elles.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- ProConnect (OpenID Connect des agents publics), actif si PROCONNECT_CLIENT_ID est défini ---
# Un agent se connecte si l'e-mail donné par ProConnect est celui d'un compte actif ; aucun compte
# n'est créé. La connexion par mot de passe reste disponible.
INSTALLED_APPS += ["mozilla_django_oidc"]
PROCONNECT_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_ACTIF = bool(PROCONNECT_CLIENT_ID)
if PROCONNECT_ACTIF:
    _proconnect = env.str("PROCONNECT_URL", default="https://auth.proconnect.gouv.fr/api/v2")
    _proconnect = _proconnect.rstrip("/")
    OIDC_RP_CLIENT_ID = PROCONNECT_CLIENT_ID
    OIDC_RP_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("PROCONNECT_ALGORITHME", default="RS256")
    OIDC_RP_SCOPES = "openid email given_name usual_name"
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_proconnect}/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"{_proconnect}/token"
    OIDC_OP_USER_ENDPOINT = f"{_proconnect}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"{_proconnect}/jwks"
    OIDC_OP_LOGOUT_ENDPOINT = f"{_proconnect}/session/end"
    OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect_retour"
    OIDC_CREATE_USER = False
    OIDC_STORE_ID_TOKEN = True  # pour fermer aussi la session ProConnect à la déconnexion
    OIDC_TIMEOUT = 5
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "charte_iae.proconnect.ProConnectBackend"]
    # La déconnexion (formulaire POST) redirige vers ProConnect : form-action doit l'autoriser.
    _origine = "/".join(_proconnect.split("/")[:3])
    SECURE_CSP = {**SECURE_CSP, "form-action": [*SECURE_CSP["form-action"], _origine]}

# --- Sécurité et protection des données ------------------------------------------------------
# Bloc ajouté d'un seul tenant : il complète les listes ci-dessus sans les réordonner.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]


def _inserer_apres(liste: list[str], repere: str, *elements: str) -> None:
    position = liste.index(repere) + 1
    liste[position:position] = list(elements)


_inserer_apres(
    MIDDLEWARE,
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "charte_iae.middleware.ContexteAuditMiddleware",
)
_inserer_apres(
    MIDDLEWARE,
    "django.contrib.messages.middleware.MessageMiddleware",
    "charte_iae.middleware.DureeSessionMiddleware",
    "charte_iae.middleware.DoubleFacteurMiddleware",
)
# Le verrouillage d'axes transforme l'échec de connexion en page « compte verrouillé » : en dernier.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")

# django-axes : le compteur d'échecs est en base (partagé par tous les serveurs), par compte ;
# au-delà de AXES_FAILURE_LIMIT échecs, le compte est bloqué AXES_COOLOFF_TIME (CNIL 2022-100 :
# mot de passe de 12 caractères suffisant avec restriction des tentatives ; ASVS 2.2.1 ≤ 100/h).
AUTHENTICATION_BACKENDS.insert(0, "axes.backends.AxesStandaloneBackend")
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Par compte seulement : un verrou par adresse IP bloquerait toute une détention derrière un NAT.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 demande un verrou par adresse IP ; choix inverse assumé : le compteur par compte
# couvre le scénario qu'il décrit (ni l'agent utilisateur ni le cookie ne sont des critères ici).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "charte_iae.comptes.identifiant_axes"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Double facteur (TOTP, django-otp) : obligatoire pour les administrateurs locaux (DPIP, référent
# IAE, direction de SIAE) et nationaux ; facultatif pour les autres, mais exigé dès qu'un agent a
# activé son application. OTP_OBLIGATOIRE=false (défaut en DEBUG) le rend facultatif pour tous,
# pour la démonstration locale.
OTP_OBLIGATOIRE = env.bool("OTP_OBLIGATOIRE", default=not DEBUG)
OTP_TOTP_ISSUER = "Charte IAE"
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions : 30 min d'inactivité, 12 h au plus depuis la connexion (ASVS 3.3.2), vérifiées côté
# serveur par DureeSessionMiddleware. Cookie __Host- (ASVS 3.4.4) dès qu'il est réservé à HTTPS.
SESSION_INACTIVITE_MAX = env.int("SESSION_INACTIVITE_MAX", default=30 * 60)
SESSION_DUREE_MAX = env.int("SESSION_DUREE_MAX", default=12 * 3600)
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None

# Conservation (référentiel CNIL « social » et délibération 2021-122 sur la journalisation).
RETENTION_AUDIT_JOURS = env.int("RETENTION_AUDIT_JOURS", default=365)
RETENTION_DOSSIERS_JOURS = env.int("RETENTION_DOSSIERS_JOURS", default=2 * 365)
