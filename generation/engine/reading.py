"""What the engine understood from a creator's words: subject, accessories, expression, colours,
style, layout and on-image text, plus the words it could not use.

One reading serves the local art (what to draw), the Gemini prompt (a structured brief), the
Create page (shown live as the creator types) and the job's recipe (kept with the result). It is
a pure function of the words and the asset family, so the same prompt always reads the same.

Subjects are concepts of the Fluent Emoji art (``engine/art.py``), found through their names,
the emoji package's aliases and the streamer-word table below.
"""

from __future__ import annotations

import colorsys
import dataclasses
import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import art
from .colors import hex_to_rgb, rgb_to_hex

# The word tables (colour names, streamer synonyms, context and stop words) are data.
_DATA = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "reading.toml").read_text("utf-8"))


def _table(text: str) -> frozenset[str]:
    """A word table written as one string."""
    return frozenset(text.split())


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


# --- styles, expressions, layouts --------------------------------------------------------------

STYLE_WORDS: dict[str, tuple[str, ...]] = {
    "neon": (
        "neon",
        "cyberpunk",
        "cyber",
        "futuristic",
    ),
    "cozy": ("cozy", "cosy", "comfy", "wholesome", "lofi", "lo-fi", "warm", "snug", "chill", "chilled"),
    "retro": (
        "retro",
        "vintage",
        "80s",
        "90s",
        "old-school",
        "oldschool",
        "arcade",
        "synthwave",
        "vaporwave",
        "outrun",
    ),
    "pixel": ("pixel", "pixels", "pixelated", "pixel-art", "8bit", "8-bit", "16bit", "16-bit", "pixelart"),
    "pastel": ("pastel", "pastels", "soft", "dreamy"),
    "grunge": ("grunge", "grungy", "gritty", "dirty", "distressed", "punk", "edgy"),
    "minimal": ("minimal", "minimalist", "minimalistic", "clean", "simple", "flat", "sleek"),
    "comic": ("comic", "comics", "cartoon", "cartoony", "cartoonish", "manga", "anime", "pop-art", "popart"),
}
_STYLE_LOOKUP = {word: style for style, words in STYLE_WORDS.items() for word in words}

# Words that set the background's mood (when no style word does) and its weather.
MOODS: dict[str, tuple[str, ...]] = {name: tuple(words.split()) for name, words in _DATA["moods"].items()}
WEATHER: dict[str, tuple[str, ...]] = {name: tuple(words.split()) for name, words in _DATA["weather"].items()}


def first_of(tokens: list[str], table: dict[str, tuple[str, ...]]) -> str:
    """The first name in ``table`` whose words include one of ``tokens`` (in token order)."""
    for token in tokens:
        for name, vocabulary in table.items():
            if token in vocabulary:
                return name
    return ""


def style_keys(words: str) -> tuple[str, ...]:
    """The engine's styles a phrase names, in order: "8-bit synthwave" → ("pixel", "retro"),
    "anime" → ("comic",); () when it names none ("cinematic", "3D")."""
    return tuple(dict.fromkeys(_STYLE_LOOKUP[w] for w in _words(words) if w in _STYLE_LOOKUP))


# Expression -> its words, and what draws it: a face of its own, or an effect beside a creature.
EXPRESSIONS: dict[str, tuple[str, ...]] = {
    "angry": ("angry", "rage", "raging", "mad", "furious", "tilted", "tilt", "salty", "pissed", "rage-quit"),
    "crying": ("crying", "cry", "cries", "tears", "sobbing", "sob", "biblethump"),
    "sad": ("sad", "sadge", "unhappy", "depressed", "pensive", "feelsbadman"),
    "love": (
        "love",
        "loving",
        "heart-eyes",
        "hearteyes",
        "adore",
        "luv",
        "uwu",
        "lovestruck",
        "blush",
        "blushing",
    ),
    "laughing": ("laughing", "laugh", "lul", "kekw", "kek", "omegalul", "lulw"),
    "sleepy": (
        "sleepy",
        "sleeping",
        "asleep",
        "sleep",
        "tired",
        "nap",
        "napping",
        "snooze",
        "yawn",
        "bedtime",
    ),
    "shocked": ("shocked", "pog", "poggers", "pogchamp", "omg", "surprised", "wow", "shook", "gasp", "woah"),
    "cool": ("cool", "ez", "smug", "chad", "swag", "confident", "gigachad", "sunglasses-on"),
    "happy": ("happy", "smiling", "smile", "smiley", "grinning", "grin", "cheerful", "joy", "joyful"),
    "thinking": ("thinking", "think", "hmm", "hmmm", "thonk", "pondering", "curious"),
    "scared": (
        "scared",
        "monkas",
        "afraid",
        "terrified",
        "nervous",
        "spooked",
        "fear",
        "anxious",
        "sweating",
    ),
    "sick": ("sick", "ill", "nauseous", "queasy", "poisoned"),
}
_EXPRESSION_LOOKUP = {word: name for name, words in EXPRESSIONS.items() for word in words}
# Chat shorthand that is the creator's own aside on a video ("lmao") but an emote's whole idea.
CHAT_LAUGHS = frozenset({"lol", "lmao", "rofl", "haha", "lmfao"})
CHAT_FAMILIES = frozenset({"emote", "badge", "icon", "avatar"})
# A face of its own for an expression with no creature named.
EXPRESSION_FACES: dict[str, str] = {
    "angry": "pouting-face",
    "crying": "loudly-crying-face",
    "sad": "pensive-face",
    "love": "smiling-face-with-heart-eyes",
    "laughing": "face-with-tears-of-joy",
    "sleepy": "sleeping-face",
    "shocked": "face-screaming-in-fear",
    "cool": "smiling-face-with-sunglasses",
    "happy": "grinning-face",
    "thinking": "thinking-face",
    "scared": "fearful-face",
    "sick": "nauseated-face",
}
# Creatures whose art has the expression drawn in (Fluent's cat faces).
EXPRESSION_VARIANTS: dict[tuple[str, str], str] = {
    ("cat", "angry"): "pouting-cat",
    ("cat", "crying"): "crying-cat",
    ("cat", "sad"): "crying-cat",
    ("cat", "love"): "smiling-cat-with-heart-eyes",
    ("cat", "laughing"): "cat-with-tears-of-joy",
    ("cat", "shocked"): "weary-cat",
    ("cat", "scared"): "weary-cat",
    ("cat", "happy"): "grinning-cat",
    ("cat", "cool"): "cat-with-wry-smile",
    ("monkey", "shocked"): "see-no-evil-monkey",
}
# The creature and expression a drawing shows, and the expression a face shows.
VARIANT_BASES: dict[str, tuple[str, str]] = {
    variant: key for key, variant in reversed(list(EXPRESSION_VARIANTS.items()))
}
FACE_EXPRESSIONS: dict[str, str] = {
    **{face: mood for mood, face in EXPRESSION_FACES.items()},
    "sleepy-face": "sleepy",
    "crying-face": "crying",
    "angry-face": "angry",
    "enraged-face": "angry",
    "smiling-face-with-hearts": "love",
    "grinning-squinting-face": "laughing",
    "rolling-on-the-floor-laughing": "laughing",
    "astonished-face": "shocked",
    "face-with-open-mouth": "shocked",
    "anxious-face-with-sweat": "scared",
    "face-with-thermometer": "sick",
    "disappointed-face": "sad",
    "yawning-face": "sleepy",
}
# Elsewhere an expression is an effect beside the creature's head.
EXPRESSION_EFFECTS: dict[str, str] = {
    "angry": "anger-symbol",
    "crying": "sweat-droplets",
    "sad": "sweat-droplets",
    "love": "two-hearts",
    "laughing": "sweat-droplets",
    "sleepy": "zzz",
    "shocked": "collision",
    "cool": "sunglasses",
    "happy": "sparkles",
    "thinking": "thought-balloon",
    "scared": "sweat-droplets",
    "sick": "nauseated-face",
}

LAYOUTS: dict[str, tuple[str, ...]] = {
    "thumbnail": ("big_subject", "reaction", "versus", "top_list", "before_after", "title_card"),
    "banner": ("flanked", "hero", "pattern"),
    "scene": ("spotlight", "split", "pattern"),
    "panel": ("icon_left", "icon_right", "pattern"),
    "cover": ("spotlight", "split", "pattern"),
}
LAYOUT_LABELS: dict[str, str] = {
    "big_subject": "big subject and headline",
    "reaction": "reaction with a callout",
    "versus": "versus split",
    "top_list": "top-N list",
    "before_after": "before and after",
    "title_card": "centred title card",
    "flanked": "art on both sides of the name",
    "hero": "big subject beside the name",
    "pattern": "repeating pattern",
    "spotlight": "subject above the title",
    "split": "subject beside the title",
    "icon_left": "icon on the left",
    "icon_right": "icon on the right",
}
# Intent phrases, most specific first ("day 1 vs day 100" is a before/after, not a versus).
_LAYOUT_INTENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "thumbnail": (
        (
            "before_after",
            r"before\s*(?:and|&|/|vs\.?|->|to)\s*after|then\s*(?:and|vs\.?|/)\s*now|day\s*\d+\s*(?:vs\.?|to|->)\s*day"
            r"|noob\s+(?:to|->)\s+pro|zero\s+to\s+hero|glow[\s-]?up|transformation|progress(?:ion)?\s+from",
        ),
        (
            "top_list",
            r"\btop\s*\d+|\btop\s+(?:three|five|ten)\b|\bbest\s+\d+|\b\d+\s+(?:tips|tricks|things|reasons|ways|mistakes|"
            r"best|worst|games|settings)|ranking|ranked\s+list|tier\s*list|countdown\s+of",
        ),
        (
            "versus",
            r"\bvs\.?\b|\bversus\b|\b1\s*v\s*1\b|\bagainst\b|\bor\s+\w+\s*\?|\bface[\s-]?off\b|\bshowdown\b|\bcompared\b|\bcomparison\b",
        ),
        (
            "reaction",
            r"\breact(?:s|ing|ion)?\b|\bcircle\s+(?:and|with)\s+(?:an\s+)?arrow|\barrow\s+pointing|\bpointing\s+at\b|"
            r"\bmy\s+(?:shocked\s+)?face\b",
        ),
        (
            "title_card",
            r"title\s+card|just\s+(?:the\s+)?(?:title|text)|text[\s-]only|only\s+(?:the\s+)?text|big\s+title\s+in\s+the\s+middle"
            r"|centred\s+title|centered\s+title|episode\s+title|no\s+(?:subject|character|image)",
        ),
        (
            "big_subject",
            r"\bgiant\b|\bhuge\b|\bmassive\b|\benormous\b|close[\s-]?up|\bshowcase\b|\bbig\s+\w+\s+(?:in\s+front|filling)",
        ),
    ),
    "banner": (
        ("pattern", r"pattern|tiled|tiling|repeat(?:ing|ed)?|wallpaper|scattered|all\s+over"),
        (
            "flanked",
            r"both\s+(?:sides|ends)|either\s+side|each\s+side|left\s+and\s+right|on\s+the\s+sides|flank"
            r"|on\s+one\s+(?:end|side)",
        ),
        (
            "hero",
            r"(?:next\s+to|beside)\s+(?:my\s+|the\s+)?(?:channel\s+)?(?:name|title)|"
            r"on\s+the\s+(?:left|right)(?!\s+and)|\bbig\s+(?:mascot|character|subject)|\bhero\b",
        ),
    ),
    "scene": (
        (
            "pattern",
            r"pattern|tiled|tiling|repeat(?:ing|ed)?|scattered|floating\s+(?:all\s+)?around|all\s+over",
        ),
        (
            "split",
            r"\bsplit\b|on\s+the\s+(?:left|right)|(?:left|right)\s+side|on\s+(?:one|the)\s+side|beside\s+the\s+title"
            r"|to\s+the\s+side",
        ),
        (
            "spotlight",
            r"cent(?:re|er)\s+stage|in\s+the\s+(?:middle|center|centre)|spotlight|above\s+the\s+title",
        ),
    ),
}
_LAYOUT_INTENTS["panel"] = (
    ("pattern", r"pattern|tiled|tiling|repeat(?:ing|ed)?|scattered|all\s+over"),
    ("icon_right", r"(?:icon|art|picture|image)\s+on\s+the\s+right|right[\s-]aligned\s+icon"),
    ("icon_left", r"(?:icon|art|picture|image)\s+on\s+the\s+left"),
)
_LAYOUT_RES = {
    family: tuple((name, re.compile(pattern, re.I)) for name, pattern in intents)
    for family, intents in _LAYOUT_INTENTS.items()
}
_LAYOUT_RES["cover"] = _LAYOUT_RES["scene"]

# --- subjects ------------------------------------------------------------------------------

# Streamer words and everyday names -> art concepts. Phrases are matched longest first.
SYNONYMS: dict[str, str] = dict(_DATA["synonyms"])
# Streamer context words: they say what the asset is for ("sub badge", "hype emote", "raid"),
# so they name its subject only when nothing else drawable is asked for.
CONTEXT_WORDS = _table(_DATA["words"]["context_words"]) | {"f in chat", "press f"}

# Concepts that are worn or held or float around a subject rather than being one themselves.
HEAD_ITEMS = frozenset(
    {
        "crown",
        "top-hat",
        "billed-cap",
        "womans-hat",
        "graduation-cap",
        "rescue-workers-helmet",
        "military-helmet",
        "scarf",
    }
)
FACE_ITEMS = frozenset({"sunglasses", "glasses", "goggles", "headphone"})
AROUND_ITEMS = frozenset(
    {
        "sparkles",
        "two-hearts",
        "red-heart",
        "anger-symbol",
        "sweat-droplets",
        "droplet",
        "zzz",
        "collision",
        "fire",
        "high-voltage",
        "glowing-star",
        "star",
        "musical-notes",
        "thought-balloon",
        "party-popper",
        "confetti-ball",
        "snowflake",
        "money-with-wings",
    }
)
ACCESSORY_CUES = (
    "with",
    "wearing",
    "holding",
    "has",
    "having",
    "plus",
    "in",
    "on",
    "w",
    "carrying",
    "wielding",
    "wears",
)


# Words that carry no art or are about the asset itself; never reported as unused.
STOP_WORDS = _table(_DATA["words"]["stop_words"])

_WORD_RE = re.compile(r"[a-z0-9][a-z0-9'’-]*")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|(?<![\w])'[^']+'(?![\w])")
_TEXT_CUE_RE = re.compile(
    r"\b(?:(?:that|it|which)\s+)?(?:says?|saying|reads?|reading)\s+(?P<a>[^.,;!?]+)"
    r"|\b(?:the\s+)?(?:text|headline|title|caption|label|words?)\s*(?:is\s+|should\s+be\s+|:\s*|=\s*)?"
    r"(?P<b>[A-Z0-9$#@][A-Z0-9!?'$%#@&:+ ]{1,40}[A-Z0-9!?%])(?=\W*$|\s*[.,;]|\s+(?:and|with|in|on)\b)",
)
# Shouted words set apart ("text only thumbnail, GG EZ in neon green"): two or more in capitals.
_CAPS_RE = re.compile(r"(?<![\w'])(?P<caps>[A-Z]{2,}[!?]?(?:\s+[A-Z]{2,}[!?]?)+)(?![\w'])")


@dataclass(frozen=True)
class Accessory:
    concept: str
    place: str  # head | face | hand | around

    def to_json(self) -> dict[str, str]:
        return {"concept": self.concept, "place": self.place}


@dataclass(frozen=True)
class Reading:
    """What the engine will draw for a prompt."""

    subjects: tuple[str, ...] = ()  # art concepts, main first
    accessories: tuple[Accessory, ...] = ()
    expression: str = ""
    colours: tuple[tuple[str, str], ...] = ()  # (as written, #RRGGBB)
    styles: tuple[str, ...] = ()
    layout: str = ""  # an intent from LAYOUTS; "": the seed chooses
    text: str = ""  # on-image words found in the prompt
    unused: tuple[str, ...] = ()  # words it could not use
    base: str = ""  # a pack's shared description, when the reading includes one
    number: str = ""  # a top-N list's number ("5" in "top 5 settings")
    mood: str = ""  # a key of MOODS the words set ("ranked grind" → hype)
    weather: str = ""  # a key of WEATHER ("rainy" → rain)

    @property
    def hexes(self) -> tuple[str, ...]:
        return tuple(value for _, value in self.colours)

    def to_json(self) -> dict[str, Any]:
        return {
            "subjects": list(self.subjects),
            "accessories": [a.to_json() for a in self.accessories],
            "expression": self.expression,
            "colours": [{"word": word, "hex": value} for word, value in self.colours],
            "styles": list(self.styles),
            "layout": self.layout,
            "number": self.number,
            "mood": self.mood,
            "weather": self.weather,
            "text": self.text,
            "unused": list(self.unused),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Reading:
        data = data or {}
        return cls(
            subjects=tuple(data.get("subjects", ())),
            accessories=tuple(
                Accessory(concept=a["concept"], place=a.get("place", "around"))
                for a in data.get("accessories", ())
            ),
            expression=data.get("expression", ""),
            colours=tuple((c["word"], c["hex"]) for c in data.get("colours", ())),
            styles=tuple(data.get("styles", ())),
            layout=data.get("layout", ""),
            number=data.get("number", ""),
            mood=data.get("mood", ""),
            weather=data.get("weather", ""),
            text=data.get("text", ""),
            unused=tuple(data.get("unused", ())),
        )

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows for people: what will be drawn."""
        rows: list[tuple[str, str]] = []
        if self.subjects:
            rows.append(("Subject", ", ".join(label(s) for s in self.subjects)))
        if self.accessories:
            rows.append(("With", ", ".join(label(a.concept) for a in self.accessories)))
        if self.expression:
            rows.append(("Expression", self.expression))
        if self.colours:
            rows.append(("Colours", ", ".join(f"{word} {value}" for word, value in self.colours)))
        if self.styles:
            rows.append(("Style", ", ".join(self.styles)))
        if self.mood and self.mood not in self.styles:
            rows.append(("Mood", self.mood))
        if self.weather:
            rows.append(("Weather", WEATHER_LABELS.get(self.weather, self.weather)))
        if self.layout:
            layout_label = LAYOUT_LABELS.get(self.layout, self.layout)
            rows.append(("Layout", f"{layout_label} ({self.number})" if self.number else layout_label))
        if self.text:
            rows.append(("Text", self.text))
        return rows

    def colour_rule(self) -> str:
        """Where the colours come from, in words: "teal and purple from your words, fonts and logo
        from your kit"."""
        if not self.colours:
            return "Colours, fonts and logo from your kit"
        names = [word for word, _ in self.colours]
        said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{said[:1].upper()}{said[1:]} from your words, fonts and logo from your kit"


WEATHER_LABELS = {"rain": "rain", "snow": "snow", "night": "night sky"}


def label(concept: str) -> str:
    """A concept's name for people: ``smiling-cat-with-heart-eyes`` → "smiling cat with heart eyes"."""
    return concept.replace("-", " ")


@functools.cache
def _phrases() -> dict[str, str]:
    """Every phrase that names a concept (names, aliases, synonyms), as space-separated words."""
    table: dict[str, str] = {}
    concepts = art.catalogue()
    for name in concepts:
        table[name.replace("-", " ")] = name
    for name, concept in concepts.items():
        # An alias never takes a concept's own name ("cat" is the cat, not the alias of cat-face).
        for alias in concept.aliases:
            # "1" (thumbs down), "100", "vs": numbers and letters in prompts are rarely drawings.
            if len(alias) > 2 and not alias.isdigit():
                table.setdefault(alias.replace("-", " "), name)
    for phrase, name in SYNONYMS.items():
        if not name or art.exists(name):
            table[phrase] = name
    return table


@functools.cache
def _longest_phrase() -> int:
    return max(len(phrase.split()) for phrase in _phrases())


def _singulars(word: str) -> tuple[str, ...]:
    """What a plural may be the plural of: "skulls" → skull, "boxes" → box, "roses" → rose."""
    found = []
    if word.endswith("ies") and len(word) > 4:
        found.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        found.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        found.append(word[:-1])
    return tuple(found)


def _lookup(phrase: str) -> str | None:
    table = _phrases()
    if phrase in table:
        return table[phrase]
    *head, last = phrase.split()
    for singular in _singulars(last):
        candidate = " ".join([*head, singular])
        if candidate in table:
            return table[candidate]
    return None


def _place(concept: str) -> str:
    if concept in HEAD_ITEMS:
        return "head"
    if concept in FACE_ITEMS:
        return "face"
    if concept in AROUND_ITEMS:
        return "around"
    return "hand"


def _strip_text(prompt: str) -> tuple[str, str]:
    """The prompt without its on-image words, and those words."""
    text = ""
    quoted = _QUOTED_RE.search(prompt)
    if quoted:
        text = quoted.group()[1:-1].strip()
    rest = _QUOTED_RE.sub(" ", prompt)
    cue = _TEXT_CUE_RE.search(rest)
    if cue:
        found = (cue.group("a") or cue.group("b") or "").strip()
        if not text and found:
            text = found
        rest = rest[: cue.start()] + " " + rest[cue.end() :]
    if not text:
        for caps in _CAPS_RE.finditer(rest):
            words = caps.group("caps").split()
            if not any(COLOR_RE.fullmatch(word) for word in words):
                text = caps.group("caps")
                rest = rest[: caps.start()] + " " + rest[caps.end() :]
                break
    return rest, text


def split_text(prompt: str) -> tuple[str, str]:
    """A prompt's on-image words apart from the rest, as the reading finds them (quoted, after
    "text"/"headline"/"says", or two or more shouted words): ("me winning a clutch, ", "CLUTCH KING")."""
    return _strip_text(" ".join((prompt or "").split()))


def read(prompt: str, *, family: str = "", text: str = "", base: str = "", avoid: str = "") -> Reading:
    """Read a prompt (and a pack's shared ``base`` description) for an asset ``family``."""
    return _read(prompt or "", family, text or "", base or "", avoid or "")


@functools.lru_cache(maxsize=1024)
def _read(prompt: str, family: str, text: str, base: str, avoid: str) -> Reading:
    own = _read_one(prompt, family)
    found_text = text.strip() or own.text
    if not base.strip() or base.strip().lower() == prompt.strip().lower():
        reading = own
    else:
        shared = _read_one(base, family)
        # The pack's description is the base of every item; the item adds its idea on top.
        subjects = shared.subjects or own.subjects
        extra = tuple(s for s in own.subjects if s not in subjects) if shared.subjects else ()
        accessories = list(shared.accessories)
        for item in (*own.accessories, *(Accessory(s, _place(s)) for s in extra)):
            if item.concept not in {a.concept for a in accessories}:
                accessories.append(item)
        reading = Reading(
            subjects=subjects,
            accessories=tuple(accessories),
            expression=own.expression or shared.expression,
            colours=tuple(dict.fromkeys(own.colours + shared.colours)),
            styles=tuple(dict.fromkeys(own.styles + shared.styles)),
            layout=own.layout or shared.layout,
            text=own.text,
            unused=tuple(dict.fromkeys(shared.unused + own.unused)),
            base=base.strip(),
            mood=own.mood or shared.mood,
            weather=own.weather or shared.weather,
        )
    if found_text != reading.text:
        reading = dataclasses.replace(reading, text=found_text)
    if not reading.mood and found_text:
        # The words set on the asset set its mood too ("CLUTCH KING" is a hype thumbnail).
        reading = dataclasses.replace(reading, mood=first_of(_words(found_text), MOODS))
    if avoid.strip():
        banned = {_lookup(w) for w in _words(avoid)} | set(_words(avoid))
        reading = dataclasses.replace(
            reading,
            subjects=tuple(s for s in reading.subjects if s not in banned),
            accessories=tuple(a for a in reading.accessories if a.concept not in banned),
            styles=tuple(s for s in reading.styles if s not in banned),
            mood="" if reading.mood in banned else reading.mood,
            weather="" if reading.weather in banned else reading.weather,
        )
    if reading.layout == "top_list" and not reading.number:
        reading = dataclasses.replace(reading, number=list_number(f"{base} {prompt}"))
    return reading


_NUMBER_WORDS = {"three": "3", "five": "5", "ten": "10", "seven": "7", "twenty": "20"}
_LIST_NUMBER_RE = re.compile(
    r"\b(?:top|best)\s*(?P<a>\d{1,3}|three|five|seven|ten|twenty)\b|\b(?P<b>\d{1,3})\s+(?:tips|tricks|things|reasons|"
    r"ways|mistakes|best|worst|games|settings)\b",
    re.I,
)


def list_number(prompt: str) -> str:
    """The N of a top-N list ("top 5 settings" → "5"); "" when none is written."""
    found = _LIST_NUMBER_RE.search(prompt)
    if not found:
        return ""
    value = (found.group("a") or found.group("b")).lower()
    return _NUMBER_WORDS.get(value, value)


def understand(
    prompt: str,
    *,
    family: str,
    text: str = "",
    base: str = "",
    avoid: str = "",
    layout: str = "",
    style: str = "",
    colours: tuple[str, ...] = (),
) -> Reading:
    """The reading of a request with the decisions made outside its words (a coach brief's
    layout, style and colours; Create's choices) over what the words say."""
    reading = read(prompt, family=family, text=text, base=base, avoid=avoid)
    changes: dict[str, Any] = {}
    if layout and layout in LAYOUTS.get(family, ()):
        changes["layout"] = layout
        if layout == "top_list" and not reading.number:
            changes["number"] = list_number(f"{text} {base} {prompt}")
    if style and style in STYLE_WORDS:
        changes["styles"] = (style, *(s for s in reading.styles if s != style))
    chosen = [normalise_hex(c.lstrip("#")) for c in colours if HEX_RE.fullmatch(c.strip())]
    if chosen:
        by_hex = {value: word for word, value in reading.colours}
        changes["colours"] = tuple(
            (by_hex.get(value) or colour_name(value), value) for value in dict.fromkeys(chosen)
        )
    return dataclasses.replace(reading, **changes) if changes else reading


def _words(text: str) -> list[str]:
    return [w.strip("'’-") for w in _WORD_RE.findall(text.lower()) if w.strip("'’-")]


@dataclass
class _Scan:
    tokens: list[str]
    used: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.used = [False] * len(self.tokens)


def _read_one(prompt: str, family: str) -> Reading:
    rest, text = _strip_text(" ".join(prompt.split()))
    rest = re.sub(r"\bcomic\s+book\b", "comic", rest, flags=re.I)

    colours: list[tuple[int, str, str]] = []

    def take_hex(match: re.Match[str]) -> str:
        colours.append((match.start(), match.group(), normalise_hex(match.group("hex"))))
        return " " * len(match.group())

    def take_colour(match: re.Match[str]) -> str:
        word = " ".join(match.group().lower().split())
        value = COLOR_LOOKUP[color_key(match.group("name"))]
        if match.group("shade"):
            value = shade(value, COLOR_SHADES[match.group("shade").lower()])
        colours.append((match.start(), word, value))
        return " " * len(match.group())

    layout = ""
    for name, pattern in _LAYOUT_RES.get(family, ()):
        if pattern.search(rest):
            layout = name
            break

    # Concept phrases that contain a colour word ("red heart", "black cat") are things, not
    # colours; a colour of two words ("baby blue", "hot pink") is a colour before it is a baby.
    scan = _Scan(_words(HEX_RE.sub(take_hex, rest)))
    tokens = scan.tokens
    for k in range(len(tokens) - 1):
        pair = f"{tokens[k]} {tokens[k + 1]}"
        if color_key(pair) in COLOR_LOOKUP and " " in next(
            n for n in COLOR_NAMES if color_key(n) == color_key(pair)
        ):
            colours.append((k * 1000, pair, COLOR_LOOKUP[color_key(pair)]))
            scan.used[k] = scan.used[k + 1] = True
    concepts: list[tuple[int, str, bool]] = []  # (token index, concept, named by a context word)
    longest = _longest_phrase()
    i = 0
    while i < len(tokens):
        matched = False
        for n in range(min(longest, len(tokens) - i), 0, -1):
            if any(scan.used[i : i + n]):
                continue
            phrase = " ".join(tokens[i : i + n])
            if n == 1 and (phrase in STOP_WORDS and phrase not in SYNONYMS):
                break
            if n == 1 and COLOR_RE.fullmatch(phrase):
                break
            found = _lookup(phrase)
            if found is None:
                continue
            if (
                n == 1
                and (phrase in _STYLE_LOOKUP or phrase in _EXPRESSION_LOOKUP)
                and phrase not in SYNONYMS
            ):
                break
            for k in range(i, i + n):
                scan.used[k] = True
            if found:
                concepts.append((i, found, phrase in CONTEXT_WORDS))
            i += n
            matched = True
            break
        if not matched:
            i += 1

    # Colours in what is left (the words of concepts already taken stay out of it).
    remaining = " ".join(t if not u else "_" for t, u in zip(tokens, scan.used, strict=True))
    COLOR_RE.sub(take_colour, remaining)
    for index, token in enumerate(tokens):
        if scan.used[index]:
            continue
        if COLOR_RE.fullmatch(token) or token in COLOR_SHADES:
            scan.used[index] = True

    chat = family in CHAT_FAMILIES
    styles: list[str] = []
    expression = ""
    for index, token in enumerate(tokens):
        if scan.used[index]:
            continue
        if token in _STYLE_LOOKUP:
            styles.append(_STYLE_LOOKUP[token])
            scan.used[index] = True
        elif token in _EXPRESSION_LOOKUP or (chat and token in CHAT_LAUGHS):
            expression = expression or _EXPRESSION_LOOKUP.get(token, "laughing")
            scan.used[index] = True
    # "pixel art" reads as pixel style, not as a painting.
    concepts = [c for c in concepts if not (c[1] == "artist-palette" and "pixel" in styles)]
    # Context words ("sub badge", "hype emote") draw only when nothing else is named, and never
    # on a video about the creator themselves ("me winning a clutch": their photo is the subject).
    about_me = not chat and bool({"me", "myself", "i"} & set(tokens))
    if about_me or any(not weak for _, _, weak in concepts):
        concepts = [c for c in concepts if not c[2]]

    # A drawing with the expression in it ("crying cat") is the creature with that expression; a
    # face named beside a creature ("coffee with a sleepy face") is the creature's expression.
    named: list[tuple[int, str]] = []
    creatures = [c for _, c, _ in concepts if c not in FACE_EXPRESSIONS and c not in VARIANT_BASES]
    for position, name, _ in concepts:
        if name in VARIANT_BASES:
            base_name, mood = VARIANT_BASES[name]
            expression = expression or mood
            name = base_name
        elif name in FACE_EXPRESSIONS and creatures:
            expression = expression or FACE_EXPRESSIONS[name]
            continue
        elif name in FACE_EXPRESSIONS:
            expression = expression or FACE_EXPRESSIONS[name]
        elif name.endswith("-face") and art.exists(name.removesuffix("-face")):
            name = name.removesuffix("-face")
        named.append((position, name))

    subjects: list[str] = []
    accessories: list[Accessory] = []
    for position, name in named:
        before = tokens[max(0, position - 3) : position]
        cued = any(word in ACCESSORY_CUES for word in before)
        wearable = name in HEAD_ITEMS or name in FACE_ITEMS
        if subjects and (cued or wearable or name in AROUND_ITEMS):
            if name not in {a.concept for a in accessories} and name not in subjects:
                accessories.append(Accessory(name, _place(name)))
        elif not subjects and wearable and any(c not in HEAD_ITEMS | FACE_ITEMS for _, c in named[1:]):
            # "a crown on a cat": the wearer comes later.
            accessories.append(Accessory(name, _place(name)))
        elif name not in subjects:
            subjects.append(name)
    if not subjects and accessories and not expression:
        subjects.append(accessories.pop(0).concept)
    if not subjects and expression and chat:
        subjects.append(EXPRESSION_FACES[expression])

    mood = first_of(tokens, MOODS)
    weather = first_of(tokens, WEATHER)
    atmosphere = set(MOODS.get(mood, ())) | set(WEATHER.get(weather, ()))
    unused = [
        token
        for index, token in enumerate(tokens)
        if not scan.used[index]
        and token not in STOP_WORDS
        and token not in atmosphere
        and not token.isdigit()
        and len(token) > 1
    ]
    return Reading(
        subjects=tuple(subjects[:3]),
        accessories=tuple(accessories[:3]),
        expression=expression,
        colours=tuple(dict.fromkeys((word, value) for _, word, value in sorted(colours))),
        styles=tuple(dict.fromkeys(styles)),
        layout=layout,
        text=text,
        unused=tuple(dict.fromkeys(unused)),
        mood=mood,
        weather=weather,
    )


def art_concept(reading: Reading, family: str) -> str:
    """The drawing for the main subject: its expression variant or face where the art has one."""
    if not reading.subjects:
        return ""
    subject = reading.subjects[0]
    if reading.expression:
        variant = EXPRESSION_VARIANTS.get((subject, reading.expression))
        if variant:
            return variant
        if subject in EXPRESSION_FACES.values() or subject.endswith("-face"):
            own = EXPRESSION_FACES.get(reading.expression)
            if own and subject in set(EXPRESSION_FACES.values()) | {"grinning-face"}:
                return own
    if family in ("emote", "badge", "icon", "avatar") and art.exists(f"{subject}-face"):
        return f"{subject}-face"
    return subject


def effects(reading: Reading, concept: str) -> tuple[Accessory, ...]:
    """The accessories to draw: the reading's own, plus an expression's effect when the drawing
    does not show the expression itself (a frog is angry with an anger mark beside it)."""
    items = list(reading.accessories)
    subject = reading.subjects[0] if reading.subjects else ""
    plain = concept in (subject, f"{subject}-face")
    effect = EXPRESSION_EFFECTS.get(reading.expression, "")
    shown = {a.concept for a in items}
    if (
        plain
        and effect
        and art.exists(effect)
        and effect not in shown
        and concept not in EXPRESSION_FACES.values()
    ):
        items.append(Accessory(effect, _place(effect)))
    return tuple(items)
