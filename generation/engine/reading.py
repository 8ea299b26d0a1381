"""What the engine understood from a creator's words: subject, accessories, expression, colours,
style, layout and on-image text, plus the words it could not use.

One reading serves the local art (what to draw), the Gemini prompt (a structured brief), the
Create page (shown live as the creator types) and the job's recipe (kept with the result). It is
a pure function of the words and the asset family, so the same prompt always reads the same.

Subjects are concepts of the Fluent Emoji art (``engine/art.py``), found through their names,
the emoji package's aliases and the streamer-word table of the vocabulary (``engine/vocabulary.py``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from . import art
from .reading_result import Accessory, Reading
from .vocabulary import (
    ACCESSORY_CUES,
    AROUND_ITEMS,
    CHAT_FAMILIES,
    CHAT_LAUGHS,
    COLOR_LOOKUP,
    COLOR_NAMES,
    COLOR_RE,
    COLOR_SHADES,
    CONTEXT_WORDS,
    EXPRESSION_EFFECTS,
    EXPRESSION_FACES,
    EXPRESSION_LOOKUP,
    EXPRESSION_VARIANTS,
    FACE_EXPRESSIONS,
    FACE_ITEMS,
    HEAD_ITEMS,
    HEX_RE,
    LAYOUT_RES,
    LAYOUTS,
    MOODS,
    STOP_WORDS,
    STYLE_LOOKUP,
    STYLE_WORDS,
    SYNONYMS,
    VARIANT_BASES,
    WEATHER,
    color_key,
    colour_name,
    normalise_hex,
    shade,
)
from .vocabulary import (
    LAYOUT_LABELS as LAYOUT_LABELS,  # read by the pages, the API and the coach through here
)


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
    return tuple(dict.fromkeys(STYLE_LOOKUP[w] for w in _words(words) if w in STYLE_LOOKUP))


_WORD_RE = re.compile(r"[a-z0-9][a-z0-9'’-]*")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|(?<![\w])'[^']+'(?![\w])")
_TEXT_CUE_RE = re.compile(
    r"\b(?:(?:that|it|which)\s+)?(?:says?|saying|reads?|reading)\s+(?P<a>[^.,;!?]+)"
    r"|\b(?:the\s+)?(?:text|headline|title|caption|label|words?)\s*(?:is\s+|should\s+be\s+|:\s*|=\s*)?"
    r"(?P<b>[A-Z0-9$#@][A-Z0-9!?'$%#@&:+ ]{1,40}[A-Z0-9!?%])(?=\W*$|\s*[.,;]|\s+(?:and|with|in|on)\b)",
)
# Shouted words set apart ("text only thumbnail, GG EZ in neon green"): two or more in capitals.
_CAPS_RE = re.compile(r"(?<![\w'])(?P<caps>[A-Z]{2,}[!?]?(?:\s+[A-Z]{2,}[!?]?)+)(?![\w'])")


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
    for name, pattern in LAYOUT_RES.get(family, ()):
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
            if n == 1 and (phrase in STYLE_LOOKUP or phrase in EXPRESSION_LOOKUP) and phrase not in SYNONYMS:
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
        if token in STYLE_LOOKUP:
            styles.append(STYLE_LOOKUP[token])
            scan.used[index] = True
        elif token in EXPRESSION_LOOKUP or (chat and token in CHAT_LAUGHS):
            expression = expression or EXPRESSION_LOOKUP.get(token, "laughing")
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
