"""First-party analytics (the `analytics` app, aurastream/events.py): collection and keeping."""

from __future__ import annotations

from .environment import VAR_DIR, env

# Off: no page view or product event is buffered (the dashboard shows what was rolled up).
ANALYTICS_ENABLED = env.bool("ANALYTICS_ENABLED", default=True)
# Where events wait for the roll-up: a Redis list under this key when REDIS_URL is set,
# else a spool file in this folder (the embedded default's processes share the disk).
ANALYTICS_BUFFER_KEY = env.str("ANALYTICS_BUFFER_KEY", default="analytics:buffer")
# At most this many lines wait in Redis (the oldest are dropped beyond it).
ANALYTICS_BUFFER_MAX = env.int("ANALYTICS_BUFFER_MAX", default=200_000)
ANALYTICS_SPOOL_DIR = env.path("ANALYTICS_SPOOL_DIR", default=VAR_DIR / "analytics")
# The roll-up (analytics.rollup, on beat) runs this often; raw events are kept this many days.
ANALYTICS_ROLLUP_SECONDS = env.float("ANALYTICS_ROLLUP_SECONDS", default=60)
ANALYTICS_RAW_DAYS = env.int("ANALYTICS_RAW_DAYS", default=30)
# A header the proxy sets to the visitor's two-letter country (e.g. CF-IPCountry behind
# Cloudflare, or nginx's GeoIP module); unset: no country is recorded.
ANALYTICS_COUNTRY_HEADER = env.str("ANALYTICS_COUNTRY_HEADER", default="")
# What one provider call costs, in US dollars, for the dashboard's estimate (by provider id).
ANALYTICS_PROVIDER_COST_USD = {
    "local": 0.0,
    "gemini": env.float("ANALYTICS_GEMINI_IMAGE_COST_USD", default=0.039),
}
