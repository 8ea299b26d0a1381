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

The client, the sorting of failures and the backoff are `core.gemini`'s, shared with the coach.
The SDK is imported inside the class, so the app starts without it configured.
"""

from __future__ import annotations

import io
import logging
import time
from typing import TYPE_CHECKING

from PIL import Image

from core import gemini

from ..geometry import closest_aspect_ratio
from ..render import build_art_prompt
from ..types import ArtRequest, ArtResult, ProviderError

if TYPE_CHECKING:
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

UNEXPECTED = "The image service failed unexpectedly. Please try again."
# Finish reasons that mean a filter withheld the image (google.genai.types.FinishReason).
_SAFETY_FINISH_REASONS = frozenset(
    {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT"}
)
_RECITATION_FINISH_REASONS = frozenset({"RECITATION", "IMAGE_RECITATION"})
# How much of the model's own words an error message quotes.
_QUOTE_CHARS = 160


class GeminiImageProvider(gemini.GeminiModel):
    """An `ImageProvider` backed by a Gemini image model, e.g. "gemini-2.5-flash-image"."""

    name = "gemini"

    # The creator's reference images are sent to the model, which draws them in itself.
    accepts_references = True

    default_retries = 3

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
            image_config=types.ImageConfig(
                aspect_ratio=closest_aspect_ratio(request.spec.master.width, request.spec.master.height)
            ),
            seed=request.seed % gemini.SEED_RANGE,
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
        attempt = 0
        while True:
            try:
                return self._client.models.generate_content(
                    model=self.model,
                    contents=contents,  # type: ignore[arg-type]  # a list of Parts is one user turn
                    config=config,
                )
            except Exception as exc:
                failure = gemini.classify(exc)
                gemini.log_failure(logger, "Gemini", failure, exc)
                if failure in _RESENT and attempt < self._max_retries:
                    time.sleep(self._retry_delay(attempt, logger))
                    attempt += 1
                    continue
                raise _provider_error(failure, exc, self.model) from None


# Sent again here: Google was busy, or the connection was refused before anything was sent.
_RESENT: frozenset[gemini.Failure] = frozenset({"busy", "unreachable"})


def _provider_error(failure: gemini.Failure, exc: Exception, model: str) -> ProviderError:
    """A failed call as the one error type, in words fit to show."""
    from google.genai import errors

    if failure == "busy":
        return ProviderError(BUSY, retryable=True)
    if failure == "key_rejected":
        return ProviderError(KEY_REJECTED)
    if failure == "model_not_found":
        return ProviderError(f"The Gemini model {model!r} was not found. Check GEMINI_IMAGE_MODEL.")
    if failure in ("bad_request", "refused") and isinstance(exc, errors.APIError):
        return ProviderError(
            f"The Gemini API refused the request ({exc.code} {exc.status}): {_quote(exc.message)}"
        )
    if failure == "timed_out":
        return ProviderError(TIMED_OUT, retryable=True)
    if failure == "unreachable":
        return ProviderError(UNREACHABLE, retryable=True)
    # Anything else the SDK raises (an answer it could not parse, a dropped connection…)
    # still leaves as our one error type.
    return ProviderError(UNEXPECTED, retryable=True)


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
    reasons = {gemini.enum_name(candidate.finish_reason) for candidate in candidates}
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


def _quote(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"
