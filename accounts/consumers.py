from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from channels.layers import InMemoryChannelLayer
from django.conf import settings

from aurastream.consumers import SafeJsonWebsocketConsumer
from aurastream.sockets import NOT_AUTHENTICATED, database_sync_to_async, has_session_cookie, scope_user

from . import selectors, services


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
        self.user_id = user.pk
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # Only notifications stored from here on are pushed (older ones are in the bell).
        self.last_notification_id = await database_sync_to_async(selectors.notification_last_id)(
            user_id=user.pk
        )
        await self.send_json({"kind": "ready"})
        if isinstance(self.channel_layer, InMemoryChannelLayer):
            # No layer shared with the worker (the embedded default): look for new rows instead.
            self.poller = asyncio.create_task(self._poll())

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "poller"):
            self.poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.poller
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify(self, event: dict[str, Any]) -> None:
        payload = event["payload"]
        notification_id = payload.get("notification")
        if isinstance(notification_id, int):
            if notification_id <= self.last_notification_id:
                return  # already sent by the poll
            self.last_notification_id = notification_id
        await self.send_json(payload)
        if isinstance(notification_id, int):
            await self._delivered([notification_id])

    async def _delivered(self, notification_ids: list[int]) -> None:
        """The creator has a page open and got these: no "your job is ready" email for them."""
        await database_sync_to_async(services.notifications_delivered)(
            user_id=self.user_id, notification_ids=notification_ids
        )

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(settings.NOTIFICATION_POLL_SECONDS)
            fresh = await database_sync_to_async(selectors.notifications_after)(
                user_id=self.user_id, after_id=self.last_notification_id
            )
            if not fresh:
                continue
            for notification in fresh:
                await self.send_json(services.notification_payload(notification))
            self.last_notification_id = fresh[-1].pk
            await self._delivered([notification.pk for notification in fresh])
