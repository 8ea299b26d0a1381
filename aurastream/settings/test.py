"""Tests: base.py made fast and hermetic. Engines still come from DATABASE_URL/REDIS_URL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import *
from .base import ALLOWED_HOSTS, CELERY_BROKER_TRANSPORT_OPTIONS, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Each test run keeps its media and broker folders in its own throwaway directory, so a run
# never touches the embedded default's var/ (and a worker started by a test can share it).
TEST_VAR_DIR = Path(tempfile.mkdtemp(prefix="aurastream-test-"))
MEDIA_ROOT = TEST_VAR_DIR / "media"
if not REDIS_URL:
    CELERY_BROKER_DIR = TEST_VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
# The offline providers, whatever a developer's .env says (the Gemini tests build their own).
IMAGE_PROVIDER = "generation.engine.providers.local.LocalArtProvider"
IMAGE_PROVIDER_OPTIONS = {}
COACH_PROVIDER = "coach.engine.local.LocalCoach"
COACH_PROVIDER_OPTIONS = {"token_delay_s": 0.0}
# Tasks run in-process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# allauth's limits would trip over the many logins a test run makes.
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]  # allauth takes False for "off"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min", "auth": "10000/min"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than memory, so a live server thread and a worker process share it; one
    # per test run, so two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"aurastream-test-{os.getpid()}.sqlite3")
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # dj-stripe's migrations hold hundreds of operations (two minutes on SQLite): a SQLite test
    # database builds its tables straight from its models instead. PostgreSQL (CI) runs the
    # real migrations, as production does.
    MIGRATION_MODULES = {"djstripe": None}
# Stripe is off unless a test points it at the local fake server (tests/fakes/stripe.py).
STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY = STRIPE_LIVE_SECRET_KEY = ""
STRIPE_PRICE_PRO = STRIPE_PRICE_STUDIO = ""
# Jobs run in the test's own process and transaction: no heartbeat thread beside them (the
# real workers some tests start use base.py's).
GENERATION_HEARTBEAT_SECONDS = 0
# Analytics: this run's own buffer (a spool under its folder, or its own Redis key; a worker
# a test starts is given the same key).
ANALYTICS_SPOOL_DIR = TEST_VAR_DIR / "analytics"
ANALYTICS_BUFFER_KEY = f"analytics:test:{os.getpid()}"
