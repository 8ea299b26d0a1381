"""Production: everything in base.py, hardened. Refuses to start without its essentials."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before base.py is read, because base.py has embedded-default fallbacks for them.
REQUIRED_VARIABLES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
for _name in REQUIRED_VARIABLES:
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(
            f"{_name} is not set. Production settings need {', '.join(REQUIRED_VARIABLES)}; "
            "see README.md (Configuration) and .env.example."
        )

from .base import *  # noqa: E402 - after the check above, which must run first
from .base import BASE_DIR, REST_FRAMEWORK, STORAGES, env  # noqa: E402 - after the check above

DEBUG = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"

# TLS ends at the reverse proxy, which says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The proxy answers /healthz and /readyz probes over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Collected, hashed and compressed static files; no finders at run time.
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# Behind the proxy, the client's address is the last hop it adds to X-Forwarded-For; without
# these, every request looks like it comes from the proxy and per-IP limits become global.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TRUSTED_PROXY_COUNT}

ADMINS = [("Operators", a) for a in env.list("ADMINS", default=[])]

# Links in emails (verification, password reset, expiry notices) use https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Webhooks go to public https addresses only (webhooks/outbound.py: SSRF).
WEBHOOKS_ALLOW_PRIVATE = False
WEBHOOKS_REQUIRE_HTTPS = True
