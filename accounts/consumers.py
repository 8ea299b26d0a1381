from __future__ import annotations

from typing import Any

from aurastream.consumers import SafeJsonWebsocketConsumer


def user_group(user_id: int) -> str:
    """The channel-layer group that carries one creator's live events."""
    return f"user.{user_id}"


class NotificationsConsumer(SafeJsonWebsocketConsumer):
    """One socket per open tab: pushes the creator's own live events (toasts, job progress)."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
