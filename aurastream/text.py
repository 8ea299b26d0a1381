"""Text that can be stored and shown: no NUL characters (PostgreSQL refuses them), no unpaired
UTF-16 surrogates (they cannot be encoded), and JSON nested no deeper than a person writes.

Checked at the edges: the API's JSON parser (``aurastream.api.parsers``), websocket frames and
the services that take free text (coach messages)."""

from __future__ import annotations

import re
from typing import Any

MAX_JSON_DEPTH = 32
# Characters that reorder the text around them (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI):
# in a name they can make "gnp.exe" read as "exe.png". Names never need them.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(value: str) -> str:
    return _DIRECTION_CONTROLS.sub("", value)


_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


# The names people choose and others may see: saved without direction controls, wherever they
# come from (forms, the API, the admin, services).
NAME_FIELDS = {
    "accounts.User": ("display_name",),
    "brandkits.BrandKit": ("name", "channel_name", "tagline"),
    "brandkits.CreatorMedia": ("name",),
    "library.Collection": ("name",),
    "library.Tag": ("name",),
    "library.Asset": ("title",),
    "coach.CoachSession": ("title",),
}


def strip_name_controls(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_save``: drop direction controls from the instance's name fields."""
    for field in NAME_FIELDS.get(sender._meta.label, ()):
        value = getattr(instance, field, None)
        if isinstance(value, str) and _DIRECTION_CONTROLS.search(value):
            setattr(instance, field, without_direction_controls(value))


def text_problem(value: str) -> str:
    """Why ``value`` cannot be kept as it is, or "" when it can."""
    found = _BAD_CHARACTERS.search(value)
    if found is None:
        return ""
    if found.group() == "\x00":
        return "contains a NUL character (\\u0000), which text may not contain"
    return "contains an unpaired surrogate (a broken emoji or character), which text may not contain"


def json_problem(data: Any, *, max_depth: int = MAX_JSON_DEPTH) -> str:
    """Why decoded JSON cannot be accepted (too deep, or bad text in a key or a string, with its
    place: ``keywords[0]``), or "" when it can. Iterative: any depth is safe to inspect."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                return f"is nested more than {max_depth} levels deep"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and (problem := text_problem(key)):
                    return f"has a key that {problem}"
                place = f"{where}.{key}" if isinstance(key, str) and where else str(key)
                if isinstance(key, int):
                    place = f"{where}[{key}]"
                stack.append((item, place, depth + 1))
        elif isinstance(value, str) and (problem := text_problem(value)):
            return f"{where or 'the text'} {problem}"
    return ""
