"""The reading's vocabulary: the word tables in ``data/reading.toml`` (colour names, styles,
moods, weather, expressions and the drawings that show them, compositions and the phrases that
ask for them, streamer synonyms, accessories, context and stop words), and colour words and hex
codes turned into colours."""

from __future__ import annotations

import colorsys
import re
import tomllib
from pathlib import Path

from .colors import hex_to_rgb, rgb_to_hex

_DATA = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "reading.toml").read_text("utf-8"))


def _table(text: str) -> frozenset[str]:
    """A word table written as one string."""
    return frozenset(text.split())


def _words_of(table: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """A table of names, each with its words written as one string."""
    return {name: tuple(words.split()) for name, words in table.items()}


# --- colours ---------------------------------------------------------------------------------

# Colour names -> #RRGGBB. "light"/"pale" and "dark"/"deep" before a name shade it.
COLOR_NAMES: dict[str, str] = dict(_DATA["color_names"])
COLOR_SHADES: dict[str, float] = {"light": 0.4, "pale": 0.55, "dark": -0.35, "deep": -0.25}


def color_key(name: str) -> str:
    """ "Off white", "off-white" and "offwhite" are one colour."""
    return "".join(name.lower().replace("-", " ").split())


COLOR_LOOKUP: dict[str, str] = {color_key(name): value for name, value in COLOR_NAMES.items()}


def shade(hex_value: str, amount: float) -> str:
    """Lighter (amount > 0) or darker (amount < 0) in HLS lightness."""
    r, g, b = (c / 255 for c in hex_to_rgb(hex_value))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    light = light + (1 - light) * amount if amount > 0 else light * (1 + amount)
    r, g, b = colorsys.hls_to_rgb(h, light, s)
    return rgb_to_hex((round(r * 255), round(g * 255), round(b * 255)))


def normalise_hex(value: str) -> str:
    value = value.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return f"#{value.upper()}"


_COLOR_WORDS = "|".join(
    r"[\s-]?".join(re.escape(part) for part in re.split(r"[\s-]", name))
    for name in sorted(COLOR_NAMES, key=len, reverse=True)
)
COLOR_RE = re.compile(
    rf"(?<![\w-])(?:(?P<shade>{'|'.join(COLOR_SHADES)})\s+)?(?P<name>{_COLOR_WORDS})(?![\w-])", re.I
)
HEX_RE = re.compile(r"(?<![\w&])#(?P<hex>[0-9a-f]{6}|[0-9a-f]{3})(?![\w])", re.I)

# The first name each colour is listed under ("gold" before "golden", "grey" before "gray").
_COLOR_NAME_OF: dict[str, str] = {value: name for name, value in reversed(COLOR_NAMES.items())}


def colour_name(hex_value: str) -> str:
    """A colour's name for people ("#008080" → "teal"), or the hex code when it has none."""
    value = normalise_hex(hex_value) if HEX_RE.fullmatch(hex_value.strip()) else hex_value
    return _COLOR_NAME_OF.get(value, value)


# --- styles, moods, expressions --------------------------------------------------------------

STYLE_WORDS: dict[str, tuple[str, ...]] = _words_of(_DATA["styles"])
STYLE_LOOKUP = {word: style for style, words in STYLE_WORDS.items() for word in words}

# Words that set the background's mood (when no style word does) and its weather.
MOODS: dict[str, tuple[str, ...]] = _words_of(_DATA["moods"])
WEATHER: dict[str, tuple[str, ...]] = _words_of(_DATA["weather"])

# Expression -> its words, and what draws it: a face of its own, or an effect beside a creature.
EXPRESSIONS: dict[str, tuple[str, ...]] = _words_of(_DATA["expressions"])
EXPRESSION_LOOKUP = {word: name for name, words in EXPRESSIONS.items() for word in words}
# Chat shorthand that is the creator's own aside on a video ("lmao") but an emote's whole idea.
CHAT_LAUGHS = frozenset({"lol", "lmao", "rofl", "haha", "lmfao"})
CHAT_FAMILIES = frozenset({"emote", "badge", "icon", "avatar"})
# A face of its own for an expression with no creature named.
EXPRESSION_FACES: dict[str, str] = dict(_DATA["expression_faces"])
# Creatures whose art has the expression drawn in (Fluent's cat faces).
EXPRESSION_VARIANTS: dict[tuple[str, str], str] = {
    (creature, expression): drawing
    for creature, drawings in _DATA["expression_variants"].items()
    for expression, drawing in drawings.items()
}
# The creature and expression a drawing shows, and the expression a face shows.
VARIANT_BASES: dict[str, tuple[str, str]] = {
    variant: key for key, variant in reversed(list(EXPRESSION_VARIANTS.items()))
}
FACE_EXPRESSIONS: dict[str, str] = {
    **{face: mood for mood, face in EXPRESSION_FACES.items()},
    **_DATA["face_expressions"],
}
# Elsewhere an expression is an effect beside the creature's head.
EXPRESSION_EFFECTS: dict[str, str] = dict(_DATA["expression_effects"])

# --- compositions --------------------------------------------------------------------------

LAYOUTS: dict[str, tuple[str, ...]] = _words_of(_DATA["layouts"])
LAYOUT_LABELS: dict[str, str] = dict(_DATA["layout_labels"])
# Intent phrases, most specific first; covers read as scenes do.
LAYOUT_RES = {
    family: tuple((name, re.compile(pattern, re.I)) for name, pattern in intents)
    for family, intents in _DATA["layout_intents"].items()
}
LAYOUT_RES["cover"] = LAYOUT_RES["scene"]

# --- subjects ------------------------------------------------------------------------------

# Streamer words and everyday names -> art concepts. Phrases are matched longest first.
SYNONYMS: dict[str, str] = dict(_DATA["synonyms"])
# Streamer context words: they say what the asset is for ("sub badge", "hype emote", "raid"),
# so they name its subject only when nothing else drawable is asked for.
CONTEXT_WORDS = _table(_DATA["words"]["context_words"]) | {"f in chat", "press f"}

# Concepts that are worn or held or float around a subject rather than being one themselves.
HEAD_ITEMS = _table(_DATA["accessories"]["head"])
FACE_ITEMS = _table(_DATA["accessories"]["face"])
AROUND_ITEMS = _table(_DATA["accessories"]["around"])
ACCESSORY_CUES = tuple(_DATA["accessories"]["cues"].split())

# Words that carry no art or are about the asset itself; never reported as unused.
STOP_WORDS = _table(_DATA["words"]["stop_words"])
