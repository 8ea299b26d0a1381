"""The product's own settings: billing, generation, the library, the Prompt Coach."""

from __future__ import annotations

from typing import Any

from .environment import BASE_DIR, env

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
# The platform registry (read by ``platforms``): sizes, names, formats, byte caps and safe zones,
# as data an operator edits.
GENERATION_PLATFORMS_FILE = env.path(
    "GENERATION_PLATFORMS_FILE", default=str(BASE_DIR / "platforms" / "platforms.toml")
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
# The heartbeat also carries a running job's stage to its row, at most this often: the job page
# polls every 0.5 s, so a job done sooner commits no progress at all, and a long stage (a slow
# image model) shows within this time.
GENERATION_PROGRESS_SECONDS = env.float("GENERATION_PROGRESS_SECONDS", default=0.5)
GENERATION_REDISPATCH_SECONDS = env.float("GENERATION_REDISPATCH_SECONDS", default=30)
GENERATION_MAX_ATTEMPTS = env.int("GENERATION_MAX_ATTEMPTS", default=3)
GENERATION_QUEUE_PATIENCE = env.int("GENERATION_QUEUE_PATIENCE", default=3600)
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

# --- Platform connections (Twitch, YouTube, Kick channels) ----------------------------------
# The OAuth apps a creator's channel is connected through, separate from signing in: each
# asks for the scopes publishing and reading the channel need, never at sign-in. A provider
# without both values is shown as not set up on this server. YouTube is a Google OAuth client
# (by default the one sign-in with Google uses, with the YouTube Data API enabled).
CONNECTION_CLIENTS: dict[str, dict[str, str]] = {
    provider: {"client_id": client_id, "secret": secret}
    for provider, client_id, secret in (
        ("twitch", env.str("TWITCH_CLIENT_ID", default=""), env.str("TWITCH_CLIENT_SECRET", default="")),
        (
            "youtube",
            env.str("YOUTUBE_CLIENT_ID", default="") or env.str("GOOGLE_CLIENT_ID", default=""),
            env.str("YOUTUBE_CLIENT_SECRET", default="") or env.str("GOOGLE_CLIENT_SECRET", default=""),
        ),
        ("kick", env.str("KICK_CLIENT_ID", default=""), env.str("KICK_CLIENT_SECRET", default="")),
    )
    if client_id and secret
}
# Where each provider's documented origin is really served, e.g.
# {"https://api.twitch.tv": "http://127.0.0.1:9000"}: a staging fake or the tests' fakes.
# Empty in production: every call goes to the provider's own host.
CONNECTIONS_BASE_URLS: dict[str, str] = env.dict("CONNECTIONS_BASE_URLS", default={})
# Fernet keys (urlsafe base64, 32 bytes) the channels' OAuth tokens are encrypted with, newest
# first: the first encrypts, every one decrypts. To rotate, put a new key first, run
# `manage.py rotate_connection_keys`, then drop the old one. Empty: one key derived from
# SECRET_KEY (so changing SECRET_KEY without setting these makes every connection reconnect).
CONNECTION_TOKEN_KEYS: list[str] = env.list("CONNECTION_TOKEN_KEYS", default=[])
# Seconds to connect to a provider and to wait for its answer (an upload is up to 6 MB).
CONNECTIONS_TIMEOUT = (
    env.float("CONNECTIONS_CONNECT_TIMEOUT", default=5.0),
    env.float("CONNECTIONS_READ_TIMEOUT", default=30.0),
)
# Pictures a channel's avatar or banner may be read from: the providers' own image hosts.
CONNECTIONS_IMAGE_HOSTS = (
    "static-cdn.jtvnw.net",
    "yt3.ggpht.com",
    "yt3.googleusercontent.com",
    "files.kick.com",
)

# --- Outbound webhooks (webhooks/) ---------------------------------------------------------
# Whether an endpoint may point at a private, loopback or link-local address (never a cloud
# metadata service): on for development and tests, where receivers run on this machine; off
# in production (production.py), where such an address would reach inside our network.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=True)
# Whether endpoints must use https (production.py turns it on).
WEBHOOKS_REQUIRE_HTTPS = env.bool("WEBHOOKS_REQUIRE_HTTPS", default=False)
