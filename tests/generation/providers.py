"""Image providers for tests that need a provider to fail or to be slow.

They implement the same interface as the product's providers; the slow one wraps the real
local provider, so what it returns is real art.
"""

from __future__ import annotations

import os
import time

from generation.engine.providers.local import LocalArtProvider
from generation.engine.types import ArtRequest, ArtResult, ProviderError


class RefusingProvider:
    name = "refusing"
    model = "refusing-1"

    def generate(self, request: ArtRequest) -> ArtResult:
        raise ProviderError("Google's safety filter declined this prompt. Try describing it differently.")


class BusyProvider:
    """Always overloaded: every attempt is a retryable failure."""

    name = "busy"
    model = "busy-1"
    calls = 0

    def generate(self, request: ArtRequest) -> ArtResult:
        BusyProvider.calls += 1
        raise ProviderError("The image service is busy right now.", retryable=True)


class SlowLocalProvider(LocalArtProvider):
    """The local provider, slowed down so a test can watch (or interrupt) a job mid-render."""

    def generate(self, request: ArtRequest) -> ArtResult:
        time.sleep(float(os.environ.get("SLOW_PROVIDER_SECONDS", "1.0")))
        return super().generate(request)
