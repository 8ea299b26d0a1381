"""A rate limit per API key (``API_THROTTLE_KEY``, default 120 requests a minute), beside the
per-account limit every signed-in request has; and one on refused keys per client address
(``API_THROTTLE_REFUSED_KEY``, default 10 a minute), so nobody tries keys by the thousand."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from aurastream.types import client_ip

from .models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str | None:
        # Read when asked, not when DRF's settings were first loaded (tests change it).
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None  # not a key: the other throttles apply
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class RefusedKeyThrottle(SimpleRateThrottle):
    """Counts the keys refused to one client address. Unlike DRF's throttles it counts only
    what it is told to (``refused``), and ``blocked`` only looks: past the rate, a key from that
    address is not even looked up until the window has moved on (a 429 with Retry-After)."""

    scope = "api_key_refused"
    # Set by SimpleRateThrottle.__init__ from the rate (read only when there is one).
    num_requests: int
    duration: int

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}

    def _recent(self, request: Request) -> None:
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def blocked(self, request: Request) -> float | None:
        """Seconds to wait before this address may present a key again, or None."""
        if self.rate is None:
            return None
        self._recent(request)
        if len(self.history) < self.num_requests:
            return None
        return self.wait() or 1.0

    def refused(self, request: Request) -> None:
        """Count one refused key from this address."""
        if self.rate is None:
            return
        self._recent(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
