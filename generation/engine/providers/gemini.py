"""Art from Google's Gemini image models over the Gemini Developer API (google-genai SDK).

The request is one `generateContent` call asking for an image only
(`response_modalities=["IMAGE"]`) in the spec's aspect ratio; for a refine/edit the previous
image goes first, as an inline part, then the instruction. The answer's first image part is
returned as PNG. Every failure leaves as `ProviderError`, with a message fit to show:

- the prompt or the image refused by Google's filters: not retryable, "describe it differently";
- 429 and 5xx: sent again here with exponential backoff, then "busy", retryable;
- a timeout: retryable, but not sent again here (see `_send`);
- a rejected key (400 API_KEY_INVALID, 401, 403), an unknown model, a bad request: not
  retryable, with what the operator has to fix.

The SDK is imported inside the class, so the app starts without it configured.
"""

from __future__ import annotations

import importlib
import io
import logging
import random
import time
from typing import TYPE_CHECKING, Any

from PIL import Image

from ..render import build_art_prompt
from ..types import ArtRequest, ArtResult, ProviderError

if TYPE_CHECKING:
    from google import genai
    from google.genai import errors as genai_errors
    from google.genai import types as genai_types

logger = logging.getLogger(__name__)

SAFETY_REFUSAL = "Google's safety filter declined this prompt. Try describing it differently."
BUSY = "The image service is busy right now. Please try again in a minute."
TIMED_OUT = "The image service took too long to answer. Please try again."
UNREACHABLE = "The image service could not be reached. Please try again."
KEY_REJECTED = (
    "The Gemini API key was rejected. Check GEMINI_API_KEY in the server settings "
    "(and that the key's project may use the Gemini API)."
)

# Google is rate-limiting us or having trouble of its own: the same request can succeed later.
_RETRY_STATUSES = frozenset({429, *range(500, 600)})
# Finish reasons that mean a filter withheld the image (google.genai.types.FinishReason).
_SAFETY_FINISH_REASONS = frozenset(
    {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT"}
)
_RECITATION_FINISH_REASONS = frozenset({"RECITATION", "IMAGE_RECITATION"})
# The API's seed is an int32; the engine's seeds may be wider.
_SEED_RANGE = 2**31
# How much of the model's own words an error message quotes.
_QUOTE_CHARS = 160


def gemini_client(*, api_key: str, base_url: str | None, timeout_s: float) -> genai.Client:
    """A google-genai client for the Gemini Developer API, as every AuraStream provider uses it.

    Always the Developer API (whatever GOOGLE_GENAI_USE_VERTEXAI says), pinned to v1beta (where
    image output, response schemas and the Google Search tool are documented, so neither the
    SDK's default nor GOOGLE_GENAI_API_VERSION moves requests), ``base_url`` None for Google's
    own endpoint (tests point it at a local server), and no SDK retries: each provider decides
    what is sent again (the SDK would also resend after a timeout, or in the middle of a
    stream). The timeout is per read, so a stream may run longer while chunks keep coming.
    """
    # Imported here, not at module level: the app (and the local providers) must start on a
    # machine where the SDK is not configured.
    from google import genai
    from google.genai import types

    return genai.Client(
        vertexai=False,
        api_key=api_key,
        http_options=types.HttpOptions(
            base_url=base_url, api_version="v1beta", timeout=round(timeout_s * 1000)
        ),
    )


class GeminiImageProvider:
    """An `ImageProvider` backed by a Gemini image model, e.g. "gemini-2.5-flash-image"."""

    name = "gemini"

    # The creator's reference images are sent to the model, which draws them in itself.
    accepts_references = True

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        timeout_s: float = 60,
        max_retries: int = 3,
        base_url: str | None = None,
        backoff_s: float = 1.0,
    ) -> None:
        if not api_key.strip():
            # Said here, in our words, rather than by the SDK's ValueError at first use.
            raise ValueError("GeminiImageProvider needs an API key: set GEMINI_API_KEY.")
        self.model = model
        self._max_retries = max(0, max_retries)
        self._backoff_s = backoff_s
        self._client = gemini_client(api_key=api_key, base_url=base_url, timeout_s=timeout_s)

    def generate(self, request: ArtRequest) -> ArtResult:
        from google.genai import types

        prompt = build_art_prompt(request.spec, request.brief, request.brand)
        contents: list[genai_types.Part] = []
        if request.previous_image_png is not None:
            # Editing: the image first, then the instruction, as Google's editing examples do.
            contents.append(types.Part.from_bytes(data=request.previous_image_png, mime_type="image/png"))
        for reference in request.brief.references:
            # The creator's own images go in as images, each named in the prompt by its role.
            contents.append(types.Part.from_bytes(data=reference.image_png, mime_type="image/png"))
        contents.append(types.Part.from_text(text=prompt))
        config = types.GenerateContentConfig(
            response_modalities=["IMAGE"],
            image_config=types.ImageConfig(aspect_ratio=request.spec.aspect_ratio),
            seed=request.seed % _SEED_RANGE,
        )
        response = self._send(contents, config)
        return ArtResult(image_png=_as_png(_image_bytes(response)), provider=self.name, model=self.model)

    def _send(
        self, contents: list[genai_types.Part], config: genai_types.GenerateContentConfig
    ) -> genai_types.GenerateContentResponse:
        """One generateContent call, sent again after a 429, a 5xx or a refused connection.

        A timeout is not sent again here: the wait already cost `timeout_s`, Google may still
        be drawing (and billing) the first image, and a few timeouts in a row would outlast
        the job's time limit. It leaves as a retryable error for the job to decide.
        """
        from google.genai import errors

        timeouts, unreachable = _transport_errors()
        attempt = 0
        while True:
            try:
                return self._client.models.generate_content(
                    model=self.model,
                    contents=contents,  # type: ignore[arg-type]  # a list of Parts is one user turn
                    config=config,
                )
            except errors.APIError as exc:
                logger.warning("Gemini answered %s %s: %s", exc.code, exc.status, exc.message)
                if exc.code in _RETRY_STATUSES and attempt < self._max_retries:
                    self._wait_before_retry(attempt)
                    attempt += 1
                    continue
                raise _provider_error(exc, self.model) from None
            except timeouts:
                logger.warning("Gemini did not answer within the timeout")
                raise ProviderError(TIMED_OUT, retryable=True) from None
            except unreachable as exc:
                logger.warning("Gemini could not be reached: %s", exc)
                if attempt < self._max_retries:
                    self._wait_before_retry(attempt)
                    attempt += 1
                    continue
                raise ProviderError(UNREACHABLE, retryable=True) from None
            except Exception:
                # Anything else the SDK raises (an answer it could not parse, a dropped
                # connection…) still leaves as our one error type.
                logger.exception("Gemini call failed")
                raise ProviderError(
                    "The image service failed unexpectedly. Please try again.", retryable=True
                ) from None

    def _wait_before_retry(self, attempt: int) -> None:
        delay = self._backoff_s * 2**attempt
        # Up to half as much again at random, so workers throttled together come back apart.
        delay += random.uniform(0, delay / 2)  # noqa: S311  # jitter, not a secret
        logger.info("Retrying Gemini in %.2fs (retry %d of %d)", delay, attempt + 1, self._max_retries)
        time.sleep(delay)


def _transport_errors() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """(timeout, could-not-connect) exception classes of the HTTP client the SDK may use.

    google-genai sends through httpx2 by default and through httpx when
    GOOGLE_GENAI_HTTP_CLIENT says so; both raise their own classes.
    """
    timeouts: list[type[Exception]] = []
    unreachable: list[type[Exception]] = []
    for module_name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        unreachable.append(module.ConnectError)
    return tuple(timeouts), tuple(unreachable)


def _provider_error(exc: genai_errors.APIError, model: str) -> ProviderError:
    code = exc.code
    if code in _RETRY_STATUSES:
        return ProviderError(BUSY, retryable=True)
    # A bad key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID; a key without access
    # to the API or the model is a 403.
    if code in (401, 403) or _error_reason(exc) == "API_KEY_INVALID":
        return ProviderError(KEY_REJECTED)
    if code == 404:
        return ProviderError(f"The Gemini model {model!r} was not found. Check GEMINI_IMAGE_MODEL.")
    return ProviderError(f"The Gemini API refused the request ({code} {exc.status}): {_quote(exc.message)}")


def _error_reason(exc: genai_errors.APIError) -> str | None:
    """The `google.rpc.ErrorInfo` reason in Google's error envelope, if any."""
    details: Any = exc.details
    if isinstance(details, dict):
        details = details.get("error", details).get("details")
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    return None


def _image_bytes(response: genai_types.GenerateContentResponse) -> bytes:
    """The answer's image, or the ProviderError that says why there is none."""
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        raise ProviderError(SAFETY_REFUSAL)
    candidates = response.candidates or []
    if not candidates:
        # Google sends no candidates when it refuses the prompt, with or without a reason.
        raise ProviderError(SAFETY_REFUSAL)
    texts: list[str] = []
    for candidate in candidates:
        for part in (candidate.content.parts if candidate.content else None) or []:
            if part.thought:
                # A draft a thinking model showed while it worked, not its answer.
                continue
            blob = part.inline_data
            if blob is not None and blob.data and (blob.mime_type or "").startswith("image/"):
                return blob.data
            if part.text:
                texts.append(part.text.strip())
    reasons = {_enum_name(candidate.finish_reason) for candidate in candidates}
    if reasons & _SAFETY_FINISH_REASONS:
        raise ProviderError(SAFETY_REFUSAL)
    if reasons & _RECITATION_FINISH_REASONS:
        raise ProviderError(
            "Google withheld the image because it came out too close to existing work. "
            "Try describing it differently."
        )
    if texts:
        raise ProviderError(
            f"The image model answered in words instead of an image: “{_quote(' '.join(texts))}” "
            "Try rephrasing the prompt."
        )
    raise ProviderError("The image model returned no image. Please try again.")


def _as_png(data: bytes) -> bytes:
    """The image as an RGB or RGBA PNG (Gemini may send JPEG or WebP)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.format == "PNG" and image.mode in ("RGB", "RGBA"):
                return data
            converted = image.convert("RGBA" if image.has_transparency_data else "RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        logger.warning("Gemini sent image data Pillow could not read (%d bytes)", len(data))
        raise ProviderError(
            "The image service sent an image that could not be read. Please try again.", retryable=True
        ) from None
    buffer = io.BytesIO()
    converted.save(buffer, format="PNG")
    return buffer.getvalue()


def _enum_name(value: object) -> str:
    return str(getattr(value, "value", value) or "").upper()


def _quote(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"
