"""The local coach's word tables and proposals, loaded once from ``coach/data/words.toml`` and
``coach/data/replies.toml`` into the typed constants the reading and the replies use."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((_DATA / name).read_text("utf-8"))


_WORDS = _load("words.toml")
_REPLIES = _load("replies.toml")


@dataclass(frozen=True)
class AssetConcept:
    """What a creator calls an asset, and the registry asset types that answer it, best first."""

    name: str
    pattern: str
    asset_types: tuple[str, ...]
    noun: str  # plural, for notes: "thumbnails"


def _rows(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A table of ``value = pattern`` rows, in the order written (the first match wins)."""
    return tuple(table.items())


def _words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


def _tuples(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in table.items()}


# --- Reading a message: value -> pattern, more specific rows first -------------------------------

PLATFORM_WORDS = _rows(_WORDS["platforms"])
ASSET_CONCEPTS: tuple[AssetConcept, ...] = tuple(
    AssetConcept(c["name"], c["pattern"], tuple(c["asset_types"]), c["noun"])
    for c in _WORDS["asset_concepts"]
)
STYLES = _rows(_WORDS["styles"])
MOODS = _rows(_WORDS["moods"])
COMPOSITIONS = _rows(_WORDS["compositions"])

_CONNECTING = _WORDS["connecting_words"]
ARTICLES = frozenset({"a", "an", "the"})
LEAD_WORDS = ARTICLES | _words(_CONNECTING["lead"])
TRAIL_WORDS = ARTICLES | _words(_CONNECTING["trail"])
STOP_WORDS = LEAD_WORDS | TRAIL_WORDS | _words(_CONNECTING["stop"])
DETERMINERS = _words(_CONNECTING["determiners"])

# --- Per-family proposals ------------------------------------------------------------------------

SUBJECT_HINTS: dict[str, str] = _REPLIES["subject_hints"]
SUBJECT_IDEAS = _tuples(_REPLIES["subject_ideas"])
SCENE_TITLES: dict[str, tuple[str, str]] = {
    asset_type: (default, other) for asset_type, (default, other) in _REPLIES["scene_titles"].items()
}
FAMILY_STYLES: dict[str, str] = _REPLIES["family_styles"]
FAMILY_MOODS: dict[str, str] = _REPLIES["family_moods"]
STYLE_MOODS: dict[str, str] = _REPLIES["style_moods"]
PALETTES = _tuples(_REPLIES["palettes"])
DEFAULT_PALETTE: tuple[str, ...] = tuple(_REPLIES["default_palette"])
FAMILY_COMPOSITIONS: dict[str, tuple[str, str, str]] = {
    family: (proposal, first, second)
    for family, (proposal, first, second) in _REPLIES["family_compositions"].items()
}
QUICK_TARGETS = _rows(_REPLIES["quick_targets"])
STYLE_SUGGESTIONS: tuple[str, ...] = tuple(_REPLIES["suggestions"]["styles"])
MOOD_SUGGESTIONS: tuple[str, ...] = tuple(_REPLIES["suggestions"]["moods"])
COLOR_SUGGESTIONS: tuple[str, ...] = tuple(_REPLIES["suggestions"]["colors"])

# --- Phrasing variants (picked with the turn's seeded generator) ---------------------------------

_PHRASING: dict[str, list[str]] = _REPLIES["phrasing"]
LEAD_INS = tuple(_PHRASING["lead_ins"])
READY_LINES = tuple(_PHRASING["ready_lines"])
TWEAK_LEADS = tuple(_PHRASING["tweak_leads"])
ALL_SET_LINES = tuple(_PHRASING["all_set_lines"])
NOT_CAUGHT = tuple(_PHRASING["not_caught"])
QUESTION_LEADS = tuple(_PHRASING["question_leads"])
GREETINGS = tuple(_PHRASING["greetings"])
