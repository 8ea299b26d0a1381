"""Settings shared by every running mode.

Everything is read from the environment through the one ``env`` object (environment.py). With no
variables set, AuraStream runs in its *embedded default*: SQLite under ``var/``, an in-memory
channel layer, a local cache, local media, console email and a Celery worker on kombu's
filesystem transport (no server needed). ``DATABASE_URL`` and ``REDIS_URL`` switch the same
code to PostgreSQL and Redis. Every variable is documented in README.md and .env.example.

This module holds the core (apps, middleware, database, language, security, logging) and
gathers the rest, one module per concern: files.py (static, media, S3, the CSP), identity.py
(accounts, sign-in, the API), mail.py, product.py (billing, generation, library, coach) and
queues.py (Redis, Celery and its periodic work).
"""

from __future__ import annotations

from .analytics import *
from .environment import *
from .environment import BASE_DIR, VAR_DIR, env
from .files import *
from .identity import *
from .mail import *
from .product import *
from .queues import *

# --- Core -------------------------------------------------------------------------------
# The fallback key only exists so the embedded default starts with nothing configured;
# production.py refuses to start without a real one.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-embedded-default-key-change-me-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "AuraStream"
SITE_ID = 1
# The public host name, written to the Site record emails use (links use the request's host).
SITE_DOMAIN = env.str("SITE_DOMAIN", default="127.0.0.1:8000")

INSTALLED_APPS = [
    # daphne first so `runserver` is the ASGI server too.
    "daphne",
    # Django's admin on the operators' site (aurastream/adminsite.py).
    "aurastream.adminsite.OperationsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "channels",
    "django_htmx",
    "csp",
    "template_partials",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.twitch",
    "allauth.socialaccount.providers.discord",
    "djstripe",
    # Project package: health checks, landing page, the `serve` command.
    "aurastream",
    # Product apps, in dependency order (later apps may import earlier ones, never back).
    "accounts",
    "workspaces",
    "webhooks",
    "teams",
    "developers",
    "billing",
    "library",
    "brandkits",
    "generation",
    "connections",
    "coach",
    # Operators' analytics: collected everywhere, read by the staff dashboard.
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before everything that writes the body, so it compresses what they leave (pages and API
    # answers; never streams, files or images: aurastream/compression.py).
    "aurastream.compression.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication, so finding who is asking (the session, its account) and
    # everything after it (messages, allauth's and our middleware, the view) run inside the
    # acting-user transaction.
    "aurastream.middleware.ActingUserMiddleware",
    # The workspace the signed-in creator works in (workspaces.current), read as them.
    "workspaces.current.CurrentWorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Last: it counts the page once the response is made (analytics.collect).
    "analytics.middleware.PageViewMiddleware",
]

ROOT_URLCONF = "aurastream.urls"
WSGI_APPLICATION = "aurastream.wsgi.application"
ASGI_APPLICATION = "aurastream.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aurastream.context_processors.shell",
                "accounts.context_processors.notifications",
                "workspaces.context_processors.workspaces",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Reconnect cleanly after the database restarts instead of failing the next request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that doesn't answer fails the request (503) in seconds instead of holding it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # The row-level security policies inflate the planner's cost estimates until PostgreSQL
    # JIT-compiles ordinary page queries (80 ms to compile a 3 ms query): the app's queries are
    # short, JIT never pays off for them.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the app connects as when migrations run as the tables' owner (the
# production layout, docs/ARCHITECTURE.md). `migrate` grants it rows and sequences, nothing
# more; row-level security (aurastream.rls) binds it.
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
# Sessions go through a store that reads and writes them as system work: row-level security
# keeps them from everything else.
SESSION_ENGINE = "aurastream.sessions"


# --- I18N -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# Our English over allauth's: sentence case like the rest of the app (locale/en/…/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it; the token comes from the page.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The Stripe SDK logs every request at INFO; its errors still reach WARNING.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "stripe": {"level": "WARNING"}},
}
