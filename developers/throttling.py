"""A rate limit per API key (``API_THROTTLE_KEY``, default 120 requests a minute), beside the
per-account limit every signed-in request has."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

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
