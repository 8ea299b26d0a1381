"""`POST /api/v1/coach/sessions/{id}/messages/`: send the coach a message, answered as
server-sent events carrying the same stream a websocket gets.

The view joins the session's channel-layer group before the message is accepted, so it sees
every event of its reply: ``message``, ``reply_start``, ``token`` (in order, ``seq`` from 1),
``brief``, then ``done`` or ``error``, after which the response ends. If the client goes
away, the reply still finishes and is saved (it streams from a background task).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from aurastream.api.authentication import request_user_id
from aurastream.api.errors import json_error
from aurastream.middleware import own_transactions
from coach import services, streaming
from coach.consumers import error_message
from coach.models import CoachSession

HEARTBEAT_SECONDS = 15
FINAL_EVENTS = ("done", "error")


def _csrf_failure(request: HttpRequest) -> HttpResponseBase | None:
    """Browser sessions need a CSRF token, as for any form post; bearer tokens do not."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return None
    return CsrfViewMiddleware(lambda _: None).process_view(request, None, (), {})  # type: ignore[arg-type]  # run by hand: no response, no view to check


def _text_from(request: HttpRequest) -> str | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested absurdly deep
        return None
    text = body.get("text") if isinstance(body, dict) else None
    return text if isinstance(text, str) else None


def _event(payload: dict[str, Any]) -> str:
    return f"event: {payload['type']}\ndata: {json.dumps(payload)}\n\n"


@csrf_exempt  # checked in the view for cookie sessions: bearer-token clients have no CSRF token
@own_transactions  # the message is committed before the reply streams from another task
async def session_messages(request: HttpRequest, session_id: str) -> HttpResponseBase:
    if request.method != "POST":
        return json_error(request, 405, "method_not_allowed", 'Method "GET" not allowed.')
    # An API key needs its "generate" scope to talk to the coach.
    user_id = await sync_to_async(request_user_id)(request, scope="generate")
    if user_id is None:
        return json_error(request, 401, "not_authenticated", "Authentication credentials were not provided.")
    if _csrf_failure(request) is not None:
        return json_error(request, 403, "csrf_failed", "CSRF check failed: reload the page and try again.")
    text = _text_from(request)
    if text is None:
        return json_error(request, 400, "invalid", 'Send JSON like {"text": "your message"}.')

    layer = get_channel_layer()
    assert layer is not None, "CHANNEL_LAYERS must be configured"
    group = streaming.session_group(session_id)
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    accepted = False
    try:
        # Shielded like the websocket's: a client gone mid-accept still gets its reply saved.
        prepared = await asyncio.shield(
            streaming.reply_start(user_id=user_id, session_id=session_id, text=text)
        )
        accepted = True
    except CoachSession.DoesNotExist:
        return json_error(request, 404, "not_found", "Not found.")
    except ValidationError as error:
        return json_error(request, 400, "invalid", error_message(error))
    except services.CoachRateLimited as error:
        return json_error(request, 429, "rate_limited", error.message)
    except services.CoachBusy as error:
        return json_error(request, 409, "busy", error.message)
    finally:
        if not accepted:
            await layer.group_discard(group, channel)

    events = _relay(layer, group, channel, prepared.reply_id)
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


async def _relay(layer: Any, group: str, channel: str, reply_id: int) -> AsyncIterator[str]:
    """The session's events as SSE, until the reply ``reply_id`` is done or failed."""
    # One receive runs across keep-alives rather than one cancelled at each: cancelling a
    # receive on the Redis pub/sub layer unsubscribes its channel, and an event published
    # before the next receive subscribed it again would be lost.
    receiving: asyncio.Task[dict[str, Any]] | None = None
    try:
        while True:
            if receiving is None:
                receiving = asyncio.ensure_future(layer.receive(channel))
            done, _ = await asyncio.wait({receiving}, timeout=HEARTBEAT_SECONDS)
            if not done:
                yield ": keep-alive\n\n"
                continue
            message, receiving = receiving.result(), None
            for payload in message.get("payloads", ()):
                yield _event(payload)
                if payload.get("type") in FINAL_EVENTS and _reply_id(payload) == reply_id:
                    return
    finally:
        if receiving is not None:
            receiving.cancel()
        await layer.group_discard(group, channel)


def _reply_id(payload: dict[str, Any]) -> int | None:
    if payload.get("type") == "done":
        return payload["message"]["id"]
    reply = payload.get("reply")
    return reply["id"] if isinstance(reply, dict) else None
