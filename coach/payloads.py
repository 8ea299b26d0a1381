"""The JSON shapes a session and its messages take on the websocket, in SSE and in the API."""

from __future__ import annotations

from typing import Any

from .engine.types import BRIEF_FIELDS, BRIEF_LABELS, Brief
from .models import CoachMessage, CoachSession


def message_payload(message: CoachMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "role": message.role,
        "content": message.content,
        "status": message.status,
        "error": message.error,
        "suggestions": list(message.suggestions or []),
        "sources": list(message.sources or []),
        "created_at": message.created_at.isoformat(),
    }


def brief_payload(brief: Brief, *, ready: bool) -> dict[str, Any]:
    """The brief's fields in display order, with labels, and whether it is ready."""
    data = brief.to_json()
    return {
        "fields": [{"name": name, "label": BRIEF_LABELS[name], "value": data[name]} for name in BRIEF_FIELDS],
        "spec_key": brief.spec_key,
        "ready": ready,
    }


def session_brief(session: CoachSession) -> Brief:
    return Brief.from_json(session.brief)
