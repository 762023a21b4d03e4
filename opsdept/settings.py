"""Settings for opsdept, read from the environment in this one place.

Environment variables (all optional for the embedded demo):
  DJANGO_ENV            "production" turns on the hardened settings
  SECRET_KEY            required in production
  DEBUG                 "true"/"false" (default: true outside production)
  ALLOWED_HOSTS         comma-separated host names
  DATABASE_URL          default: SQLite in var/db.sqlite3
  CELERY_BROKER_URL     default: kombu's filesystem transport in var/celery
  SITE_URL              the site's address as users reach it (https://ops.example.com), for links in e-mail
  BROKER_SOCKET_TIMEOUT seconds a Redis read/connect may take before it fails (default 5)
  CELERY_VISIBILITY_TIMEOUT  seconds before Redis redelivers an unacknowledged task (default 6 h)
  TRUSTED_PROXIES       comma-separated proxy IPs whose X-Forwarded-For is believed
  SESSION_IDLE_MINUTES  idle timeout of a login session (default 30)
  MEDIA_ROOT, BACKUP_DIR, EMAIL_URL-like settings below
"""

from datetime import timedelta
from pathlib import Path
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPSDEPT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "").lower() == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "django-insecure-demo-only-" + "x" * 40
if PRODUCTION:
    # Errors, not check --deploy warnings: a guessable key forges sessions and password resets,
    # and DEBUG shows settings and tracebacks to anyone.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY is weak: use at least 50 random characters "
                                   "(python -c 'import secrets; print(secrets.token_urlsafe(50))').")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in e-mail must be absolute: a mail client has no "current site".
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_htmx",
    "django_filters",
    "opsdept",
    "attendance",
    "leave",
    "meetings",
    "duty",
    "worklog",
    "discipline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opsdept.middleware.SecurityHeadersMiddleware",
    "opsdept.middleware.RequestSizeLimitMiddleware",
    "opsdept.middleware.RequestMemoMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opsdept.middleware.SessionTouchMiddleware",
    "opsdept.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # request.htmx: a view answers a partial to htmx and the full page otherwise.
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "opsdept.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opsdept.context_processors.current_employee",
            ],
        },
    },
]

WSGI_APPLICATION = "opsdept.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        # A persistent connection in every mode that uses PostgreSQL (opening one per request was
        # 4.4 ms of a 7.5 ms page); the health check replaces a connection the server dropped.
        # SQLite (the embedded demo) opens a file: nothing to keep.
        conn_max_age=0 if (os.environ.get("DATABASE_URL") or "sqlite").startswith("sqlite") else 60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, Celery worker and beat) share the demo database.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not memory, so that a Celery worker process in the tests shares it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the employee with the user (one query per request instead of two).
    "opsdept.backends.EmployeeBackend",
    # Kept for the sessions signed in before EmployeeBackend: a session names the backend that signed it in.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures, per username + client IP and per client IP (django-axes).
AXES_USER_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_FAILURE_LIMIT = "opsdept.net.login_failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Also per client IP across usernames, with a higher limit (opsdept.net.login_failure_limit),
# so that one address spraying one password over every login gets locked out too.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "opsdept.net.client_ip_for_axes"
AXES_VERBOSE = False
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# The age above is an idle timeout: opsdept.middleware.SessionTouchMiddleware re-saves a session
# at most once a minute (SESSION_TOUCH_SECONDS), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
# No script reads the CSRF cookie: forms carry the token, htmx sends it from a header the
# template renders (tests/security/test_deploy.py checks that static/ never reads the cookie).
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
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
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024   # the form fields of one request, files aside
DATA_UPLOAD_MAX_NUMBER_FILES = 10                # files in one request (Django answers 400 above)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# One request's whole body, files included (opsdept.middleware.RequestSizeLimitMiddleware answers 413).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_MB", "25")) * 1024 * 1024
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "opsdept@localhost")

# Celery: Redis in production and CI; kombu's filesystem transport for the demo,
# so that `make run` needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_SOCKET_TIMEOUT = float(os.environ.get("BROKER_SOCKET_TIMEOUT", "5"))
# Longer than the longest run (a month's catch-up), so Redis never hands a running night to a
# second worker; a killed worker's night comes back sooner through reject_on_worker_lost and
# the hourly catch-up.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(6 * 60 * 60)))
# A frozen Redis must never hang a web request: every socket operation times out.
REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 25,
    # How often a worker looks for messages a dead worker took and never acknowledged (older than the
    # visibility timeout) and puts them back in the queue; every look is one cheap Redis query.
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "60")),
    "unacked_restore_throttle": 1,
}
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_TRANSPORT_OPTIONS
CELERY_REDIS_SOCKET_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
# Workers and beat wait for the broker forever (with backoff) instead of exiting; a supervisor
# restarts them if they die anyway (README, production).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A sender (a web request, beat's tick) gives up after a few seconds instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 3, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# Acknowledge a message when its task returns, and give it back when the process running it dies,
# so a killed worker's night is redelivered at once (tasks are safe to run twice).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The nightly checks that can run for part of the department (attendance, reports, tasks) run in
# chunks of this many employees, each its own transaction and its own line in the run log; a failed
# chunk is retried alone. 0 runs each check for everyone at once.
NIGHTLY_CHUNK_SIZE = int(os.environ.get("NIGHTLY_CHUNK_SIZE", "2000"))
# The scheduled night sends those chunks as tasks to every worker (several machines share a night);
# on by default in production, off elsewhere (the embedded worker and CI run the night whole; both work). A fan-out night whose chunks show no activity
# for NIGHTLY_CHUNK_STALE_SECONDS counts as lost; the catch-up resumes the chunks not done.
NIGHTLY_FAN_OUT = env_bool("NIGHTLY_FAN_OUT", PRODUCTION)
NIGHTLY_CHUNK_STALE_SECONDS = int(os.environ.get("NIGHTLY_CHUNK_STALE_SECONDS", "3600"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"opsdept": {"level": os.environ.get("LOG_LEVEL", "INFO")}},
}


# Group robots (opsdept.chat): only the vendors' https hosts, except address prefixes
# listed here (tests point a robot at a local fake server); retry backoff base.
CHAT_WEBHOOK_TEST_PREFIXES = [prefix for prefix in os.environ.get("CHAT_WEBHOOK_TEST_PREFIXES", "").split(",") if prefix]
# The first retry of an outbox message (a group-robot message, an e-mail) after this many seconds, then doubling.
OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "30"))
