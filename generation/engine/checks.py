"""What every check shares: the chat families and a verdict in plain words."""

from __future__ import annotations

from typing import Literal

from .types import Check

# Transparent assets seen small in chat, on light and dark themes.
CHAT_FAMILIES = ("emote", "badge", "icon")


def verdict(
    code: str,
    ok: bool,
    message: str,
    failed: str | None = None,
    *,
    severity: Literal["error", "warning"] = "error",
    value: float | None = None,
    limit: float | None = None,
) -> Check:
    """A check that is only information when it passes and ``severity`` when it fails; its
    message is ``failed`` instead when that is given and it fails."""
    return Check(
        code=code,
        ok=ok,
        severity="info" if ok else severity,
        message=message if ok or failed is None else failed,
        value=value,
        limit=limit,
    )
