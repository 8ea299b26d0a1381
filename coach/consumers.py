"""The coach's websocket: one socket per open session page.

Client → server: ``{"type": "message", "text": "..."}``.
Server → client: ``{"type": "history", ...}`` once on connect (the saved conversation, the
brief, and a reply still streaming if there is one), then the session's live events from
``coach.streaming`` (message, reply_start, token, brief, done, error), and ``error`` events
for a message that was refused (``code``: invalid, rate_limited, busy).

The socket is accepted before any query, so a burst of pages never waits on the database for
its handshake (aurastream/sockets.py); then it is closed with 4401 when nobody is signed in,
and with 4404 when the session is missing or another creator's (the two alike, and before
anything is sent).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from django.core.exceptions import ValidationError

from aurastream.consumers import SafeJsonWebsocketConsumer
from aurastream.db import acting_user
from aurastream.sockets import (
    NOT_AUTHENTICATED,
    NOT_FOUND,
    database_sync_to_async,
    has_session_cookie,
    scope_user,
)

from . import services, streaming
from .models import CoachMessage, CoachSession
from .payloads import brief_payload, message_payload, session_brief


def session_snapshot(user_id: int, session_id: uuid.UUID | str) -> dict[str, Any] | None:
    """What a page needs to show a session as it stands, or None if it is not the creator's."""
    with acting_user(user_id):
        session = CoachSession.objects.filter(pk=session_id, user_id=user_id).first()
        if session is None:
            return None
        rows = list(session.messages.order_by("created_at", "id"))
        # A reply still streaming: its text saved so far and how many tokens that is, so the
        # page appends only later tokens (the full text arrives with "done" in any case).
        streaming_reply = next(
            (
                {"id": m.pk, "content": m.content, "tokens": m.tokens}
                for m in reversed(rows)
                if m.status == CoachMessage.Status.STREAMING
            ),
            None,
        )
        messages = [message_payload(m) for m in rows]
        return {
            "type": "history",
            "session": {"id": str(session.pk), "title": session.display_title},
            "messages": messages,
            "brief": brief_payload(session_brief(session), ready=session.brief_ready),
            "streaming": streaming_reply,
        }


def session_opening(
    scope: dict[str, Any], session_id: uuid.UUID | str
) -> tuple[int | None, dict[str, Any] | None]:
    """(who is signed in, the session's history) in one trip to the database threads:
    (None, None) when nobody is, (their id, None) when the session is not theirs."""
    user = scope_user(scope)
    if not user.is_authenticated:
        return None, None
    return user.pk, session_snapshot(user.pk, session_id)


def error_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


class CoachConsumer(SafeJsonWebsocketConsumer):
    # Set once the socket is known to be its creator's; until then (and on a refused socket)
    # neither messages from the page nor the session's events are handled.
    user_id: int | None = None

    async def connect(self) -> None:
        await self.accept()
        if not has_session_cookie(self.scope):
            await self.close(code=NOT_AUTHENTICATED)
            return
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.group = streaming.session_group(self.session_id)
        # Join before reading the history, so no event falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        user_id, snapshot = await database_sync_to_async(session_opening)(self.scope, self.session_id)
        if snapshot is None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            del self.group
            await self.close(code=NOT_AUTHENTICATED if user_id is None else NOT_FOUND)
            return
        self.user_id = user_id
        await self.send_json(snapshot)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # A message sent while the socket was being checked waits until it is (frames are
        # handled one at a time, after connect); one on a refused socket is dropped.
        user_id = self.user_id
        if user_id is None:
            return
        if not isinstance(content, dict) or content.get("type") != "message":
            await self.send_json({"type": "error", "code": "invalid", "message": "Unknown request."})
            return
        try:
            # Shielded: a page that closes while its message is being accepted must not leave
            # the message saved and the session claimed with no reply on its way.
            await asyncio.shield(
                streaming.reply_start(
                    user_id=user_id, session_id=self.session_id, text=content.get("text", "")
                )
            )
        except ValidationError as error:
            await self.send_json({"type": "error", "code": "invalid", "message": error_message(error)})
        except services.CoachRateLimited as error:
            await self.send_json({"type": "error", "code": "rate_limited", "message": error.message})
        except services.CoachBusy as error:
            await self.send_json({"type": "error", "code": "busy", "message": error.message})
        except CoachSession.DoesNotExist:
            await self.close(code=NOT_FOUND)

    async def coach_event(self, event: dict[str, Any]) -> None:
        # Events that reached the group while a refused socket was being checked stay unsent.
        if self.user_id is not None:
            for payload in event["payloads"]:  # one frame each, in order
                await self.send_json(payload)
