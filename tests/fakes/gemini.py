"""Google's Gemini API played by a real HTTP server on 127.0.0.1, for image-provider tests.

The server answers `POST /v1beta/models/{model}:generateContent` in the Gemini API's JSON wire
format, as documented at https://ai.google.dev/api/generate-content: the request carries
`contents[].parts[]` (`text`, or `inlineData` {mimeType, data as base64}) and a
`generationConfig` (`responseModalities`, `imageConfig.aspectRatio`, `seed` …); the answer
carries `candidates[].content.parts[].inlineData`, `finishReason`, `promptFeedback` and
`usageMetadata`, and errors come in Google's envelope `{"error": {code, message, status}}`.
It checks what Google checks before a model runs: the `x-goog-api-key` header, the model
name, unknown field names and the aspect ratio, and answers each with Google's status code.

How the provider reaches it: google-genai's `HttpOptions(base_url=...)`, the SDK's documented
switch for another endpoint. Everything else (request building, base64, JSON, error
classes, timeouts) runs as in production.

Each test scripts the answers in order with `FakeGemini.script(...)`; once the script runs
out, every request gets `then` (an image unless a test says otherwise). Every request is
recorded in `FakeGemini.calls`, parsed, so tests can assert what was sent.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from tests.fakes import google
from tests.fakes.server import FakeHandler, FakeServer

IMAGE_MODEL = "gemini-2.5-flash-image"
_PATH = re.compile(rf"^/{google.API_VERSION}/models/(?P<model>[^/:]+):generateContent$")

# The pixel size gemini-2.5-flash-image returns for each aspect ratio it accepts
# (https://ai.google.dev/gemini-api/docs/image-generation, "aspect ratios" table).
IMAGE_SIZES: dict[str, tuple[int, int]] = {
    "1:1": (1024, 1024),
    "2:3": (832, 1248),
    "3:2": (1248, 832),
    "3:4": (864, 1184),
    "4:3": (1184, 864),
    "4:5": (896, 1152),
    "5:4": (1152, 896),
    "9:16": (768, 1344),
    "16:9": (1344, 768),
    "21:9": (1536, 672),
}
# The model picks a square image when the request names no aspect ratio.
DEFAULT_ASPECT_RATIO = "1:1"

# Besides the fields every Gemini request may name (tests.fakes.google), the image model's own.
_GENERATION_CONFIG_FIELDS = google.GENERATION_CONFIG_FIELDS | {"mediaResolution", "imageConfig"}
_IMAGE_CONFIG_FIELDS = {"aspectRatio", "imageSize"}
_BLOB_FIELDS = {"mimeType", "data"}


@dataclass(frozen=True)
class GeminiCall:
    """One request the fake received, parsed."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any]

    @property
    def model(self) -> str | None:
        match = _PATH.match(self.path)
        return match["model"] if match else None

    @property
    def api_key(self) -> str | None:
        return self.headers.get("x-goog-api-key")

    @property
    def generation_config(self) -> dict[str, Any]:
        return google.get_field(self.body, "generationConfig") or {}

    @property
    def aspect_ratio(self) -> str | None:
        return google.get_field(google.get_field(self.generation_config, "imageConfig") or {}, "aspectRatio")

    @property
    def parts(self) -> list[dict[str, Any]]:
        """Every part of every content in the request, in order."""
        return [part for content in self.body.get("contents", []) for part in content.get("parts", [])]

    @property
    def text(self) -> str:
        return "\n".join(part["text"] for part in self.parts if "text" in part)

    @property
    def inline_data(self) -> list[tuple[str, bytes]]:
        """(mime type, decoded bytes) of every inline part, in order."""
        blobs = [google.get_field(part, "inlineData") for part in self.parts]
        return [(google.get_field(blob, "mimeType"), decode_base64(blob["data"])) for blob in blobs if blob]


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status and JSON body made for the request, after a delay."""

    answer: Callable[[GeminiCall], tuple[int, dict[str, Any]]]
    delay_s: float = 0.0
    label: str = ""

    def __repr__(self) -> str:
        return f"Reply({self.label})"


# --- Replies tests script ---------------------------------------------------------------


def image(
    mime_type: str = "image/png",
    *,
    color: tuple[int, int, int] = (124, 58, 237),
    preamble: str | None = "Here is the image you asked for.",
    draft_first: bool = False,
) -> Reply:
    """A generated image of the size the model makes for the requested aspect ratio.

    `preamble`: the short text part gemini-2.5-flash-image often puts before the image.
    `draft_first`: a "thought" image first, as thinking image models (gemini-3-pro-image)
    send while they work; only the part after it is the answer.
    """

    def answer(call: GeminiCall) -> tuple[int, dict[str, Any]]:
        size = IMAGE_SIZES[call.aspect_ratio or DEFAULT_ASPECT_RATIO]
        parts: list[dict[str, Any]] = []
        if draft_first:
            draft = make_image(size, (128, 128, 128), "image/png")
            parts.append({"inlineData": _inline(draft, "image/png"), "thought": True})
        if preamble:
            parts.append({"text": preamble})
        parts.append({"inlineData": _inline(make_image(size, color, mime_type), mime_type)})
        return 200, _response(call, [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}])

    return Reply(answer, label=f"image {mime_type}")


def text_only(text: str) -> Reply:
    """The model answered in words instead of drawing (it does, now and then)."""

    def answer(call: GeminiCall) -> tuple[int, dict[str, Any]]:
        content = {"role": "model", "parts": [{"text": text}]}
        return 200, _response(call, [{"content": content, "finishReason": "STOP"}])

    return Reply(answer, label="text only")


def prompt_blocked(reason: str = "PROHIBITED_CONTENT") -> Reply:
    """The prompt itself was refused: no candidates, only `promptFeedback.blockReason`."""

    def answer(call: GeminiCall) -> tuple[int, dict[str, Any]]:
        body = _response(call, None)
        body["promptFeedback"] = {"blockReason": reason}
        return 200, body

    return Reply(answer, label=f"prompt blocked {reason}")


def image_blocked(finish_reason: str = "IMAGE_SAFETY") -> Reply:
    """The image was made but withheld: a candidate with a finish reason and no parts."""

    def answer(call: GeminiCall) -> tuple[int, dict[str, Any]]:
        candidate = {
            "content": {"role": "model"},
            "finishReason": finish_reason,
            "finishMessage": "Unable to show the generated image.",
        }
        return 200, _response(call, [candidate])

    return Reply(answer, label=f"image blocked {finish_reason}")


def no_candidates() -> Reply:
    """An answer with no candidates and no stated reason."""
    return Reply(lambda call: (200, _response(call, None)), label="no candidates")


def error(status: int, message: str | None = None) -> Reply:
    """An HTTP error in Google's envelope: 429 quota, 500/503 server trouble, 403 …"""
    body = google.scripted_error_body(status, message)
    return Reply(lambda call: (status, body), label=f"error {status}")


def slow(seconds: float, then: Reply | None = None) -> Reply:
    """`then` (an image unless given), sent only after `seconds`."""
    reply = then or image()
    return Reply(reply.answer, delay_s=seconds, label=f"slow {seconds}s, then {reply.label}")


# --- Images -------------------------------------------------------------------------------


def make_image(size: tuple[int, int], color: tuple[int, int, int], mime_type: str) -> bytes:
    """Image bytes of `size` in the format `mime_type` names."""
    pil_format = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}[mime_type]
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=pil_format)
    return buffer.getvalue()


def decode_base64(data: str) -> bytes:
    """Google accepts both base64 alphabets (the SDK sends the URL-safe one)."""
    return base64.b64decode(data.replace("-", "+").replace("_", "/"), validate=True)


def _inline(data: bytes, mime_type: str) -> dict[str, str]:
    # Google answers in the standard alphabet, with padding.
    return {"mimeType": mime_type, "data": base64.b64encode(data).decode("ascii")}


def _response(call: GeminiCall, candidates: list[dict[str, Any]] | None) -> dict[str, Any]:
    prompt_tokens = max(1, len(call.text.split()))
    body: dict[str, Any] = {
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": 1290 if candidates else 0,
            "totalTokenCount": prompt_tokens + (1290 if candidates else 0),
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt_tokens}],
        },
        "modelVersion": call.model,
        "responseId": secrets.token_urlsafe(12),
    }
    if candidates is not None:
        body["candidates"] = [{**candidate, "index": i} for i, candidate in enumerate(candidates)]
    return body


# --- The server ---------------------------------------------------------------------------


@dataclass
class FakeGemini(FakeServer):
    """The API's state; `running()` serves it over HTTP on 127.0.0.1."""

    base_url: str = ""
    api_key: str = field(default_factory=lambda: f"fake-key-{secrets.token_urlsafe(12)}")
    models: set[str] = field(default_factory=lambda: {IMAGE_MODEL})
    calls: list[GeminiCall] = field(default_factory=list)
    _script: deque[Reply] = field(default_factory=deque)
    _then: Reply = field(default_factory=image)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self) -> type[_Handler]:
        return _Handler

    def use_as_image_provider(self, settings: Any) -> None:
        """Point the app's image provider (pytest-django's ``settings``) at this server: the real
        Gemini provider, no retries, a short timeout."""
        settings.IMAGE_PROVIDER = "generation.engine.providers.gemini.GeminiImageProvider"
        settings.IMAGE_PROVIDER_OPTIONS = {
            "api_key": self.api_key,
            "model": IMAGE_MODEL,
            "base_url": self.base_url,
            "timeout_s": 10,
            "max_retries": 0,
        }

    def script(self, *replies: Reply, then: Reply | None = None) -> None:
        """Answer the next requests with `replies`, in order, and every later one with `then`."""
        with self._lock:
            self._script = deque(replies)
            self._then = then or image()

    # --- The API side ----------------------------------------------------------------------

    def handle(self, call: GeminiCall) -> tuple[float, int, dict[str, Any]]:
        """(delay, status, JSON body) for one request."""
        self.record(call)
        try:
            self._check(call)
        except google.Rejected as rejected:
            return 0.0, rejected.status, rejected.body
        with self._lock:
            reply = self._script.popleft() if self._script else self._then
        status, body = reply.answer(call)
        return reply.delay_s, status, body

    def _check(self, call: GeminiCall) -> None:
        """Refuse what Google refuses before any model runs, with Google's answer."""
        google.check_method(call)
        google.check_caller(call, api_key=self.api_key, models=self.models)
        google.check_fields("", call.body, google.REQUEST_FIELDS)
        config = call.generation_config
        google.check_fields("generation_config", config, _GENERATION_CONFIG_FIELDS)
        image_config = google.get_field(config, "imageConfig") or {}
        google.check_fields("generation_config.image_config", image_config, _IMAGE_CONFIG_FIELDS)
        for part in call.parts:
            google.check_fields("contents[].parts[]", part, google.PART_FIELDS)
            blob = google.get_field(part, "inlineData")
            if blob is not None:
                google.check_fields("contents[].parts[].inline_data", blob, _BLOB_FIELDS)
        if not call.parts:
            raise google.Rejected(400, google.NO_CONTENTS)
        ratio = call.aspect_ratio
        if ratio is not None and ratio not in IMAGE_SIZES:
            raise google.Rejected(400, f"Unsupported aspect ratio: {ratio}")
        for mime_type, data in call.inline_data:
            if mime_type.startswith("image/") and not _is_image(data):
                raise google.Rejected(
                    400,
                    "Unable to process input image. Please retry or report in"
                    " https://developers.generativeai.google/guide/troubleshooting",
                )


def _is_image(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:
        return False
    return True


class _Handler(FakeHandler[FakeGemini]):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        raw = self.body()
        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            status, answer, delay = 400, google.error_body(400, "Invalid JSON payload received."), 0.0
        else:
            call = GeminiCall(method=self.command, path=self.path, headers=self.lower_headers(), body=body)
            delay, status, answer = self.fake.handle(call)
        if delay and self.fake.closing.wait(delay):
            return
        data = json.dumps(answer).encode()
        # The client may have given up waiting (a timeout test): nobody is left to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.reply(status, data, {"Content-Type": "application/json; charset=UTF-8"})
