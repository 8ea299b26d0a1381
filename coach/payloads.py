"""The JSON shapes a session and its messages take on the websocket, in SSE and in the API."""

from __future__ import annotations

from typing import Any

from generation.engine.reading import LAYOUT_LABELS, Reading, colour_name

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
    """The brief's fields in display order, with labels (the layout also by its name for people,
    ``text``), where its colours come from in words, and whether it is ready."""
    data = brief.to_json()
    fields: list[dict[str, Any]] = []
    for name in BRIEF_FIELDS:
        field: dict[str, Any] = {"name": name, "label": BRIEF_LABELS[name], "value": data[name]}
        if name == "layout":
            field["text"] = LAYOUT_LABELS.get(brief.layout, brief.layout)
        fields.append(field)
    return {"fields": fields, "spec_key": brief.spec_key, "colour_rule": colour_rule(brief), "ready": ready}


def colour_rule(brief: Brief) -> str:
    """ "Purple and teal from your words, fonts and logo from your kit": the engine's wording."""
    return Reading(colours=tuple((colour_name(value), value) for value in brief.colors)).colour_rule()


def session_brief(session: CoachSession) -> Brief:
    return Brief.from_json(session.brief)
