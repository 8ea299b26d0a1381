"""The coach's websocket: one socket per open session page.

Client → server: ``{"type": "message", "text": "..."}``.
Server → client: ``{"type": "history", ...}`` once on connect (the saved conversation, the
brief, and a reply still streaming if there is one), then the session's live events from
``coach.streaming`` (message, reply_start, token, brief, done, error), and ``error`` events
for a message that was refused (``code``: invalid, rate_limited, busy).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from aurastream.consumers import SafeJsonWebsocketConsumer
from aurastream.db import acting_user

from . import services, streaming
from .models import CoachMessage, CoachSession
from .payloads import brief_payload, message_payload, session_brief

NOT_AUTHENTICATED = 4401
NOT_FOUND = 4404


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


def error_message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


class CoachConsumer(SafeJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=NOT_AUTHENTICATED)
            return
        self.user_id: int = user.pk
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.group = streaming.session_group(self.session_id)
        # Join before reading the history, so no event falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        snapshot = await database_sync_to_async(session_snapshot)(self.user_id, self.session_id)
        if snapshot is None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            del self.group
            await self.close(code=NOT_FOUND)
            return
        await self.accept()
        await self.send_json(snapshot)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "message":
            await self.send_json({"type": "error", "code": "invalid", "message": "Unknown request."})
            return
        try:
            # Shielded: a page that closes while its message is being accepted must not leave
            # the message saved and the session claimed with no reply on its way.
            await asyncio.shield(
                streaming.reply_start(
                    user_id=self.user_id, session_id=self.session_id, text=content.get("text", "")
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
        await self.send_json(event["payload"])
