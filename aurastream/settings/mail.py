"""Email and the notifications that may send it."""

from __future__ import annotations

from .environment import env

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
