"""The Prompt Coach backed by a Gemini text model over the Gemini Developer API (google-genai SDK).

One reply is two calls:

1. `streamGenerateContent` (the SDK's async client, `client.aio`): the coach's words, streamed
   to the creator as `Token`s. The system instruction carries the brand kit, the platform
   targets, the brief so far and the coach's rules; the history follows as "user"/"model"
   turns. With `request.grounding` the Google Search tool is on, and the pages the answer drew
   on come back as `Reply.sources`.
2. `generateContent` with structured output (`application/json` and a response schema): the
   brief, read back out of the conversation including the new reply. It is merged onto the
   brief so far; a platform/asset pair that is not one of the targets is dropped. If this call
   fails, the reply still ends, with the brief as it was: the words are what the creator saw.

Every failure leaves as `CoachError`, with a message fit to show:

- the prompt (or the reply) refused by Google's filters: not retryable, "describe it differently";
- 429 and 5xx before any token: sent again here with exponential backoff, then "busy",
  retryable. Nothing is sent again once tokens went out: the creator would see them twice;
- a timeout: retryable, not sent again here;
- a rejected key (400 API_KEY_INVALID, 401, 403) or an unknown model: not retryable, "not
  configured correctly" (the details go to the log for the operator).

The client, the sorting of failures and the backoff are `core.gemini`'s (shared with the image
provider); the instructions are `instructions.py`'s. The SDK is imported inside the class, so the
app starts without it configured.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from core import gemini
from generation.engine.reading import LAYOUTS

from .instructions import build_extraction_instruction, build_system_instruction
from .types import (
    Brief,
    BriefUpdate,
    CoachError,
    CoachEvent,
    CoachRequest,
    Reply,
    TargetOption,
    Token,
    Turn,
)

if TYPE_CHECKING:
    from google.genai import types as genai_types

logger = logging.getLogger(__name__)

REFUSED = "The coach can't help with that request. Try describing it differently."
BUSY = "The coach is busy right now. Please try again in a minute."
TIMED_OUT = "The coach took too long to answer. Please try again."
UNREACHABLE = "The coach could not be reached. Please try again."
NOT_CONFIGURED = "The coach service isn't configured correctly on this server."
INTERRUPTED = "The coach's reply was cut off. Please try again."
NO_ANSWER = "The coach didn't answer. Please try again."
FAILED = "The coach ran into a problem. Please try again."

# Finish reasons that mean a filter withheld the reply (google.genai.types.FinishReason).
_REFUSAL_FINISH_REASONS = frozenset({"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION"})
MAX_SOURCES = 5
MAX_SUGGESTIONS = 4
MAX_SUGGESTION_CHARS = 60


class GeminiCoach(gemini.GeminiModel):
    """A `CoachProvider` backed by a Gemini text model (the model name comes from settings)."""

    name = "gemini"
    searches_web = True  # Google Search grounding, on plans that include it

    default_retries = 2

    def __init__(self, *, api_key: str, model: str, **options: Any) -> None:
        """``options``: ``core.gemini.GeminiModel``'s (timeout, retries, base URL, backoff)."""
        super().__init__(api_key=api_key, model=model, **options)
        if not model.strip():
            raise ValueError("GeminiCoach needs a model name: set the coach's Gemini model setting.")

    async def stream(self, request: CoachRequest) -> AsyncIterator[CoachEvent]:
        from google.genai import types

        contents = _history_contents(request)
        seed = request.seed % gemini.SEED_RANGE
        config = types.GenerateContentConfig(
            system_instruction=build_system_instruction(request),
            tools=[types.Tool(google_search=types.GoogleSearch())] if request.grounding else None,
            seed=seed,
            # No function tools are declared; the SDK's client-side loop has nothing to do.
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        )
        pieces: list[str] = []
        sources: list[str] = []
        attempt = 0
        while True:
            try:
                async with aclosing(self._stream_once(contents, config, sources)) as streamed:
                    async for piece in streamed:
                        pieces.append(piece)
                        yield Token(piece)
                break
            except _Failed as failed:
                if failed.resend and not pieces and attempt < self._max_retries:
                    sources.clear()  # the next try brings its own
                    await asyncio.sleep(self._retry_delay(attempt, logger))
                    attempt += 1
                    continue
                raise failed.error from None

        text = "".join(pieces)
        if not text.strip():
            raise CoachError(NO_ANSWER, retryable=True)

        brief, ready, suggestions = request.brief, False, tuple[str, ...]()
        extracted = await self._extract(request, text, seed)
        if extracted is not None:
            brief = _valid_target(request.brief.merged(extracted.brief), request.brief, request.targets)
            brief = _valid_layout(brief, request.brief, request.targets)
            ready = extracted.ready and bool(brief.spec_key) and bool(brief.subject)
            suggestions = extracted.suggestions
        if brief != request.brief:
            yield BriefUpdate(brief)
        yield Reply(
            text=text,
            brief=brief,
            ready=ready,
            suggestions=suggestions,
            sources=tuple(sources[:MAX_SOURCES]),
        )

    async def _stream_once(
        self,
        contents: list[genai_types.Content],
        config: genai_types.GenerateContentConfig,
        sources: list[str],
    ) -> AsyncGenerator[str, None]:
        """One streamGenerateContent call: its text pieces; failures leave as `_Failed`.

        The SDK sends the request when the stream is first read, so an HTTP error (429…)
        arrives from the first `__anext__`, before any piece.
        """
        stream: Any = None
        try:
            stream = await _call(
                self._client.aio.models.generate_content_stream(
                    model=self.model,
                    contents=contents,
                    config=config,
                ),
                self.model,
            )
            while True:
                chunk = await _call(anext(stream, None), self.model)
                if chunk is None:
                    return
                _check_refusal(chunk)
                _collect_sources(chunk, sources)
                piece = _chunk_text(chunk)
                if piece:
                    yield piece
        finally:
            if stream is not None:
                # Releases the connection when the reader stops early (or it failed).
                with suppress(Exception):  # closing a broken stream: nothing left to do
                    await stream.aclose()

    async def _extract(self, request: CoachRequest, reply: str, seed: int) -> _Extracted | None:
        """The brief read back out of the conversation, or None if that failed."""
        from google.genai import types

        config = types.GenerateContentConfig(
            system_instruction=build_extraction_instruction(request),
            response_mime_type="application/json",
            response_schema=brief_schema(),
            seed=seed,
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        )
        contents = [
            *_history_contents(request),
            types.Content(role="model", parts=[types.Part.from_text(text=reply)]),
            types.Content(
                role="user",
                parts=[types.Part.from_text(text="Write the brief for this conversation as JSON now.")],
            ),
        ]
        try:
            response = await _call(
                self._client.aio.models.generate_content(
                    model=self.model,
                    contents=contents,
                    config=config,
                ),
                self.model,
            )
            data = json.loads(_chunk_text(response))
        except _Failed as failed:
            logger.warning("Brief extraction failed: %s", failed.error.message)
            return None
        except ValueError:  # json.JSONDecodeError included
            logger.warning("Brief extraction answered something that is not JSON")
            return None
        if not isinstance(data, dict):
            logger.warning("Brief extraction answered JSON that is not an object")
            return None
        return _Extracted(
            brief=Brief.from_json(data),
            ready=data.get("ready") is True,
            suggestions=_suggestions(data.get("suggestions")),
        )


class _Failed(Exception):
    """A failed call, as the error to show and whether sending it again may help."""

    def __init__(self, error: CoachError, *, resend: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.resend = resend


@dataclass(frozen=True)
class _Extracted:
    brief: Brief
    ready: bool
    suggestions: tuple[str, ...]


async def _call(awaitable: Any, model: str) -> Any:
    """`await awaitable`, with every SDK or transport exception turned into `_Failed`."""
    try:
        return await awaitable
    except Exception as exc:
        failure = gemini.classify(exc)
        gemini.log_failure(logger, "Gemini coach", failure, exc)
        raise _failed(failure, exc, model) from None


# What the creator is told for each kind of failure, whether trying later may help, and
# whether it may be sent again here (only ever before the first token).
_FAILURES: dict[gemini.Failure, tuple[str, bool, bool]] = {
    "busy": (BUSY, True, True),
    "key_rejected": (NOT_CONFIGURED, False, False),
    "model_not_found": (NOT_CONFIGURED, False, False),
    # The request itself (a setting, or a bug here): nothing the creator can fix by retrying.
    "bad_request": (NOT_CONFIGURED, False, False),
    "refused": (FAILED, True, False),
    "timed_out": (TIMED_OUT, True, False),
    "unreachable": (UNREACHABLE, True, True),
    # Most often the connection dropped mid-answer: safe to send again only before tokens.
    "interrupted": (INTERRUPTED, True, True),
    "unexpected": (FAILED, True, False),
}


def _failed(failure: gemini.Failure, exc: Exception, model: str) -> _Failed:
    if failure == "key_rejected":
        logger.error("The Gemini API key was rejected: check GEMINI_API_KEY")
    elif failure == "model_not_found":
        logger.error("The Gemini model %r was not found: check the coach's model setting", model)
    elif failure == "bad_request":
        logger.error("Gemini refused the coach's request as invalid: %s", exc)
    message, retryable, resend = _FAILURES[failure]
    return _Failed(CoachError(message, retryable=retryable), resend=resend)


# --- What is sent ---------------------------------------------------------------------------


def _history_contents(request: CoachRequest) -> list[genai_types.Content]:
    from google.genai import types

    turns = [*request.history, Turn(role="user", content=request.message)]
    return [
        types.Content(
            role="model" if turn.role == "coach" else "user",
            parts=[types.Part.from_text(text=turn.content)],
        )
        for turn in turns
        if turn.content.strip()
    ]


def brief_schema() -> genai_types.Schema:
    """The response schema of the brief extraction (Gemini's OpenAPI subset)."""
    from google.genai import types

    def text(description: str) -> types.Schema:
        return types.Schema(type=types.Type.STRING, description=description)

    properties = {
        "platform": text("The target's platform id (before the dot), or empty if not chosen yet."),
        "asset_type": text("The target's asset id (after the dot), or empty if not chosen yet."),
        "subject": text("What the image shows."),
        "style": text("The art style."),
        "mood": text("The feeling it should give."),
        "colors": types.Schema(
            type=types.Type.ARRAY,
            items=types.Schema(type=types.Type.STRING, description="A colour as #RRGGBB."),
            description="The colours to use, as #RRGGBB hex codes.",
        ),
        "text": text("The words to set on the image (the engine sets them), or empty."),
        "layout": text("A layout key of the target's family (see the layouts list), or empty."),
        "composition": text("How the image is laid out."),
        "avoid": text("What to keep out of the image."),
        "ready": types.Schema(
            type=types.Type.BOOLEAN, description="The coach said the brief is ready to generate."
        ),
        "suggestions": types.Schema(
            type=types.Type.ARRAY,
            items=types.Schema(type=types.Type.STRING),
            description="Two to four short replies the creator could tap next.",
        ),
    }
    return types.Schema(
        type=types.Type.OBJECT,
        properties=properties,
        required=["ready", "suggestions"],
        property_ordering=list(properties),
    )


# --- What comes back ------------------------------------------------------------------------


def _chunk_text(response: genai_types.GenerateContentResponse) -> str:
    """The answer's text parts (the first candidate's), without a thinking model's thoughts."""
    candidates = response.candidates or []
    content = candidates[0].content if candidates else None
    return "".join(
        part.text for part in (content.parts if content else None) or [] if part.text and not part.thought
    )


def _check_refusal(response: genai_types.GenerateContentResponse) -> None:
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        raise CoachError(REFUSED)
    for candidate in response.candidates or []:
        if gemini.enum_name(candidate.finish_reason) in _REFUSAL_FINISH_REASONS:
            raise CoachError(REFUSED)


def _collect_sources(response: genai_types.GenerateContentResponse, sources: list[str]) -> None:
    for candidate in response.candidates or []:
        metadata = candidate.grounding_metadata
        for grounding_chunk in (metadata.grounding_chunks if metadata else None) or []:
            uri = grounding_chunk.web.uri if grounding_chunk.web else None
            if uri and uri not in sources and len(sources) < MAX_SOURCES:
                sources.append(uri)


def _valid_target(brief: Brief, previous: Brief, targets: tuple[TargetOption, ...]) -> Brief:
    """`brief` with a platform/asset pair that is not one of the targets put back as it was.

    Matched without regard to case and spelled as the target spells it. Half a pair (only
    the platform) is kept if some target has it.
    """
    chosen = _as_target(brief.platform, brief.asset_type, targets)
    if chosen is not None:
        return replace(brief, platform=chosen[0], asset_type=chosen[1])
    logger.info("Dropped a target that is not on the list: %r.%r", brief.platform, brief.asset_type)
    kept = _as_target(previous.platform, previous.asset_type, targets) or ("", "")
    return replace(brief, platform=kept[0], asset_type=kept[1])


def _valid_layout(brief: Brief, previous: Brief, targets: tuple[TargetOption, ...]) -> Brief:
    """`brief` with a layout its target's family does not have (or with no target to have it)
    dropped: the previous one stays when it fits."""
    target = next((t for t in targets if t.key == brief.spec_key), None)
    layouts = LAYOUTS.get(target.family, ()) if target is not None else ()
    if not brief.layout or brief.layout in layouts:
        return brief
    logger.info("Dropped a layout the target does not have: %r for %r", brief.layout, brief.spec_key)
    return replace(brief, layout=previous.layout if previous.layout in layouts else "")


def _as_target(platform: str, asset_type: str, targets: tuple[TargetOption, ...]) -> tuple[str, str] | None:
    """(platform, asset_type) as the targets spell them, or None if no target matches."""
    platform, asset_type = platform.strip().lower(), asset_type.strip().lower()
    if not platform and not asset_type:
        return ("", "")
    for target in targets:
        platform_ok = not platform or target.platform.lower() == platform
        asset_ok = not asset_type or target.asset_type.lower() == asset_type
        if platform_ok and asset_ok:
            return (target.platform if platform else "", target.asset_type if asset_type else "")
    return None


def _suggestions(raw: object) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else []
    cleaned = (" ".join(str(item).split()) for item in items if isinstance(item, str))
    short = [item for item in cleaned if item and len(item) <= MAX_SUGGESTION_CHARS]
    return tuple(dict.fromkeys(short))[:MAX_SUGGESTIONS]
