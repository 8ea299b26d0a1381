"""Google's Gemini API for the Prompt Coach, played by a real HTTP server on 127.0.0.1.

Two methods, in the Gemini API's wire format (https://ai.google.dev/api/generate-content):

- `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`: the streamed reply. The answer
  is `Content-Type: text/event-stream`, sent with `Transfer-Encoding: chunked` as Google does,
  one `data: {GenerateContentResponse JSON}\\r\\n\\r\\n` event per chunk. google-genai reads it
  with its async httpx2 client (`aiter_bytes` split into SSE lines; a `data:` event whose JSON
  starts with `{"error":` is raised as an `APIError`).
- `POST /v1beta/models/{model}:generateContent`: one JSON answer (the brief extraction, which
  asks for `responseMimeType: application/json` and a `responseSchema`).

Before any model "runs" the fake checks what Google checks: the `x-goog-api-key` header, the
model name and unknown request field names, answering each with Google's status code and
error envelope `{"error": {code, message, status}}`.

Each test scripts the two methods separately, in order: `script_stream(...)` for streamed
replies, `script_json(...)` for the extraction. Once a script runs out, every later request
gets its `then`. Every request is recorded, parsed, in `FakeGeminiChat.calls`.

Failures a test can script: an HTTP error before the stream starts (`error(429)`), a refused
prompt (`blocked()`), a stream that ends in a safety stop (`stream(..., finish_reason="SAFETY")`),
an error event after some chunks (`stream(..., error_after=500)`) and a connection dropped after
some chunks without the chunked encoding's last chunk (`stream(..., drop=True)`), which the
SDK's httpx2 reports as `RemoteProtocolError`.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes import google
from tests.fakes.server import FakeHandler, FakeServer

CHAT_MODEL = "gemini-2.5-flash"
_PATH = re.compile(
    rf"^/{google.API_VERSION}/models/(?P<model>[^/:]+):(?P<method>streamGenerateContent|generateContent)$"
)

# Besides the fields every Gemini request may name (tests.fakes.google), a structured answer's.
_GENERATION_CONFIG_FIELDS = google.GENERATION_CONFIG_FIELDS | {
    "responseMimeType",
    "responseSchema",
    "responseJsonSchema",
}
_TOOL_FIELDS = {
    "googleSearch",
    "googleSearchRetrieval",
    "codeExecution",
    "functionDeclarations",
    "urlContext",
}
_CONTENT_FIELDS = {"role", "parts"}


@dataclass(frozen=True)
class ChatCall:
    """One request the fake received, parsed."""

    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any]

    @property
    def model(self) -> str | None:
        match = _PATH.match(self.path)
        return match["model"] if match else None

    @property
    def rpc(self) -> str | None:
        """ "streamGenerateContent" or "generateContent"."""
        match = _PATH.match(self.path)
        return match["method"] if match else None

    @property
    def streamed(self) -> bool:
        return self.rpc == "streamGenerateContent"

    @property
    def api_key(self) -> str | None:
        return self.headers.get("x-goog-api-key")

    @property
    def contents(self) -> list[dict[str, Any]]:
        return list(self.body.get("contents") or [])

    @property
    def roles(self) -> list[str]:
        return [content.get("role", "") for content in self.contents]

    @property
    def turn_texts(self) -> list[str]:
        """Each content's text parts joined, in order."""
        return [
            "".join(part.get("text", "") for part in content.get("parts", [])) for content in self.contents
        ]

    @property
    def text(self) -> str:
        return "\n".join(self.turn_texts)

    @property
    def system_instruction(self) -> str:
        instruction = google.get_field(self.body, "systemInstruction") or {}
        return "\n".join(part.get("text", "") for part in instruction.get("parts", []))

    @property
    def tools(self) -> list[dict[str, Any]]:
        return list(self.body.get("tools") or [])

    @property
    def generation_config(self) -> dict[str, Any]:
        return google.get_field(self.body, "generationConfig") or {}

    @property
    def response_mime_type(self) -> str | None:
        return google.get_field(self.generation_config, "responseMimeType")

    @property
    def response_schema(self) -> dict[str, Any] | None:
        return google.get_field(self.generation_config, "responseSchema")


@dataclass(frozen=True)
class Plan:
    """How to answer one request.

    Either `body` (one JSON answer with `status`), or `events` (an SSE stream of JSON objects),
    then possibly a dropped connection instead of the stream's proper end.
    """

    status: int = 200
    body: dict[str, Any] | str | None = None
    events: tuple[dict[str, Any], ...] = ()
    drop: bool = False
    pause_s: float = 0.0  # between stream events


@dataclass(frozen=True)
class Answer:
    """One scripted answer: a plan made for the request, after a delay."""

    plan: Callable[[ChatCall], Plan]
    delay_s: float = 0.0
    label: str = ""

    def __repr__(self) -> str:
        return f"Answer({self.label})"


# --- Answers tests script -------------------------------------------------------------------


def stream(
    chunks: list[str],
    *,
    sources: list[str] | None = None,
    finish_reason: str = "STOP",
    error_after: int | None = None,
    drop: bool = False,
    pause_s: float = 0.0,
) -> Answer:
    """A streamed reply, one text chunk per SSE event.

    `sources`: web pages in the last chunk's `groundingMetadata`, as a grounded reply sends.
    `finish_reason`: of the last chunk ("SAFETY" ends the reply in a safety stop).
    `error_after`: after the chunks, an error event with this code instead of the finish.
    `drop`: after the chunks, close the connection without ending the chunked body.
    """

    def plan(call: ChatCall) -> Plan:
        events: list[dict[str, Any]] = []
        for i, chunk in enumerate(chunks):
            candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": chunk}]}, "index": 0}
            last = i == len(chunks) - 1
            if last and error_after is None and not drop:
                candidate["finishReason"] = finish_reason
                if sources:
                    candidate["groundingMetadata"] = _grounding(sources)
            events.append(_response(call, [candidate], final=last))
        if not chunks and error_after is None and not drop:
            events.append(_response(call, [{"content": {"role": "model"}, "finishReason": finish_reason}]))
        if error_after is not None:
            events.append(google.scripted_error_body(error_after))
        return Plan(events=tuple(events), drop=drop, pause_s=pause_s)

    label = f"stream {len(chunks)} chunks" + (f", error {error_after}" if error_after else "")
    return Answer(plan, label=label + (", drop" if drop else ""))


def blocked(reason: str = "PROHIBITED_CONTENT") -> Answer:
    """The prompt refused: one event with only `promptFeedback.blockReason`, no candidates."""

    def plan(call: ChatCall) -> Plan:
        body = _response(call, None)
        body["promptFeedback"] = {"blockReason": reason}
        return Plan(events=(body,)) if call.streamed else Plan(body=body)

    return Answer(plan, label=f"blocked {reason}")


def brief_json(brief: dict[str, Any] | str) -> Answer:
    """The extraction's answer: the brief as the model writes it (a dict, or raw text)."""

    def plan(call: ChatCall) -> Plan:
        text = brief if isinstance(brief, str) else json.dumps(brief)
        content = {"role": "model", "parts": [{"text": text}]}
        candidate = {"content": content, "finishReason": "STOP", "index": 0}
        return Plan(body=_response(call, [candidate], final=True))

    return Answer(plan, label="brief json")


def error(status: int, message: str | None = None) -> Answer:
    """An HTTP error in Google's envelope, before anything is streamed."""
    body = google.scripted_error_body(status, message)
    return Answer(lambda call: Plan(status=status, body=body), label=f"error {status}")


def slow(seconds: float, then: Answer) -> Answer:
    """`then`, started only after `seconds`."""
    return Answer(then.plan, delay_s=seconds, label=f"slow {seconds}s, then {then.label}")


DEFAULT_CHUNKS = ["Love it! ", "Which platform ", "is this for?"]
DEFAULT_BRIEF: dict[str, Any] = {"subject": "an owl DJ", "ready": False, "suggestions": ["Twitch emote"]}


def _grounding(sources: list[str]) -> dict[str, Any]:
    return {
        "webSearchQueries": ["stream emote ideas"],
        "groundingChunks": [{"web": {"uri": uri, "title": f"source {i}"}} for i, uri in enumerate(sources)],
        "groundingSupports": [],
    }


def _response(
    call: ChatCall, candidates: list[dict[str, Any]] | None, *, final: bool = True
) -> dict[str, Any]:
    prompt_tokens = max(1, len(call.text.split()))
    body: dict[str, Any] = {"modelVersion": call.model, "responseId": secrets.token_urlsafe(12)}
    if final:
        body["usageMetadata"] = {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": 20,
            "totalTokenCount": prompt_tokens + 20,
        }
    if candidates is not None:
        body["candidates"] = candidates
    return body


# --- The server ---------------------------------------------------------------------------


@dataclass
class FakeGeminiChat(FakeServer):
    """The API's state; `running()` serves it over HTTP on 127.0.0.1."""

    base_url: str = ""
    api_key: str = field(default_factory=lambda: f"fake-key-{secrets.token_urlsafe(12)}")
    models: set[str] = field(default_factory=lambda: {CHAT_MODEL})
    calls: list[ChatCall] = field(default_factory=list)
    _stream_script: deque[Answer] = field(default_factory=deque)
    _stream_then: Answer = field(default_factory=lambda: stream(DEFAULT_CHUNKS))
    _json_script: deque[Answer] = field(default_factory=deque)
    _json_then: Answer = field(default_factory=lambda: brief_json(DEFAULT_BRIEF))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self) -> type[_Handler]:
        return _Handler

    def script_stream(self, *answers: Answer, then: Answer | None = None) -> None:
        """Answer the next streamed requests with `answers`, in order, and later ones with `then`."""
        with self._lock:
            self._stream_script = deque(answers)
            if then is not None:
                self._stream_then = then

    def script_json(self, *answers: Answer, then: Answer | None = None) -> None:
        """Answer the next generateContent requests with `answers`, then `then`."""
        with self._lock:
            self._json_script = deque(answers)
            if then is not None:
                self._json_then = then

    @property
    def stream_calls(self) -> list[ChatCall]:
        return [call for call in self.calls if call.streamed]

    @property
    def json_calls(self) -> list[ChatCall]:
        return [call for call in self.calls if call.rpc == "generateContent"]

    # --- The API side ----------------------------------------------------------------------

    def handle(self, call: ChatCall) -> tuple[float, Plan]:
        self.record(call)
        try:
            self._check(call)
        except google.Rejected as rejected:
            return 0.0, Plan(status=rejected.status, body=rejected.body)
        with self._lock:
            if call.streamed:
                answer = self._stream_script.popleft() if self._stream_script else self._stream_then
            else:
                answer = self._json_script.popleft() if self._json_script else self._json_then
        return answer.delay_s, answer.plan(call)

    def _check(self, call: ChatCall) -> None:
        google.check_method(call)
        if call.streamed and call.query.get("alt") != ["sse"]:
            raise google.Rejected(400, "This fake streams only server-sent events (alt=sse).")
        google.check_caller(call, api_key=self.api_key, models=self.models)
        google.check_fields("", call.body, google.REQUEST_FIELDS)
        google.check_fields("generation_config", call.generation_config, _GENERATION_CONFIG_FIELDS)
        for tool in call.tools:
            google.check_fields("tools[]", tool, _TOOL_FIELDS)
        for content in call.contents:
            google.check_fields("contents[]", content, _CONTENT_FIELDS)
            if content.get("role") not in ("user", "model"):
                raise google.Rejected(400, "Please use a valid role: user, model.")
            for part in content.get("parts", []):
                google.check_fields("contents[].parts[]", part, google.PART_FIELDS)
        if not call.contents:
            raise google.Rejected(400, google.NO_CONTENTS)


class _Handler(FakeHandler[FakeGeminiChat]):
    # HTTP/1.1, so a stream can be sent chunked, and a dropped one told from a finished one.
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        self.close_connection = True  # one request per connection: nothing idles at shutdown
        raw = self.body()
        headers = self.lower_headers()
        url = urlsplit(self.path)
        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            delay, plan = 0.0, Plan(status=400, body=google.error_body(400, "Invalid JSON payload received."))
        else:
            call = ChatCall(
                method=self.command, path=url.path, query=parse_qs(url.query), headers=headers, body=body
            )
            delay, plan = self.fake.handle(call)
        closing = self.fake.closing
        if delay and closing.wait(delay):
            return
        try:
            if plan.body is not None or (not plan.events and not plan.drop):
                self._send_json(plan.status, plan.body if plan.body is not None else {})
            else:
                self._send_stream(plan, closing)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _send_json(self, status: int, body: dict[str, Any] | str) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.reply(status, data, {"Content-Type": "application/json; charset=UTF-8", "Connection": "close"})

    def _send_stream(self, plan: Plan, closing: threading.Event) -> None:
        self.send_response(plan.status)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        for i, event in enumerate(plan.events):
            if i and plan.pause_s and closing.wait(plan.pause_s):
                return
            data = f"data: {json.dumps(event)}\r\n\r\n".encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
        if plan.drop:
            return  # no last chunk: the body ends early, as when a connection drops
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
