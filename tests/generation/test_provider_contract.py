"""One contract, every image provider: what the engine may count on from any of them.

Run against the local provider, the Gemini provider talking to the fake API on 127.0.0.1,
and, only when asked for, the Gemini provider talking to Google (see `LIVE_GEMINI`).
"""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Iterator

import pytest
from PIL import Image

from generation.engine.types import (
    ArtRequest,
    ArtResult,
    Brief,
    ImageProvider,
    ProviderError,
)
from platforms.types import PlatformSpec
from tests.fakes.gemini import IMAGE_MODEL, FakeGemini
from tests.generation.specs import BRAND, EMOTE, THUMBNAIL

# The live run spends real money and needs the real network, so it takes two things: the key,
# and an explicit opt-in. The key alone is not enough because settings load .env into the
# environment, so a developer's key would otherwise bill every local test run.
#   GEMINI_LIVE_TESTS=1 GEMINI_API_KEY=... pytest tests/generation/test_provider_contract.py
LIVE_GEMINI = bool(os.environ.get("GEMINI_API_KEY")) and os.environ.get("GEMINI_LIVE_TESTS") == "1"
# The real connect, taken before the suite's network guard (root conftest) patches it per test.
_REAL_CONNECT = socket.socket.connect

BRIEFS = {
    EMOTE.key: Brief(prompt="a sleepy owl holding a coffee mug", text="GG"),
    THUMBNAIL.key: Brief(prompt="an owl DJ at a neon turntable", text="NEW SET"),
}


def art_request(spec: PlatformSpec, previous_image_png: bytes | None = None) -> ArtRequest:
    return ArtRequest(
        spec=spec,
        brief=BRIEFS[spec.key],
        brand=BRAND,
        seed=1234,
        width=spec.master.width,
        height=spec.master.height,
        previous_image_png=previous_image_png,
    )


@pytest.fixture(
    params=[
        "local",
        "gemini-fake",
        pytest.param(
            "gemini-live",
            marks=pytest.mark.skipif(
                not LIVE_GEMINI, reason="live Gemini: set GEMINI_API_KEY and GEMINI_LIVE_TESTS=1"
            ),
        ),
    ]
)
def provider(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[ImageProvider]:
    if request.param == "local":
        from generation.engine.providers.local import LocalArtProvider

        yield LocalArtProvider()
    elif request.param == "gemini-fake":
        from generation.engine.providers.gemini import GeminiImageProvider

        with FakeGemini.running() as fake:
            yield GeminiImageProvider(
                api_key=fake.api_key, model=IMAGE_MODEL, base_url=fake.base_url, backoff_s=0.001
            )
    else:
        from generation.engine.providers.gemini import GeminiImageProvider

        # The one test allowed off this machine, and only when opted in (LIVE_GEMINI).
        monkeypatch.setattr(socket.socket, "connect", _REAL_CONNECT)
        yield GeminiImageProvider(
            api_key=os.environ["GEMINI_API_KEY"],
            model=os.environ.get("GEMINI_IMAGE_MODEL", IMAGE_MODEL),
            timeout_s=120,
        )


@pytest.mark.parametrize("spec", [EMOTE, THUMBNAIL], ids=lambda spec: spec.key)
def test_generate_returns_a_png_and_says_who_made_it(provider: ImageProvider, spec: PlatformSpec) -> None:
    result = provider.generate(art_request(spec))

    assert isinstance(result, ArtResult)
    assert result.provider == provider.name
    assert result.model == provider.model
    assert result.provider
    assert result.model
    with Image.open(io.BytesIO(result.image_png)) as image:
        assert image.format == "PNG"
        assert image.mode in ("RGB", "RGBA")
        assert image.width > 0
        assert image.height > 0
        image.load()  # every byte decodes, not only the header


def test_edit_of_a_previous_image_returns_a_png(provider: ImageProvider) -> None:
    first = provider.generate(art_request(THUMBNAIL))

    edited = provider.generate(art_request(THUMBNAIL, previous_image_png=first.image_png))

    with Image.open(io.BytesIO(edited.image_png)) as image:
        assert image.format == "PNG"
        image.load()


def test_only_provider_error_escapes(provider: ImageProvider) -> None:
    # A "previous image" that is not an image: a provider may refuse it or ignore it, but the
    # engine must never see anything but an ArtResult or a ProviderError.
    outcome: ArtResult | ProviderError
    try:
        outcome = provider.generate(art_request(EMOTE, previous_image_png=b"not a png at all"))
    except ProviderError as error:
        outcome = error

    if isinstance(outcome, ProviderError):
        assert outcome.message
        assert isinstance(outcome.retryable, bool)
    else:
        assert isinstance(outcome, ArtResult)
