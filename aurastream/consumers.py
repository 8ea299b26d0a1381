"""The project's websocket consumer base: JSON frames only, checked like the API's JSON, and
events dispatched without a trip to the database thread."""

from __future__ import annotations

import json
from typing import Any

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .text import json_problem


class SafeJsonWebsocketConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer that answers a frame it cannot use (binary, not JSON, nested too deep,
    NUL or unpaired surrogates in its text) with an ``error`` event, instead of failing."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Hand every event (a frame from the page, a group event such as ``coach.event``) to its
        handler, without channels' ``aclose_old_connections()`` first.

        channels runs ``close_old_connections`` before every dispatched event as a
        thread-sensitive ``sync_to_async``: on daphne's one process-wide thread, which every
        socket shares. A coach burst sends thousands of token events a second through the
        group, and each queued behind that one thread (it was 96 % busy while the event loop
        idled), although relaying an event touches no database. Our consumers never use the
        database from that thread: every call goes through
        ``aurastream.sockets.database_sync_to_async``, which closes stale connections around
        itself on its own pool, so the check here only cost time.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        """channels' own, less its ``aclose_old_connections()`` (see ``dispatch``): when every
        page of a process closes at once, each close queued on that one thread too."""
        for group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.disconnect(message["code"])
        raise StopConsumer

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.refuse("Send JSON text frames.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.refuse("That frame is not JSON.")
            return
        problem = json_problem(content)
        if problem:
            await self.refuse(f"The message {problem}." if problem.startswith("is") else f"{problem}.")
            return
        await self.receive_json(content, **kwargs)

    async def refuse(self, message: str) -> None:
        await self.send_json({"type": "error", "code": "invalid", "message": message})
