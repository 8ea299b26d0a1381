"""Settings shared by every running mode.

Everything is read from the environment through the one ``env`` object below. With no
variables set, AuraStream runs in its *embedded default*: SQLite under ``var/``, an in-memory
channel layer, a local cache, local media, console email and a Celery worker on kombu's
filesystem transport (no server needed). ``DATABASE_URL`` and ``REDIS_URL`` switch the same
code to PostgreSQL and Redis. Every variable is documented in README.md and .env.example.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime state of the embedded default (SQLite file, broker folders, local media).
VAR_DIR = Path(environ.Env().str("AURASTREAM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# A .env file is a convenience for local runs; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

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
    "django.contrib.admin",
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
    "billing",
    "library",
    "brandkits",
    "generation",
    "coach",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication, so finding who is asking (the session, its account) and
    # everything after it (messages, allauth's and our middleware, the view) run inside the
    # acting-user transaction.
    "aurastream.middleware.ActingUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
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

# --- Redis: cache, broker, channel layer ------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # The cache holds only what can be lost: rate-limit counters (the API's
                # throttles, allauth's and the coach's per-minute limits) and previews. With
                # Redis down or frozen it fails open (a read misses, a write is dropped, a
                # warning is logged) within half a second instead of failing the request.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "aurastream.outages"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                # A socket's queue must hold a whole coach reply even when its page is slow.
                "capacity": 1000,
                # Every socket of one daphne process shares one Redis queue ("specific.*"
                # channels), so its capacity is for the whole process's backlog.
                "channel_capacity": {"specific.*": 20000},
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
    }
# Websocket handlers run their database calls on a pool of this many threads per daphne
# process (aurastream.sockets), which also caps that process's database connections. 0: 8 on
# PostgreSQL, 1 on SQLite (one writer at a time anyway).
WEBSOCKET_DB_THREADS = env.int("WEBSOCKET_DB_THREADS", default=0)

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Must exceed the hard time limit, or Redis redelivers a task that is still running.
        # A task whose worker died is redelivered after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
        # Look for such abandoned tasks every 10 s (kombu's default scans every 100 s).
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 2,
    }
    # Publishing gives up within a second or two when Redis is down (the default retries
    # could hold a request for longer); a job that wasn't sent is sent by the sweep.
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables; kombu would otherwise write them to ./control.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # The default 1 s polling makes every task wait about half a second.
        "polling_interval": 0.05,
    }
CELERY_TASK_DEFAULT_QUEUE = "default"
# Paid plans' jobs go to `priority`, which has its own workers in production.
CELERY_TASK_QUEUES_NAMES = ("priority", "default")
# Every worker takes `priority`: the sweep and failing-and-refunding don't wait behind a
# backlog of Free-plan jobs.
CELERY_TASK_ROUTES = {
    "generation.jobs_sweep": {"queue": "priority"},
    "generation.job_fail": {"queue": "priority"},
}
# Lose no work: acknowledge after the task ran, requeue when a worker dies mid-task, and
# let each worker process hold only the task it is running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = "UTC"
# Periodic work; `serve` runs beat inside its worker, Compose runs a `beat` service.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The library: deleted assets and collections leave once their undo window has passed;
    # Free-plan assets leave after their retention period, with an email some days before.
    "library-purge-deleted": {"task": "library.purge_deleted", "schedule": timedelta(minutes=5)},
    # Deleted brand kits and creator images leave once the same undo window has passed.
    "brandkits-purge-deleted": {"task": "brandkits.purge_deleted", "schedule": timedelta(minutes=5)},
    # Deleted coach sessions, with their messages, too.
    "coach-purge-deleted": {"task": "coach.purge_deleted", "schedule": timedelta(minutes=5)},
    "library-expire-assets": {"task": "library.expire_assets", "schedule": crontab(hour=3, minute=0)},
    "library-send-expiry-notices": {
        "task": "library.send_expiry_notices",
        "schedule": crontab(hour=3, minute=30),
    },
    # Generation: re-send jobs the broker lost, re-queue (or fail and refund) jobs whose
    # worker died. Its period is GENERATION_SWEEP_SECONDS, set below.
    "generation-jobs-sweep": {"task": "generation.jobs_sweep", "schedule": timedelta(seconds=10)},
}

# --- Auth and accounts ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, finding accounts as system work (accounts/backends.py).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "landing"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# "optional" in the embedded default so a self-hoster without SMTP can still sign up;
# production.py makes it mandatory.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AuraStream] "
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth keeps its rate limits (login failures, signups, resets…) in the default cache,
# which is Redis, shared by every process, when REDIS_URL is set.
# One lockout for every way to present a password (sign-in form, API tokens, admin sign-in):
# "login_failed" counts failures per IP and per account-and-IP pair (accounts.adapters);
# "login_failed_account" is the softer limit per account across every address. A successful
# password reset clears both, so the owner can always get back in by email.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "20/15m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
}
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
# Links a provider login to an existing account only when the provider says it verified the
# email; an unverified address never takes over an account (allauth enforces the check).
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = ACCOUNT_EMAIL_VERIFICATION
SOCIALACCOUNT_STORE_TOKENS = False


def _social_app(provider: str) -> list[dict[str, str]]:
    """A provider is enabled when its client id and secret are both in the environment."""
    client_id = env.str(f"{provider}_CLIENT_ID", default="")
    secret = env.str(f"{provider}_CLIENT_SECRET", default="")
    if client_id and secret:
        return [{"client_id": client_id, "secret": secret, "key": ""}]
    return []


SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": _social_app("GOOGLE"),
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
    },
    # Twitch's Helix API only ever returns the user's verified address.
    "twitch": {"APPS": _social_app("TWITCH"), "SCOPE": ["user:read:email"], "VERIFIED_EMAIL": True},
    "discord": {"APPS": _social_app("DISCORD"), "SCOPE": ["identify", "email"]},
}

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aurastream.api.authentication.ActingUserJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with DRF's parser plus depth and text checks (aurastream.text); forms as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "aurastream.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "aurastream.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "auth": env.str("API_THROTTLE_AUTH", default="20/min"),
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    # Each refresh hands out a new refresh token and blacklists the old one, so a stolen
    # refresh token stops working the moment the real client uses it.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AuraStream API",
    "DESCRIPTION": "Brand kits, generation, coach, library and billing for streamers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "aurastream.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "FontKeyEnum": "brandkits.api.serializers.FONT_KEY_CHOICES",
        "LogoRoleEnum": "brandkits.models.BrandLogo.Role",
        "MediaRoleEnum": "brandkits.models.CreatorMedia.Role",
    },
}
ACCOUNT_ALLOW_SIGNUPS = env.bool("ACCOUNT_ALLOW_SIGNUPS", default=True)

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
# collectstatic only runs for production (see production.py); here finders serve the files.
STATIC_ROOT = None
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
_default_storage: dict[str, Any]
if STORAGE_BACKEND == "s3":
    # Read only when S3 is chosen, so the embedded default needs none of these. Credentials
    # come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the instance's role, never from here.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            # "path" for S3-compatible servers without per-bucket host names (MinIO…).
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
            # Serves what storage.url() hands out (public files). Private library files are
            # always signed against the bucket endpoint instead (library/downloads.py).
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            # Private by default: objects are never public-read, and links are signed (SigV4,
            # which every S3-compatible service accepts).
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    # Plain finder-backed storage in the embedded default, so no collectstatic is needed.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the static folders when nothing was collected (embedded default).
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000


# --- Content-Security-Policy (django-csp) -------------------------------------------------
# Scripts only from our own origin (no inline scripts, no eval); styles may be inline (the
# colour swatches and htmx's indicator style), images also from data:/blob: URLs and the
# storage's own host (signed S3 links); sockets and fetches back to this origin only.
def _origin(url: str | None) -> list[str]:
    from urllib.parse import urlsplit

    if not url:
        return []
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


_storage_hosts = (
    _origin(env.str("AWS_S3_ENDPOINT_URL", default=None))
    + _origin(env.str("AWS_S3_CUSTOM_DOMAIN", default=None))
    + (["https://*.amazonaws.com"] if STORAGE_BACKEND == "s3" else [])
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_storage_hosts],
        "media-src": ["'self'", "blob:", *_storage_hosts],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Billing (Stripe through dj-stripe) ----------------------------------------------------
# With no STRIPE_SECRET_KEY the pricing and billing pages still work and checkout says billing
# is not configured; staff can still grant plans in the admin.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
# A live key (sk_live_…, rk_live_…) means live mode; anything else is test mode.
STRIPE_LIVE_MODE = "_live_" in STRIPE_SECRET_KEY
STRIPE_LIVE_SECRET_KEY = STRIPE_SECRET_KEY if STRIPE_LIVE_MODE else ""
STRIPE_TEST_SECRET_KEY = "" if STRIPE_LIVE_MODE else STRIPE_SECRET_KEY
if env.str("STRIPE_API_HOST", default=""):
    # Another Stripe-compatible API (a local fake or mock server); dj-stripe applies it.
    STRIPE_API_HOST = env.str("STRIPE_API_HOST")
# The Stripe prices the Pro and Studio plans sell (price_…, monthly, from the Stripe dashboard).
STRIPE_PRICE_PRO = env.str("STRIPE_PRICE_PRO", default="")
STRIPE_PRICE_STUDIO = env.str("STRIPE_PRICE_STUDIO", default="")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
# A renewal that fails keeps the paid plan for this many days while Stripe retries the card;
# after that the creator is on Free until a payment succeeds.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)

# --- Generation ---------------------------------------------------------------------------
# The platform registry: sizes, formats, byte caps and safe zones, as data an operator edits.
GENERATION_PLATFORMS_FILE = env.path(
    "GENERATION_PLATFORMS_FILE", default=str(BASE_DIR / "generation" / "data" / "platforms.toml")
)
# Quick Create templates: one TOML file each, re-read when a file changes.
GENERATION_TEMPLATES_DIR = env.path(
    "GENERATION_TEMPLATES_DIR", default=str(BASE_DIR / "generation" / "data" / "templates")
)
GEMINI_API_KEY = env.str("GEMINI_API_KEY", default="")
# The image provider, by dotted path: the offline local engine unless a Gemini key is set.
IMAGE_PROVIDER = env.str(
    "IMAGE_PROVIDER",
    default=(
        "generation.engine.providers.gemini.GeminiImageProvider"
        if GEMINI_API_KEY
        else "generation.engine.providers.local.LocalArtProvider"
    ),
)
IMAGE_PROVIDER_OPTIONS: dict[str, Any] = {}
if IMAGE_PROVIDER.endswith("GeminiImageProvider"):
    # Read only when Gemini is chosen.
    IMAGE_PROVIDER_OPTIONS = {
        "api_key": GEMINI_API_KEY,
        "model": env.str("GEMINI_IMAGE_MODEL", default="gemini-2.5-flash-image"),
        "timeout_s": env.float("GEMINI_TIMEOUT_S", default=60.0),
        "max_retries": env.int("GEMINI_MAX_RETRIES", default=3),
        "base_url": env.str("GEMINI_BASE_URL", default=None),
    }
# How long one job may run before the worker gives up on it (seconds).
GENERATION_SOFT_TIME_LIMIT = env.int("GENERATION_SOFT_TIME_LIMIT", default=240)
# Nothing left behind (generation.services.jobs_sweep, every GENERATION_SWEEP_SECONDS): a
# running job's worker writes a heartbeat every GENERATION_HEARTBEAT_SECONDS; one silent for
# GENERATION_LEASE_SECONDS is taken as dead and its job queued again (GENERATION_MAX_ATTEMPTS
# in all, then failed and refunded). A queued job not yet started is sent to the broker again
# after GENERATION_REDISPATCH_SECONDS (doubling each time: the message may have been lost with
# a restarted Redis), and fails and is refunded once it has waited GENERATION_QUEUE_PATIENCE.
GENERATION_SWEEP_SECONDS = env.float("GENERATION_SWEEP_SECONDS", default=10)
GENERATION_HEARTBEAT_SECONDS = env.float("GENERATION_HEARTBEAT_SECONDS", default=5)
GENERATION_LEASE_SECONDS = env.float("GENERATION_LEASE_SECONDS", default=30)
GENERATION_REDISPATCH_SECONDS = env.float("GENERATION_REDISPATCH_SECONDS", default=30)
GENERATION_MAX_ATTEMPTS = env.int("GENERATION_MAX_ATTEMPTS", default=3)
GENERATION_QUEUE_PATIENCE = env.int("GENERATION_QUEUE_PATIENCE", default=3600)
CELERY_BEAT_SCHEDULE["generation-jobs-sweep"]["schedule"] = timedelta(seconds=GENERATION_SWEEP_SECONDS)
GENERATION_MAX_PROMPT_CHARS = 1000

# --- Library ------------------------------------------------------------------------------
# A deleted asset can be restored for this long; then the purge removes its rows and files.
LIBRARY_UNDO_SECONDS = env.int("LIBRARY_UNDO_SECONDS", default=600)
# Free-plan creators are emailed this many days before their assets expire.
LIBRARY_EXPIRY_NOTICE_DAYS = 3

# --- Prompt Coach -------------------------------------------------------------------------
# The coach provider, by dotted path: the offline guided coach unless a Gemini key is set.
COACH_PROVIDER = env.str(
    "COACH_PROVIDER",
    default="coach.engine.gemini.GeminiCoach" if GEMINI_API_KEY else "coach.engine.local.LocalCoach",
)
COACH_PROVIDER_OPTIONS: dict[str, Any] = {
    # The offline coach types its reply out at a readable pace (seconds between words).
    "token_delay_s": env.float("COACH_LOCAL_TOKEN_DELAY_S", default=0.02),
}
if COACH_PROVIDER.endswith("GeminiCoach"):
    COACH_PROVIDER_OPTIONS = {
        "api_key": GEMINI_API_KEY,
        "model": env.str("GEMINI_COACH_MODEL", default="gemini-2.5-flash"),
        "timeout_s": env.float("GEMINI_TIMEOUT_S", default=60.0),
        "max_retries": env.int("GEMINI_MAX_RETRIES", default=3),
        "base_url": env.str("GEMINI_BASE_URL", default=None),
    }
COACH_MAX_MESSAGE_CHARS = 2000
# Messages one creator may send to the coach per minute, across all sessions.
COACH_MESSAGES_PER_MINUTE = env.int("COACH_MESSAGES_PER_MINUTE", default=20)
# A reply that has streamed for longer than this is taken as abandoned (its process died),
# so the session accepts a new message again.
COACH_REPLY_TIMEOUT_S = 180

# --- Email ------------------------------------------------------------------------------
# EMAIL_URL names the backend and its server, e.g. smtp+tls://user:pass@smtp.example.com:587.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AuraStream <hello@aurastream.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A long job's or a pack's "it's ready" email waits this long, and is dropped when an open tab
# received the live notification meanwhile: the creator was on a page and saw it.
NOTIFICATION_EMAIL_DELAY_S = env.int("NOTIFICATION_EMAIL_DELAY_S", default=30)
# A job that took longer than this from Generate to done (or any pack) earns that email.
NOTIFICATION_EMAIL_MIN_JOB_SECONDS = 60
# Where no channel layer is shared with the worker (the embedded default's in-memory layer),
# each notification socket looks for new rows this often instead of waiting for a push.
NOTIFICATION_POLL_SECONDS = 3.0

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
