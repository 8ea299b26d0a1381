"""Tests: base.py made fast and hermetic. Engines still come from DATABASE_URL/REDIS_URL."""

from __future__ import annotations

import tempfile

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Each test run writes media into its own throwaway folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="aurastream-test-media-")
# Tasks run in-process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# allauth's limits would trip over the many logins a test run makes.
ACCOUNT_RATE_LIMITS = False
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min", "auth": "10000/min"},
}
