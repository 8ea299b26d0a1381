"""Streaming a coach reply to every listener of a session, independent of any one socket.

``reply_start`` accepts the creator's message (through ``services.reply_prepare``) and starts a
background task that streams the provider's reply into the channel-layer group of the
session. Websocket consumers of the session and SSE responses are members of that group; a
socket that drops does not stop the reply, which is saved as it streams and in full at the
end, so a page that reconnects shows it (and, while it still streams, the rest of it).

Events sent to the group, as ``{"type": "coach.event", "payloads": [{...}, ...]}``: one group
event carries every payload ready at that moment (each is still its own frame on a socket, its
own event in SSE), so the offline coach's opening (message, reply_start, brief, first token)
is one publish, not four. ``payload["type"]``:
``message`` (the creator's message, saved, and the session's title), ``reply_start``,
``token`` (the next piece of the reply: ``count`` tokens, ``seq`` the number streamed so far,
so it only grows), ``brief``, ``done`` (the saved reply and the brief) and ``error``.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from channels.layers import get_channel_layer

from aurastream.sockets import database_sync_to_async

from . import services
from .engine.types import Brief, BriefUpdate, CoachError, CoachEvent, Reply, Token
from .payloads import brief_payload
from .providers import coach_provider

logger = logging.getLogger(__name__)

# Tokens after the first go out together, at most every SEND_EVERY_S, and less often when many
# replies stream in this process at once, so that together they send about SENDS_PER_S events
# a second: under load the text arrives in larger pieces instead of the process falling behind.
SEND_EVERY_S = 0.05
SENDS_PER_S = 200
# A streaming reply is saved this often (and in full at the end); likewise spread under load.
SAVE_EVERY_S = 2.0
SAVES_PER_S = 50
# A reply's opening (the creator's message, reply_start) waits at most this long for the
# provider's first event, to go out with it in one group event.
OPENING_WAIT_S = 0.05
_running: set[asyncio.Task[None]] = set()  # replies in flight in this process


def _every(floor_s: float, per_s: int) -> float:
    return max(floor_s, len(_running) / per_s)


def session_group(session_id: uuid.UUID | str) -> str:
    return f"coach.{session_id}"


async def publish(session_id: uuid.UUID | str, *payloads: dict[str, Any]) -> None:
    """Send ``payloads`` to every listener of the session, in order, as one group event."""
    layer = get_channel_layer()
    if layer is not None and payloads:
        await layer.group_send(session_group(session_id), {"type": "coach.event", "payloads": payloads})


async def reply_start(*, user_id: int, session_id: uuid.UUID | str, text: str) -> services.PreparedReply:
    """Accept a message and stream the reply in the background.

    Raises what ``services.reply_prepare`` raises (bad message, rate limit, busy session, not
    the creator's session) before anything is stored or sent.
    """
    prepared = await database_sync_to_async(services.reply_prepare)(
        user_id=user_id, session_id=session_id, text=text
    )
    # A context of its own: the reply outlives the socket or request that asked for it (its
    # database calls run on the sockets' pool of database threads, never on a request's).
    task = asyncio.get_running_loop().create_task(stream_reply(prepared), context=contextvars.Context())
    _running.add(task)
    task.add_done_callback(_running.discard)
    return prepared


class _Relay:
    """The reply so far, and the tokens not yet sent.

    The first token goes out at once (time to first token is what a creator feels); later
    ones are sent together at most every ``SEND_EVERY_S`` (longer under load), so a busy server
    sends a few larger events instead of very many small ones. ``seq`` in an event is the number of tokens
    streamed so far, including the ``count`` it carries. A brief the coach announces before its
    first token waits in ``held`` and goes out with that token, in one group event.
    """

    def __init__(self, prepared: services.PreparedReply) -> None:
        self.prepared = prepared
        # The opening: the creator's message (saved) and the reply's start, sent with the
        # provider's first event (``_provider_events``).
        self.held: list[dict[str, Any]] = [
            {"type": "message", "message": prepared.user_message, "title": prepared.title},
            {"type": "reply_start", "id": prepared.reply_id},
        ]
        self.pieces: list[str] = []
        self.unsent = 0
        self.sent_at = 0.0
        self.saved_at = time.monotonic()
        # The brief the reply announced and no save has carried yet.
        self.brief: Brief | None = None

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    async def add(self, token: str) -> None:
        self.pieces.append(token)
        self.unsent += 1
        now = time.monotonic()
        if len(self.pieces) == 1 or now - self.sent_at >= _every(SEND_EVERY_S, SENDS_PER_S):
            await self.flush()
        if now - self.saved_at >= _every(SAVE_EVERY_S, SAVES_PER_S):
            self.saved_at = now
            brief, self.brief = self.brief, None
            await database_sync_to_async(services.reply_progress)(
                prepared=self.prepared, content=self.text, tokens=len(self.pieces), brief=brief
            )

    def hold(self, payload: dict[str, Any]) -> None:
        """Send ``payload`` with the next publish (only before the first token: held events
        go out before tokens)."""
        self.held.append(payload)

    async def flush(self, *then: dict[str, Any]) -> None:
        """Publish the held events, the tokens not yet sent, then ``then``, as one group event."""
        payloads, self.held = self.held, []
        if self.unsent:
            count, self.unsent = self.unsent, 0
            self.sent_at = time.monotonic()
            payloads.append(
                {
                    "type": "token",
                    "id": self.prepared.reply_id,
                    "seq": len(self.pieces),
                    "count": count,
                    "text": "".join(self.pieces[-count:]),
                }
            )
        payloads.extend(then)
        await publish(self.prepared.session_id, *payloads)


async def stream_reply(prepared: services.PreparedReply) -> None:
    """Run the provider and relay its events; always leaves the reply saved and the session free."""
    session_id = prepared.session_id
    relay = _Relay(prepared)
    try:
        async for event in _provider_events(prepared, relay):
            if isinstance(event, Token):
                await relay.add(event.text)
            elif isinstance(event, BriefUpdate):
                # Not saved here: the next save carries it (a progress save, or the finish),
                # so the first token never waits for the database.
                relay.brief = event.brief
                brief = {"type": "brief", "brief": brief_payload(event.brief, ready=False)}
                if relay.pieces:
                    await relay.flush(brief)
                else:  # announced before the reply: it goes out with the first token
                    relay.hold(brief)
            elif isinstance(event, Reply):
                await relay.flush()
                message = await database_sync_to_async(services.reply_finish)(
                    prepared=prepared, reply=event, tokens=len(relay.pieces)
                )
                await publish(
                    session_id,
                    {
                        "type": "done",
                        "message": message,
                        "brief": brief_payload(event.brief, ready=event.ready),
                    },
                )
                return
        raise CoachError("The coach stopped before finishing its reply. Send your message again.")
    except CoachError as error:
        await _fail(relay, error.message, code="provider")
    except asyncio.CancelledError:
        # The server is shutting down: keep what streamed, and say so.
        await asyncio.shield(
            _fail(relay, "The reply was cut off. Send your message again.", code="interrupted")
        )
        raise
    except Exception:
        logger.exception("Coach reply %s failed", prepared.reply_id)
        await _fail(relay, "Something went wrong on our side. Send your message again.", code="server")


async def _provider_events(prepared: services.PreparedReply, relay: _Relay) -> AsyncIterator[CoachEvent]:
    """The provider's events. The reply's opening, held in the relay, goes out with the first
    of them (the offline coach's first token follows at once: one group event instead of two),
    or alone after ``OPENING_WAIT_S`` when the provider takes longer to start (Gemini)."""
    events = aiter(coach_provider().stream(prepared.request))
    first = asyncio.ensure_future(anext(events))
    try:
        done, _ = await asyncio.wait({first}, timeout=OPENING_WAIT_S)
        if not done:
            await relay.flush()
        event = await first
    except StopAsyncIteration:
        return
    finally:
        first.cancel()  # only while it still waits: this task was cancelled
    yield event
    async for event in events:
        yield event


async def _fail(relay: _Relay, message: str, *, code: str) -> None:
    await relay.flush()
    prepared = relay.prepared
    saved = await database_sync_to_async(services.reply_fail)(
        prepared=prepared,
        content=relay.text,
        tokens=len(relay.pieces),
        error=message,
        interrupted=code == "interrupted",
        brief=relay.brief,
    )
    await publish(prepared.session_id, {"type": "error", "code": code, "message": message, "reply": saved})
