"""The project's websocket consumer base: JSON frames only, checked like the API's JSON."""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .text import json_problem


class SafeJsonWebsocketConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer that answers a frame it cannot use (binary, not JSON, nested too deep,
    NUL or unpaired surrogates in its text) with an ``error`` event, instead of failing."""

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
