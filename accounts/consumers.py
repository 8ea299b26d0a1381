from __future__ import annotations

from typing import Any

from aurastream.consumers import SafeJsonWebsocketConsumer
from aurastream.sockets import NOT_AUTHENTICATED, database_sync_to_async, has_session_cookie, scope_user


def user_group(user_id: int) -> str:
    """The channel-layer group that carries one creator's live events."""
    return f"user.{user_id}"


class NotificationsConsumer(SafeJsonWebsocketConsumer):
    """One socket per open tab: pushes the creator's own live events (toasts, job progress).

    The socket is accepted before the account is known (that takes the database); the first
    frame, ``{"kind": "ready"}`` (no message, so no toast), says the creator's events flow
    from here on. A signed-out socket gets no frame, only a close with 4401.
    """

    async def connect(self) -> None:
        # Accept before any query (aurastream/sockets.py), then say who may stay: a page told
        # 4401 stops reconnecting, where a refused handshake would only look like an outage.
        await self.accept()
        signed_in = has_session_cookie(self.scope)
        user = await database_sync_to_async(scope_user)(self.scope) if signed_in else None
        if user is None or not user.is_authenticated:
            await self.close(code=NOT_AUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"kind": "ready"})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
