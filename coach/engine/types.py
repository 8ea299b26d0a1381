"""The coach's own value types. No SDK or Django type crosses this boundary.

A provider receives a ``CoachRequest`` (the conversation so far, the creator's new message,
the current brief, the brand and the platform targets it may choose from) and streams
``CoachEvent``s: zero or more ``BriefUpdate``s and ``Token``s, then exactly one ``Reply``
(the whole reply text, the final brief, whether it is ready to generate, and quick replies).
Anything that goes wrong becomes one ``CoachError`` with a message fit to show the creator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, Protocol

from core.colors import is_hex_code
from generation.engine.reading import LAYOUT_LABELS

Role = Literal["user", "coach"]

# The brief's fields, in the order the coach asks for them and the page shows them.
BRIEF_FIELDS: tuple[str, ...] = (
    "platform",
    "asset_type",
    "subject",
    "style",
    "mood",
    "colors",
    "text",
    "layout",
    "composition",
    "avoid",
)

BRIEF_LABELS: dict[str, str] = {
    "platform": "Platform",
    "asset_type": "Asset",
    "subject": "Subject",
    "style": "Style",
    "mood": "Mood",
    "colors": "Colours",
    "text": "On-image text",
    "layout": "Layout",
    "composition": "Composition",
    "avoid": "Avoid",
}

MAX_TEXT = 60  # characters of on-image text: more never reads on an emote or thumbnail
MAX_FIELD = 300  # characters per free-text field


@dataclass(frozen=True)
class Brief:
    """What the creator wants, structured: the hand-off from the coach to a generation job.

    ``platform`` and ``asset_type`` together name a platform registry row
    (``f"{platform}.{asset_type}"``, e.g. ``twitch.emote``). ``colors`` are ``#RRGGBB``.
    ``subject`` is only what the image shows (no colours, style or on-image words: those have
    fields of their own); ``style`` leads with the engine's style keys (``neon``, ``pixel`` …)
    when the words name one; ``layout`` is a composition key of the engine's
    (``generation.engine.reading.LAYOUTS``, e.g. ``versus``) valid for the target's family.
    Empty strings and tuples mean "not decided yet".
    """

    platform: str = ""
    asset_type: str = ""
    subject: str = ""
    style: str = ""
    mood: str = ""
    colors: tuple[str, ...] = ()
    text: str = ""
    layout: str = ""
    composition: str = ""
    avoid: str = ""

    @property
    def spec_key(self) -> str:
        return f"{self.platform}.{self.asset_type}" if self.platform and self.asset_type else ""

    def to_json(self) -> dict[str, Any]:
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Brief:
        """A brief from stored or model-made JSON: unknown keys dropped, values cleaned."""
        data = data or {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = data.get(f.name)
            if f.name == "colors":
                items = raw if isinstance(raw, list | tuple) else []
                values["colors"] = tuple(
                    dict.fromkeys(str(c).strip().upper() for c in items if is_hex_code(str(c).strip()))
                )[:6]
            elif f.name == "layout":
                # Briefs stored before layouts had none; a key the engine doesn't know is dropped.
                layout = raw.strip().lower() if isinstance(raw, str) else ""
                values["layout"] = layout if layout in LAYOUT_LABELS else ""
            elif isinstance(raw, str):
                limit = MAX_TEXT if f.name == "text" else MAX_FIELD
                values[f.name] = " ".join(raw.split())[:limit]
        return cls(**values)

    def merged(self, other: Brief) -> Brief:
        """This brief with every field ``other`` decides (non-empty) taken from ``other``."""
        changes = {f.name: getattr(other, f.name) for f in fields(self) if getattr(other, f.name)}
        return replace(self, **changes)

    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in BRIEF_FIELDS if not getattr(self, name))


@dataclass(frozen=True)
class Turn:
    """One message of the conversation so far."""

    role: Role
    content: str


@dataclass(frozen=True)
class BrandContext:
    """The creator's brand kit, as the coach may talk about it."""

    name: str = ""  # the kit's name
    channel_name: str = ""
    colors: dict[str, str] = field(default_factory=dict)  # role ("primary"…) -> "#RRGGBB"
    headline_font: str = ""
    body_font: str = ""
    style: str = ""  # the kit's style words ("bold neon", "cozy pastel" …)
    has_logo: bool = False


@dataclass(frozen=True)
class TargetOption:
    """One platform asset the coach may steer towards (a platform registry row)."""

    platform: str  # "twitch"
    platform_label: str  # "Twitch"
    asset_type: str  # "emote"
    label: str  # "Emote (static)"
    family: str  # the registry's layout family: emote, badge, thumbnail …
    size: str  # "112×112 px (also 56 and 28)"
    rules: str  # what the platform requires, in a sentence (transparency, byte cap, safe zone…)

    @property
    def key(self) -> str:
        return f"{self.platform}.{self.asset_type}"


@dataclass(frozen=True)
class CoachRequest:
    history: tuple[Turn, ...]  # earlier messages, oldest first (not including ``message``)
    message: str  # the creator's new message
    brief: Brief  # the brief as it stands before this message
    brand: BrandContext
    targets: tuple[TargetOption, ...]  # every asset the creator may ask for
    grounding: bool = False  # may the provider search the web (Studio)
    seed: int = 0  # the session's seed: same conversation, same replies (local coach)


@dataclass(frozen=True)
class Token:
    """A piece of the reply, in order. Joined, the tokens are exactly ``Reply.text``."""

    text: str
    type: Literal["token"] = "token"


@dataclass(frozen=True)
class BriefUpdate:
    """The brief changed (sent as soon as the provider knows, before or during the reply)."""

    brief: Brief
    type: Literal["brief"] = "brief"


@dataclass(frozen=True)
class Reply:
    """The end of a reply: everything the session stores."""

    text: str
    brief: Brief
    ready: bool  # the brief is complete enough to generate from
    suggestions: tuple[str, ...] = ()  # short quick replies the creator can tap
    sources: tuple[str, ...] = ()  # web pages a grounded reply drew on (URLs)
    type: Literal["reply"] = "reply"


CoachEvent = Token | BriefUpdate | Reply


class CoachError(Exception):
    """Anything that stopped a reply, with a message written for the creator."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class CoachProvider(Protocol):
    name: str  # "local", "gemini"
    model: str  # the model (or engine version) that wrote the reply
    # Whether it can search the web at all: only then is the plan read (``grounding``) when a
    # message is accepted.
    searches_web: bool

    def stream(self, request: CoachRequest) -> AsyncIterator[CoachEvent]:
        """Stream one reply. Raises CoachError (possibly after some tokens)."""
        ...
