"""The local coach's reading of one message: every brief field it decides, and the words no
table recognised (the subject, when they are introduced as one).

Word tables (``tables``) and patterns (``patterns``) take platform and asset words, styles,
moods, hex codes, quoted text, "no X" and composition phrases; the engine's own reading
(``generation.engine.reading``) decides which colour words are colours, the style keys, the
on-image text and the layout the words ask for on the target's family. What they take is left
out of the subject, so the subject is only what the image shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.colors import normalize_hex
from generation.engine.reading import read as engine_read
from generation.engine.reading import split_text, style_keys

from .brief import brand_colors, resolve_target, target_of
from .patterns import (
    ARTICLE_RE,
    AVOID_RE,
    BRAND_COLORS_RE,
    BRAND_STYLE_RE,
    CLAUSE_RE,
    COLOR_RE,
    COMPOSITION_RE,
    CONCEPT_RE,
    CORRECTION_RE,
    CUE_RE,
    DISCARD_RE,
    ENGINE_STYLE_RE,
    FILLER_RE,
    HEX_RE,
    MOOD_RE,
    NAMED_TEXT_RE,
    NAMING_RE,
    PLATFORM_RE,
    POSITION_RE,
    QUOTED_RE,
    REPEATED_SEPARATOR_RE,
    RESET_RE,
    SPACE_BEFORE_PUNCTUATION_RE,
    SPACES_RE,
    STYLE_RE,
    TEXT_CUE_RE,
    WORD_RE,
)
from .tables import (
    ARTICLES,
    ASSET_CONCEPTS,
    COMPOSITIONS,
    LEAD_WORDS,
    MOODS,
    PLATFORM_WORDS,
    STOP_WORDS,
    STYLES,
    TRAIL_WORDS,
    AssetConcept,
)
from .types import MAX_TEXT, BrandContext, Brief, TargetOption
from .wording import as_subject, clip, split_list

MAX_MESSAGE = 2000  # characters read from one message: more is never a brief


@dataclass(frozen=True)
class Reading:
    """Everything one message says, before it is folded into the conversation's brief."""

    brief: Brief  # the fields this message decides (empty: not mentioned)
    leftover: str = ""  # the words no table recognised, tidied ("a cat with a crown")
    cue: bool = False  # the leftover was introduced as a subject ("of …", "featuring …")
    correction: bool = False  # "actually", "instead" …: the leftover replaces the subject
    reset: bool = False  # "start over": the brief before this message is dropped
    named_platform: str = ""  # a platform the creator named, offered or not
    concept: AssetConcept | None = None  # the asset the creator named
    brand_colors_asked: bool = False
    text_clipped: bool = False


def read(
    text: str, brand: BrandContext, targets: Sequence[TargetOption], current: Brief | None = None
) -> Reading:
    """Read one message: every field it decides, plus the words no table recognised.

    ``current`` is the brief before the message; it only steers which target a bare asset or
    platform word means ("banner" on a YouTube brief is the YouTube channel banner).
    """
    rest = text[:MAX_MESSAGE]
    rest, reset = _take_reset(rest)
    current = Brief() if reset or current is None else current
    said = rest
    rest, on_image, names_kept, clipped = _take_quotes(rest)
    rest, avoid = _take_avoid(rest)
    rest = DISCARD_RE.sub(" ", rest)
    rest, colors, brand_colors_asked = _take_colors(rest, brand, engine_read(said).colours)
    rest, style = _take_brand_style(rest, brand)
    rest, composition = _take_composition(rest)
    if not on_image and not names_kept:
        rest, on_image, clipped = _take_text_cue(rest)
    rest, platform = _take_first(rest, PLATFORM_RE, [key for key, _ in PLATFORM_WORDS])
    rest, concept_name = _take_first(rest, CONCEPT_RE, [c.name for c in ASSET_CONCEPTS])
    concept = next((c for c in ASSET_CONCEPTS if c.name == concept_name), None)
    rest, styles = _take_all(rest, STYLE_RE, [name for name, _ in STYLES])
    rest, moods = _take_all(rest, MOOD_RE, [name for name, _ in MOODS])
    rest, engine_styles = _take_all_words(rest, ENGINE_STYLE_RE)
    if not on_image and not names_kept and not text.isupper():
        # What the engine would set as text ("GG EZ" shouted in a sentence), once the asset and
        # platform words ("OBS BRB") are out of the way; a message shouted whole is not its text.
        rest, on_image, clipped = _take_engine_text(rest)
    target = resolve_target(platform, concept, current, targets)
    offered_platform = platform if any(t.platform == platform for t in targets) else ""
    correction = bool(CORRECTION_RE.search(text))
    leftover, cue = _leftover(rest)
    on = target or target_of(current, targets)
    decided = Brief(
        platform=target.platform if target else offered_platform,
        asset_type=target.asset_type if target else "",
        style=style_field([style] if style else [*styles, *engine_styles]),
        mood=clip(", ".join(moods)),
        colors=colors,
        text=on_image,
        layout=engine_read(said, family=on.family).layout if on else "",
        composition=clip(composition),
        avoid=clip(avoid),
    )
    return Reading(
        brief=decided,
        leftover=leftover,
        cue=cue,
        correction=correction,
        reset=reset,
        named_platform=platform,
        concept=concept,
        brand_colors_asked=brand_colors_asked,
        text_clipped=clipped,
    )


def read_message(
    text: str, brand: BrandContext, targets: Sequence[TargetOption], current: Brief | None = None
) -> Brief:
    """The brief fields this message decides; its unrecognised words become the subject when
    they are introduced as one ("of a cat", "featuring my mascot") or the brief has none yet."""
    reading = read(text, brand, targets, current)
    has_subject = bool(current and current.subject and not reading.reset)
    if reading.leftover and has_content(reading.leftover) and (reading.cue or not has_subject):
        return replace(reading.brief, subject=as_subject(reading.leftover))
    return reading.brief


def _take_reset(text: str) -> tuple[str, bool]:
    stripped, count = RESET_RE.subn(" ", text)
    return stripped, count > 0


def _take_quotes(text: str) -> tuple[str, str, bool, bool]:
    """Quoted words become on-image text, except a quoted name ("called “Bitsy”"), which stays."""
    found: list[str] = []
    names_kept = False

    def take(match: re.Match[str]) -> str:
        nonlocal names_kept
        inner = next(group for group in match.groups() if group is not None).strip()
        if NAMING_RE.search(match.string[: match.start()]):
            names_kept = True
            return inner
        found.append(inner)
        return " "

    rest = QUOTED_RE.sub(take, text)
    on_image = " ".join(" ".join(found).split())
    return rest, on_image[:MAX_TEXT].rstrip(), names_kept, len(on_image) > MAX_TEXT


def _take_avoid(text: str) -> tuple[str, str]:
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        what = _strip_words(match.group("what").split(), ARTICLES, TRAIL_WORDS)
        if what:
            found.append(" ".join(what))
        return " "

    rest = AVOID_RE.sub(take, text)
    return rest, ", ".join(dict.fromkeys(found))


def _take_colors(
    text: str, brand: BrandContext, engine_colours: Sequence[tuple[str, str]]
) -> tuple[str, tuple[str, ...], bool]:
    """Hex codes, colour names used as colours, and "my brand colours", in the order written.

    A colour word is a colour when the engine's reading of the message (``engine_colours``:
    word as written, hex) takes it as one; one that names a thing ("a black cat", "a red heart")
    stays in the subject, as the art draws it.
    """
    found: list[tuple[int, tuple[str, ...]]] = []
    asked_brand = False
    colour_words: dict[str, list[str]] = {}
    for word, value in engine_colours:
        if not word.startswith("#"):
            colour_words.setdefault(word, []).append(value)

    def take_brand(match: re.Match[str]) -> str:
        nonlocal asked_brand
        asked_brand = True
        found.append((match.start(), brand_colors(brand)))
        return " " * len(match.group())

    def take_hex(match: re.Match[str]) -> str:
        found.append((match.start(), (normalize_hex(match.group("hex")),)))
        return " " * len(match.group())

    def take_name(match: re.Match[str]) -> str:
        values = colour_words.get(" ".join(match.group().lower().split()))
        if not values:
            return match.group()
        found.append((match.start(), (values.pop(0),)))
        return " " * len(match.group())

    # Same-length blanks keep the positions comparable across the three passes.
    rest = BRAND_COLORS_RE.sub(take_brand, text)
    rest = HEX_RE.sub(take_hex, rest)
    rest = COLOR_RE.sub(take_name, rest)
    ordered = [value for _, values in sorted(found, key=lambda item: item[0]) for value in values]
    return rest, tuple(dict.fromkeys(ordered))[:6], asked_brand


def _take_brand_style(text: str, brand: BrandContext) -> tuple[str, str]:
    """ "My brand style" or the kit's own style words ("bold neon") -> the kit's style."""
    if not brand.style:
        return text, ""
    own = re.compile(rf"(?<!\w){re.escape(brand.style)}(?!\w)", re.IGNORECASE)
    rest, count = own.subn(" ", text)
    rest, count_named = BRAND_STYLE_RE.subn(" ", rest)
    return rest, brand.style if count or count_named else ""


def _take_composition(text: str) -> tuple[str, str]:
    found: list[tuple[int, str]] = []

    def take_position(match: re.Match[str]) -> str:
        what = (match.group("what") or "subject").lower()
        what = "subject" if what in {"me", "face", "character"} else " ".join(what.split())
        side = match.group("side").lower().replace("-", " ")
        preposition = "on" if side in {"left", "right"} else "at"
        found.append((match.start(), f"{what} {preposition} the {side}"))
        return " " * len(match.group())

    def take_phrase(match: re.Match[str]) -> str:
        found.append((match.start(), _table_value(match, COMPOSITIONS)))
        return " " * len(match.group())

    rest = POSITION_RE.sub(take_position, text)
    rest = COMPOSITION_RE.sub(take_phrase, rest)
    phrases = [phrase for _, phrase in sorted(found)]
    return rest, ", ".join(dict.fromkeys(phrases))


def _take_engine_text(text: str) -> tuple[str, str, bool]:
    """The on-image words the engine's reading finds in what is left of a message."""
    rest, words = split_text(text)
    if not words:
        return text, "", False
    return rest, words[:MAX_TEXT].rstrip(), len(words) > MAX_TEXT


def _take_text_cue(text: str) -> tuple[str, str, bool]:
    """Unquoted on-image text: "it says GG", "headline: I WON", "with the text GG"."""
    match = TEXT_CUE_RE.search(text) or NAMED_TEXT_RE.search(text)
    if match is None:
        return text, "", False
    words = " ".join(next((group for group in match.groups() if group), "").split())
    rest = text[: match.start()] + " " + text[match.end() :]
    return rest, words[:MAX_TEXT].rstrip(), len(words) > MAX_TEXT


def _take_first(text: str, pattern: re.Pattern[str], names: Sequence[str]) -> tuple[str, str]:
    """The first table row the text names (all mentions are removed)."""
    rest, found = _take_all(text, pattern, names)
    return rest, found[0] if found else ""


def _take_all(text: str, pattern: re.Pattern[str], names: Sequence[str]) -> tuple[str, list[str]]:
    """Every table row the text names, in order of first mention, with the mentions removed."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        found.append(names[_row(match)])
        return " "

    rest = pattern.sub(take, text)
    return rest, list(dict.fromkeys(found))


def _take_all_words(text: str, pattern: re.Pattern[str]) -> tuple[str, list[str]]:
    """Every match of ``pattern``, as written (lower case), with the matches removed."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        found.append(match.group().lower())
        return " "

    return pattern.sub(take, text), found


def style_field(phrases: Sequence[str]) -> str:
    """The brief's style from style phrases: each as the engine's style key where it names one
    ("8-bit" → "pixel", "anime" → "comic", "cozy pastel" → "cozy, pastel"), else as said
    ("cinematic"), without repeats."""
    parts: list[str] = []
    for phrase in (part for item in phrases for part in split_list(item)):
        parts.extend(style_keys(phrase) or (phrase,))
    return clip(", ".join(dict.fromkeys(parts)))


def _row(match: re.Match[str]) -> int:
    """The table row an ``_alternation`` match came from (its only named group, ``g<i>``)."""
    return int((match.lastgroup or "g0")[1:])


def _table_value(match: re.Match[str], table: Sequence[tuple[str, str]]) -> str:
    return table[_row(match)][0]


def _leftover(text: str) -> tuple[str, bool]:
    """The words no table took, tidied; and whether they were introduced as a subject.

    A clause that lost all its words to the tables ("…clutch, neon purple and teal, …" leaves
    "clutch, and,") goes, and so do the connecting words left at the end of a clause."""
    text = FILLER_RE.sub(" ", text).replace("?", " ")
    text = SPACES_RE.sub(" ", text)
    text = SPACE_BEFORE_PUNCTUATION_RE.sub(r"\1", text)
    text = REPEATED_SEPARATOR_RE.sub(r"\1", text).strip(" ,;:-–—.!?")
    clauses = []
    for clause in CLAUSE_RE.split(text):
        kept = _strip_words(clause.split(), frozenset(), TRAIL_WORDS)
        if _strip_words(kept, LEAD_WORDS, frozenset()):
            clauses.append(" ".join(kept))
    text = ", ".join(clauses)
    words = _strip_words(text.split(), LEAD_WORDS, TRAIL_WORDS, keep_article=True)
    tidy = _fix_articles(" ".join(words).strip(" ,;:-–—.!?"))
    cue = bool(CUE_RE.match(text))
    return tidy, cue


def _strip_words(
    words: list[str], lead: frozenset[str], trail: frozenset[str], *, keep_article: bool = False
) -> list[str]:
    """Drop connecting words from both ends ("of a cat with" -> "a cat"); an article stays when
    ``keep_article`` and the next word is not another connector."""

    def bare(word: str) -> str:
        return word.lower().strip(",;:.!?")

    while words and bare(words[0]) in lead:
        if keep_article and bare(words[0]) in ARTICLES and (len(words) < 2 or bare(words[1]) not in lead):
            break
        words = words[1:]
    while words and bare(words[-1]) in trail:
        words = words[:-1]
    return words


def _fix_articles(text: str) -> str:
    """ "a angry cat" after a word was taken out -> "an angry cat" (and the reverse)."""

    def fix(match: re.Match[str]) -> str:
        article = "an" if match.group(2)[0].lower() in "aeiou" else "a"
        if match.group(1)[0].isupper():
            article = article.capitalize()
        return f"{article} {match.group(2)}"

    return ARTICLE_RE.sub(fix, text)


def has_content(text: str) -> bool:
    return any(word.lower() not in STOP_WORDS for word in WORD_RE.findall(text))
