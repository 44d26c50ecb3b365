"""Prevent Hub settings: one module, every value from the environment.

Every variable read here is listed, with its default, in ``docs/configuration.md``.
``PREVENTHUB_ENV`` picks the safety posture:

* ``demo`` (default): one SQLite file under ``var/``, plain http on 127.0.0.1, a secret key
  generated once into ``var/secret_key`` (mode 600). Meant for a laptop, never for real data.
* ``production``: ``SECRET_KEY``, ``ALLOWED_HOSTS``, a PostgreSQL ``DATABASE_URL`` and an e-mail
  server (``EMAIL_HOST``) are required, ``DEBUG`` is refused, cookies are HTTPS-only, HSTS and
  the SSL redirect are on.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    """A string from the environment; ``NAME_FILE`` (a path) wins, for container secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    value = env(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PREVENTHUB_ENV = env("PREVENTHUB_ENV", "demo")
if PREVENTHUB_ENV not in {"demo", "production"}:
    raise ImproperlyConfigured(f"PREVENTHUB_ENV must be demo or production, not {PREVENTHUB_ENV!r}")
PRODUCTION = PREVENTHUB_ENV == "production"

VAR_DIR = Path(env("PREVENTHUB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when PREVENTHUB_ENV=production")


def _demo_secret_key() -> str:
    """Generate the demo key once, readable only by its owner, so sessions survive restarts."""
    from django.core.management.utils import get_random_secret_key

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(get_random_secret_key())
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PREVENTHUB_ENV=production")
    SECRET_KEY = _demo_secret_key()
# Old keys still accepted for signatures and sessions while a new key rolls out.
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when PREVENTHUB_ENV=production")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "preventhub.core",
    "preventhub.accounts",
    "preventhub.partnership",
    "preventhub.delivery",
    "preventhub.schools",
    "preventhub.audits",
    "preventhub.returns",
    "preventhub.training",
    "preventhub.localprofile",
    "preventhub.casework",
    "preventhub.api",
    "preventhub.assessment",
    "preventhub.engagement",
    "preventhub.reports",
    "preventhub.guidance",
    "preventhub.exchange",
    "preventhub.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "preventhub.accounts.middleware.DeviceMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "preventhub.core.middleware.NulCharacterMiddleware",
    "preventhub.core.middleware.AuditContextMiddleware",
    "preventhub.accounts.middleware.SessionExpiryMiddleware",
    "preventhub.accounts.middleware.SecondFactorMiddleware",
    "preventhub.core.middleware.SentOnceMiddleware",
    "preventhub.core.middleware.DeclaredAccessMiddleware",
    "preventhub.core.middleware.NoStoreMiddleware",
    "preventhub.core.middleware.WriteClashMiddleware",
    # Axes last: it turns a lock-out raised during authentication into our lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "preventhub.urls"
WSGI_APPLICATION = "preventhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "preventhub.core.context_processors.service",
            ],
            # GOV.UK times ("2:05pm") in every template without {% load %}; {% url %} with
            # each address reversed once per process, and {% csrf_token %} with a form's
            # once-only token (after Django's, so they take their places).
            "builtins": [
                "preventhub.core.templatetags.govuk",
                "preventhub.core.templatetags.kept_urls",
                "preventhub.core.templatetags.kept_static",
                "preventhub.core.templatetags.sent_once",
            ],
        },
    },
]
# Our own templates for django/forms/* render every field in GOV.UK Design System markup.
FORM_RENDERER = "preventhub.core.forms.GovukFormRenderer"

DATABASE_URL = env("DATABASE_URL")
if PRODUCTION and not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL when PREVENTHUB_ENV=production "
        "(for example postgres://preventhub@db.internal:5432/preventhub)"
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'preventhub.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's, converting each statement's placeholders once in a process (core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "preventhub.core.sqlite"
    # WAL lets the task worker and the web process read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif envbool("DATABASE_PREPARED_STATEMENTS", "true"):
    # Parameters sent apart from the SQL, and a statement run a few times on a connection
    # prepared once: PostgreSQL then skips parsing and planning it. A page's queries are the
    # same few statements every request (core.prepared keeps their SQL), so this halves the
    # database's work a page. Off behind a pooler in transaction mode (PgBouncer before 1.21),
    # where a prepared statement may not be on the next transaction's connection.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "preventhub.accounts.backends.EmailPasswordBackend",
]
# NCSC guidance: long passwords, a deny-list of common ones, no composition rules, no expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24 * 3))

# Idle session lifetimes; people who work Prevent cases get the shorter one.
PREVENTHUB_SESSION_MINUTES = envint("PREVENTHUB_SESSION_MINUTES", "60")
PREVENTHUB_CASE_SESSION_MINUTES = envint("PREVENTHUB_CASE_SESSION_MINUTES", "15")
SESSION_COOKIE_AGE = PREVENTHUB_SESSION_MINUTES * 60
# Django's database sessions, each read with SQL built once per process (core/sessions.py).
SESSION_ENGINE = "preventhub.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "preventhub.core.views.csrf_failure"

AXES_FAILURE_LIMIT = envint("PREVENTHUB_LOCKOUT_ATTEMPTS", "5")
AXES_COOLOFF_TIME = envint("PREVENTHUB_LOCKOUT_MINUTES", "30") / 60  # hours
# Lock an account after repeated failures, and an address that sprays many accounts. Behind a
# load balancer PREVENTHUB_PROXY_COUNT must be right, or every user shares the balancer's address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "preventhub.accounts.backends.lockout_username"
# Axes' own reset on success clears by address too: a success on one account would wipe the
# failures against every other account tried from that address. accounts.signals resets only
# the account that signed in.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "preventhub.accounts.views.locked_out"
AXES_VERBOSE = False
PREVENTHUB_PROXY_COUNT = envint("PREVENTHUB_PROXY_COUNT", "0")
# The same address the audit trail records, trusting exactly PREVENTHUB_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "preventhub.core.audit.client_ip"

OTP_TOTP_ISSUER = env("PREVENTHUB_SERVICE_NAME", "Prevent Hub")
OTP_TOTP_THROTTLE_FACTOR = 1

PREVENTHUB_SERVICE_NAME = env("PREVENTHUB_SERVICE_NAME", "Prevent Hub")
PREVENTHUB_LA_CODES = envlist("PREVENTHUB_LA_CODES", "860")

# Casework: the keys that encrypt case identifiers and narratives at rest (Fernet keys, the first
# encrypts, every one decrypts, so keys rotate with `manage.py rotate_case_key`). The demo has a
# fixed, public key: it must never hold real data. Production refuses to start without real keys.
DEMO_CASE_KEY = "ZGVtby1vbmx5LW5vdC1hLXNlY3JldC1wcmV2ZW50aHU="
PREVENTHUB_CASE_KEYS = envlist("PREVENTHUB_CASE_KEYS")
if not PREVENTHUB_CASE_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "PREVENTHUB_CASE_KEYS must be set when PREVENTHUB_ENV=production"
        )
    PREVENTHUB_CASE_KEYS = [DEMO_CASE_KEY]
elif PRODUCTION and DEMO_CASE_KEY in PREVENTHUB_CASE_KEYS[:1]:
    raise ImproperlyConfigured(
        "PREVENTHUB_CASE_KEYS must not start with the demo key in production"
    )
# Years a closed referral or case is kept before `manage.py purge_expired_cases` destroys it.
PREVENTHUB_CASE_RETENTION_YEARS = envint("PREVENTHUB_CASE_RETENTION_YEARS", "6")
# Working days the police aim to take from receipt to a triage decision.
PREVENTHUB_TRIAGE_TARGET_DAYS = envint("PREVENTHUB_TRIAGE_TARGET_DAYS", "5")
# Minutes a break-glass opening of a case lasts before the reason must be given again.
PREVENTHUB_BREAK_GLASS_MINUTES = envint("PREVENTHUB_BREAK_GLASS_MINUTES", "60")
# Days after a panel meeting that its core members still reach the cases on its agenda (until
# the case closes). Agree it with the data protection officer.
PREVENTHUB_AGENDA_ACCESS_DAYS = envint("PREVENTHUB_AGENDA_ACCESS_DAYS", "90")
# Counts below this are suppressed in every statistic that leaves casework.
PREVENTHUB_DISCLOSURE_THRESHOLD = envint("PREVENTHUB_DISCLOSURE_THRESHOLD", "5")

# Requests one API token may make in a minute before it is answered 429 (docs/api.md).
PREVENTHUB_API_REQUESTS_PER_MINUTE = envint("PREVENTHUB_API_REQUESTS_PER_MINUTE", "120")

# Files people upload (docs/security.md#upload-limits). Every spreadsheet is read within these
# bounds, so that a small crafted file cannot hold a web worker for minutes or fill its memory.
PREVENTHUB_UPLOAD_MAX_MB = envint("PREVENTHUB_UPLOAD_MAX_MB", "10")
PREVENTHUB_GIAS_UPLOAD_MAX_MB = envint("PREVENTHUB_GIAS_UPLOAD_MAX_MB", "200")
PREVENTHUB_EVIDENCE_MAX_MB = envint("PREVENTHUB_EVIDENCE_MAX_MB", "10")
PREVENTHUB_PRODUCT_FILE_MAX_MB = envint("PREVENTHUB_PRODUCT_FILE_MAX_MB", "50")
PREVENTHUB_SPREADSHEET_MAX_ROWS = envint("PREVENTHUB_SPREADSHEET_MAX_ROWS", "100000")
PREVENTHUB_SPREADSHEET_MAX_COLUMNS = envint("PREVENTHUB_SPREADSHEET_MAX_COLUMNS", "500")
PREVENTHUB_SPREADSHEET_MAX_CELLS = envint("PREVENTHUB_SPREADSHEET_MAX_CELLS", "1000000")
PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS = envint("PREVENTHUB_SPREADSHEET_MAX_CELL_CHARS", "32767")
PREVENTHUB_SPREADSHEET_MAX_UNPACKED_MB = envint("PREVENTHUB_SPREADSHEET_MAX_UNPACKED_MB", "50")
PREVENTHUB_SPREADSHEET_MAX_SECONDS = envint("PREVENTHUB_SPREADSHEET_MAX_SECONDS", "20")

# Security headers. HSTS is only ever sent over HTTPS, so it is harmless in the demo.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    # Load balancers probe over plain http; the health check answers them without a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if envbool("PREVENTHUB_BEHIND_TLS_PROXY", "True"):
        # The load balancer terminates TLS and says so in this header (see docs/deploy.md).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# In the demo, cookies are not marked Secure: it is served over plain http on 127.0.0.1, where
# several browsers would drop a Secure cookie and nobody could sign in.

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Django's own en_GB formats would give "4 Mar 2019"; ours give the GOV.UK "4 March 2019".
FORMAT_MODULE_PATH = ["preventhub.formats"]

STATIC_URL = "/static/"
# Production serves what `collectstatic` gathered here; the demo serves straight from the apps.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (the demo) WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env("PREVENTHUB_MEDIA_ROOT", str(VAR_DIR / "media")))

# The cache every process shares: the API's rate counts live in it (docs/api.md#rate-limit), so
# with several app processes give them one Redis (PREVENTHUB_CACHE_URL=redis://host:6379/1), or
# each process counts on its own. Without it, each process has its own memory cache.
PREVENTHUB_CACHE_URL = env("PREVENTHUB_CACHE_URL")
if PREVENTHUB_CACHE_URL and not PREVENTHUB_CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "PREVENTHUB_CACHE_URL must be a redis:// or rediss:// address, "
        f"not {PREVENTHUB_CACHE_URL!r}"
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PREVENTHUB_CACHE_URL,
            "KEY_PREFIX": "preventhub",
        }
        if PREVENTHUB_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {
    "default": {
        "BACKEND": env("PREVENTHUB_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if PRODUCTION and EMAIL_BACKEND.endswith("console.EmailBackend"):
    # Console e-mail would write invitation and password-reset links into the service's logs.
    raise ImproperlyConfigured(
        "Set EMAIL_HOST (or EMAIL_BACKEND) when PREVENTHUB_ENV=production: invitations and "
        "password resets are sent by e-mail"
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Prevent Hub <no-reply@preventhub.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; nothing identifying goes into a URL (see docs/security.md).
        "django.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
