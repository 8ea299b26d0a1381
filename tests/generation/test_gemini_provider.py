"""The Gemini image provider against a fake of Google's API on 127.0.0.1 (tests/fakes/gemini.py).

The provider runs unchanged, SDK included; only `base_url` points at the fake. The tests
assert what Google would receive and what the engine gets back.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from generation.engine.providers.gemini import (
    BUSY,
    KEY_REJECTED,
    SAFETY_REFUSAL,
    TIMED_OUT,
    GeminiImageProvider,
)
from generation.engine.types import ArtRequest, ArtResult, Brief, ProviderError
from platforms.types import PlatformSpec
from tests.fakes import gemini as fake_gemini
from tests.fakes.gemini import IMAGE_MODEL, IMAGE_SIZES, FakeGemini
from tests.generation.specs import BRAND, EMOTE, PALETTE, THUMBNAIL

REPO = Path(__file__).resolve().parents[2]

# The aspect ratio Gemini should be asked for, for each: worked out here, not by the engine.
EXPECTED_RATIO = {EMOTE.key: "1:1", THUMBNAIL.key: "16:9"}

BRIEF = Brief(prompt="an owl DJ at a neon turntable", text="LIVE")
# The colour the fake is told to draw its answer in (its "thought" drafts are grey).
DRAWN = (124, 58, 237)


def art_request(spec: PlatformSpec = THUMBNAIL, **changes: object) -> ArtRequest:
    fields: dict[str, object] = {
        "spec": spec,
        "brief": BRIEF,
        "brand": BRAND,
        "seed": 7,
        "width": spec.master.width,
        "height": spec.master.height,
        **changes,
    }
    return ArtRequest(**fields)  # type: ignore[arg-type]  # a dict of mixed fields, each right


def png_bytes(size: tuple[int, int], color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def center_color(image_png: bytes) -> tuple[int, ...]:
    with Image.open(io.BytesIO(image_png)) as image:
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))  # type: ignore[return-value]  # RGB: a tuple


@pytest.fixture
def fake() -> Iterator[FakeGemini]:
    with FakeGemini.running() as server:
        yield server


def make_provider(fake: FakeGemini, **options: object) -> GeminiImageProvider:
    settings: dict[str, object] = {
        "api_key": fake.api_key,
        "model": IMAGE_MODEL,
        "base_url": fake.base_url,
        "timeout_s": 10,
        "max_retries": 3,
        # Real backoff shape, test-sized waits.
        "backoff_s": 0.001,
        **options,
    }
    return GeminiImageProvider(**settings)  # type: ignore[arg-type]  # a dict of mixed options, each right


@pytest.fixture
def provider(fake: FakeGemini) -> GeminiImageProvider:
    return make_provider(fake)


# --- What Google receives -----------------------------------------------------------------


@pytest.mark.parametrize("model", [IMAGE_MODEL, "gemini-3-pro-image-preview"])
def test_request_carries_model_key_prompt_ratio_and_asks_for_an_image(fake: FakeGemini, model: str) -> None:
    fake.models.add(model)
    provider = make_provider(fake, model=model)

    result = provider.generate(art_request(THUMBNAIL))

    [call] = fake.calls
    assert call.method == "POST"
    assert call.path == f"/v1beta/models/{model}:generateContent"
    assert call.api_key == fake.api_key
    prompt = call.text.lower()
    assert BRIEF.prompt.lower() in prompt
    for hex_colour in (PALETTE.primary, PALETTE.secondary, PALETTE.accent):
        assert hex_colour.lower() in prompt
    # The engine sets every word itself; the model must draw none.
    assert "no text" in prompt
    assert call.generation_config["responseModalities"] == ["IMAGE"]
    assert call.aspect_ratio == EXPECTED_RATIO[THUMBNAIL.key]
    assert call.generation_config["seed"] == 7
    assert call.inline_data == []  # a new image, nothing to edit
    assert (result.provider, result.model) == ("gemini", model)


def test_square_spec_asks_for_square_and_gets_square(fake: FakeGemini, provider: GeminiImageProvider) -> None:
    result = provider.generate(art_request(EMOTE))

    assert fake.calls[0].aspect_ratio == EXPECTED_RATIO[EMOTE.key]
    with Image.open(io.BytesIO(result.image_png)) as image:
        assert image.size == IMAGE_SIZES["1:1"]


def test_seed_wider_than_the_api_takes_is_folded_into_int32(
    fake: FakeGemini, provider: GeminiImageProvider
) -> None:
    provider.generate(art_request(seed=2**40 + 5))

    assert fake.calls[0].generation_config["seed"] == 5


def test_edit_sends_the_previous_image_before_the_instruction(
    fake: FakeGemini, provider: GeminiImageProvider
) -> None:
    previous = png_bytes((1344, 768), (10, 200, 30))

    provider.generate(art_request(previous_image_png=previous))

    [call] = fake.calls
    assert call.inline_data == [("image/png", previous)]
    assert "inlineData" in call.parts[0]
    assert "text" in call.parts[-1]
    assert BRIEF.prompt.lower() in call.parts[-1]["text"].lower()


# --- What the engine gets back ------------------------------------------------------------


@pytest.mark.parametrize("mime_type", ["image/png", "image/jpeg", "image/webp"])
def test_image_answer_becomes_png_of_the_same_size(
    fake: FakeGemini, provider: GeminiImageProvider, mime_type: str
) -> None:
    fake.script(fake_gemini.image(mime_type, color=DRAWN))

    result = provider.generate(art_request(THUMBNAIL))

    assert isinstance(result, ArtResult)
    with Image.open(io.BytesIO(result.image_png)) as image:
        assert image.format == "PNG"
        assert image.mode in ("RGB", "RGBA")
        assert image.size == IMAGE_SIZES["16:9"]
    # JPEG and WebP are lossy: the colour survives within a few levels.
    assert all(abs(a - b) <= 6 for a, b in zip(center_color(result.image_png), DRAWN, strict=True))


def test_takes_the_answer_not_the_draft_a_thinking_model_showed(
    fake: FakeGemini, provider: GeminiImageProvider
) -> None:
    fake.script(fake_gemini.image(color=DRAWN, draft_first=True))

    result = provider.generate(art_request())

    assert center_color(result.image_png) == DRAWN


# --- Refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        fake_gemini.prompt_blocked("PROHIBITED_CONTENT"),
        fake_gemini.prompt_blocked("SAFETY"),
        fake_gemini.image_blocked("IMAGE_SAFETY"),
        fake_gemini.image_blocked("SAFETY"),
        fake_gemini.image_blocked("IMAGE_PROHIBITED_CONTENT"),
        fake_gemini.no_candidates(),
    ],
    ids=repr,
)
def test_safety_refusal_is_a_clear_final_error(
    fake: FakeGemini, provider: GeminiImageProvider, reply: fake_gemini.Reply
) -> None:
    fake.script(reply)

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert caught.value.message == SAFETY_REFUSAL
    assert caught.value.retryable is False
    assert len(fake.calls) == 1  # a refusal is not asked again


def test_text_instead_of_an_image_is_an_error_quoting_the_model(
    fake: FakeGemini, provider: GeminiImageProvider
) -> None:
    words = "I can't draw that exact character, but I could draw an original owl instead. " * 8
    fake.script(fake_gemini.text_only(words))

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    message = caught.value.message
    assert "I can't draw that exact character" in message
    assert len(message) < 300  # quoted, not pasted whole
    assert caught.value.retryable is False
    assert len(fake.calls) == 1


# --- Retries and failures -----------------------------------------------------------------


@pytest.mark.parametrize("failures", [(429, 429), (500,), (503, 429)], ids=str)
def test_busy_answers_are_retried_until_an_image_comes(
    fake: FakeGemini, provider: GeminiImageProvider, failures: tuple[int, ...]
) -> None:
    fake.script(*(fake_gemini.error(status) for status in failures), then=fake_gemini.image(color=DRAWN))

    result = provider.generate(art_request())

    assert center_color(result.image_png) == DRAWN
    assert len(fake.calls) == len(failures) + 1
    # Each retry is the same request.
    assert len({str(call.body) for call in fake.calls}) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_busy_forever_gives_up_after_max_retries_with_a_retryable_error(
    fake: FakeGemini, status: int
) -> None:
    provider = make_provider(fake, max_retries=2)
    fake.script(then=fake_gemini.error(status))

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert caught.value.message == BUSY
    assert caught.value.retryable is True
    assert len(fake.calls) == 2 + 1


def test_backoff_grows_between_retries(fake: FakeGemini) -> None:
    provider = make_provider(fake, max_retries=2, backoff_s=0.1)
    fake.script(then=fake_gemini.error(429))

    started = time.monotonic()
    with pytest.raises(ProviderError):
        provider.generate(art_request())

    # 0.1 s then 0.2 s, each plus up to half again.
    assert 0.3 <= time.monotonic() - started < 2


def test_forbidden_key_is_a_final_error_naming_the_setting(
    fake: FakeGemini, provider: GeminiImageProvider
) -> None:
    fake.script(fake_gemini.error(403))

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert caught.value.message == KEY_REJECTED
    assert "GEMINI_API_KEY" in caught.value.message
    assert caught.value.retryable is False
    assert len(fake.calls) == 1


def test_invalid_key_is_reported_as_a_rejected_key(fake: FakeGemini) -> None:
    # Google answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
    provider = make_provider(fake, api_key="AIza-not-the-right-key")

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert caught.value.message == KEY_REJECTED
    assert caught.value.retryable is False
    assert len(fake.calls) == 1


def test_unknown_model_names_the_setting(fake: FakeGemini) -> None:
    provider = make_provider(fake, model="gemini-9-imaginary")

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert "gemini-9-imaginary" in caught.value.message
    assert "GEMINI_IMAGE_MODEL" in caught.value.message
    assert caught.value.retryable is False
    assert len(fake.calls) == 1


def test_timeout_is_retryable_and_not_resent(fake: FakeGemini) -> None:
    provider = make_provider(fake, timeout_s=0.3)
    fake.script(fake_gemini.slow(5))

    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert caught.value.message == TIMED_OUT
    assert caught.value.retryable is True
    assert time.monotonic() - started < 2
    # The first request may still be drawing (and billed); the job decides whether to ask again.
    assert len(fake.calls) == 1


def test_unreachable_service_is_retryable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    provider = GeminiImageProvider(
        api_key="any-key", model=IMAGE_MODEL, base_url=f"http://127.0.0.1:{closed_port}", backoff_s=0.001
    )

    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request())

    assert caught.value.retryable is True


def test_an_empty_key_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="GEMINI_API_KEY"):
        GeminiImageProvider(api_key=" ", model=IMAGE_MODEL)


def test_importing_the_provider_does_not_load_the_sdk() -> None:
    # The app resolves providers by dotted path; loading this module must not need google-genai.
    code = "import sys, generation.engine.providers.gemini; print('google.genai' in sys.modules)"
    loaded = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"


def test_bad_request_quotes_google_and_is_final(fake: FakeGemini, provider: GeminiImageProvider) -> None:
    # Google refuses inline data it cannot read as an image with 400 INVALID_ARGUMENT.
    with pytest.raises(ProviderError) as caught:
        provider.generate(art_request(previous_image_png=b"not a png"))

    assert "Unable to process input image" in caught.value.message
    assert caught.value.retryable is False
    assert len(fake.calls) == 1
