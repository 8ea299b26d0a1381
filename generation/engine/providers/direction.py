"""What the local provider draws for a request: the subject (from the art vocabulary, or one of
the hand-drawn marks when nothing drawable is named), the background's mood and weather, the
subject's finish and the palette, read from the words and the brand kit."""

from __future__ import annotations

import functools
import hashlib
import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .. import layout, reading
from ..colors import chat_contrast, darken, hex_to_rgb, lighten, luminance, rgb_to_hex
from ..types import ArtRequest, Palette
from .pen import MarkColors
from .subjects import SubjectPlan

MOODS = reading.MOODS
WEATHER = reading.WEATHER

# The words that name a hand-drawn mark are data.
_MARK_WORDS = tomllib.loads((Path(__file__).resolve().parents[2] / "data" / "marks.toml").read_text("utf-8"))
# Nouns name a mark outright; mood words only pick one when nothing else is named.
SUBJECT_WORDS: dict[str, str] = {
    word: mark for mark, words in _MARK_WORDS["subject_words"].items() for word in words.split()
}
MOOD_SUBJECTS: dict[str, str] = {
    word: mark for mark, words in _MARK_WORDS["mood_subjects"].items() for word in words.split()
}
DEFAULT_SUBJECTS = ("star", "sparkle", "heart", "bolt", "diamond")


@dataclass(frozen=True)
class Direction:
    """What the local provider decided to draw for a request."""

    subjects: tuple[str, ...]
    mood: str  # clean | cozy | hype | neon | retro | pastel | grunge | minimal | comic
    weather: str  # "" | rain | snow | night
    colors: MarkColors
    mark_style: str  # bold | soft | neon | pixel
    palette: Palette  # the brand's, with the colours the words name in the art's roles
    subject: SubjectPlan | None = None  # art from the vocabulary; None: the hand-drawn marks
    second: str = ""  # a second subject's concept (versus, banners' other side)


# Style words -> the background mood and the subject's finish.
STYLE_MOODS = {
    "neon": "neon",
    "cozy": "cozy",
    "retro": "retro",
    "pixel": "retro",
    "pastel": "pastel",
    "grunge": "grunge",
    "minimal": "minimal",
    "comic": "comic",
}
STYLE_FINISH = {
    "neon": "neon",
    "cozy": "soft",
    "retro": "pixel",
    "pixel": "pixel",
    "pastel": "pastel",
    "grunge": "grunge",
    "minimal": "minimal",
    "comic": "comic",
}


def art_palette(palette: Palette, colours: tuple[str, ...]) -> Palette:
    """The palette the art is painted in: the colours the creator named take the art's roles
    (first: primary, second: secondary and accent); the kit supplies the rest."""
    if not colours:
        return palette
    first = colours[0]
    second = colours[1] if len(colours) > 1 else rgb_to_hex(lighten(hex_to_rgb(first), 0.35))
    third = colours[2] if len(colours) > 2 else second
    return Palette(
        primary=first,
        secondary=second,
        accent=third,
        background=palette.background,
        text=palette.text,
        extras=palette.extras,
    )


def seed_bytes(request: ArtRequest) -> bytes:
    brief = request.brief
    identity = "|".join(
        (
            str(request.seed),
            request.spec.key,
            brief.prompt,
            brief.base,
            brief.text,
            brief.subtext,
            str(brief.tier),
            str(request.width),
            str(request.height),
        )
    )
    return hashlib.sha256(identity.encode()).digest()


@functools.lru_cache(maxsize=64)
def mark_colors(palette: Palette, *, for_chat: bool) -> MarkColors:
    """Assign the brand colours to a mark's roles (body, parts, accents, light, outline)."""
    primary, secondary, accent = (
        hex_to_rgb(palette.primary),
        hex_to_rgb(palette.secondary),
        hex_to_rgb(palette.accent),
    )
    background, text = hex_to_rgb(palette.background), hex_to_rgb(palette.text)
    extras = [hex_to_rgb(value) for value in palette.extras]
    everything = [primary, secondary, accent, background, text, *extras]
    light = max(everything, key=luminance)
    if luminance(light) < 0.5:
        light = lighten(light, 0.75)
    dark = min(everything, key=luminance)
    if luminance(dark) > 0.03:
        dark = darken(dark, 0.8)
    main, second = primary, secondary
    if for_chat:
        # On chat a body colour must stand out on both light and dark themes; keep the
        # primary unless another brand colour reads far better.
        best = max((primary, secondary, accent), key=chat_contrast)
        if chat_contrast(primary) < 1.8 and chat_contrast(best) > chat_contrast(primary) * 1.4:
            main = best
            second = primary if best != primary else secondary
    return MarkColors(main=main, second=second, accent=accent, light=light, dark=dark)


def read_request(request: ArtRequest) -> reading.Reading:
    """The request's words as the engine reads them (the brand's "avoid" list applied, the
    brief's own layout, style and colours over the words)."""
    return layout.understood(request.spec, request.brief, request.brand, request.seed)


def direct(request: ArtRequest, digest: bytes | None = None) -> Direction:
    """Read the prompt and the brand into a plan for the art (``digest``: the request's seed
    bytes, when the caller has them already)."""
    brief, brand = request.brief, request.brand
    family = request.spec.family
    avoid = set(words(" ".join(brand.avoid) + " " + brief.negative_prompt))
    understood = read_request(request)
    brand_text = " ".join((brand.mood, brand.art_style, " ".join(brand.keywords)))
    brand_tokens = [t for t in words(brand_text) if t not in avoid]
    palette = art_palette(brand.palette, understood.hexes)
    chat = family in ("emote", "badge", "icon")
    colors = mark_colors(palette, for_chat=chat)

    styles = understood.styles or reading.read(brand_text, family=family).styles
    style = styles[0] if styles else ""
    # The words' style, else their mood ("ranked grind" is hype), else the kit's.
    mood = STYLE_MOODS.get(style, "") or understood.mood or reading.first_of(brand_tokens, MOODS) or "clean"
    weather = understood.weather or reading.first_of(brand_tokens, WEATHER)
    mark_style = {"cozy": "soft", "neon": "neon", "retro": "pixel"}.get(mood, "bold")

    concept = reading.art_concept(understood, family)
    if not concept and not understood.text.strip() and brand.keywords:
        # Nothing drawable asked for: the kit's own themes may name a subject.
        concept = reading.art_concept(reading.read(" ".join(brand.keywords), family=family), family)
    if concept:
        plan = SubjectPlan(
            concept=concept,
            accessories=reading.effects(understood, concept),
            # The colour named, else the kit's: art in the creator's brand either way.
            colour=understood.hexes[0] if understood.hexes else rgb_to_hex(colors.main),
            accent=understood.hexes[1] if len(understood.hexes) > 1 else None,
            style=STYLE_FINISH.get(style, mark_style if mark_style != "pixel" else "pixel"),
            outline=colors.dark,
            edge=colors.accent,
        )
        second = understood.subjects[1] if len(understood.subjects) > 1 else ""
        return Direction(
            subjects=(concept,),
            mood=mood,
            weather=weather,
            colors=colors,
            mark_style=mark_style,
            palette=palette,
            subject=plan,
            second=second,
        )

    prompt_tokens = [t for t in words(brief.prompt + " " + brief.text) if t not in avoid]
    subjects = [s for s in pick_subjects(" ".join(prompt_tokens), " ".join(brand_tokens)) if s not in avoid]
    if not subjects:
        seed = digest if digest is not None else seed_bytes(request)
        rng = random.Random(seed)  # noqa: S311 - art variation, not security
        choices = [s for s in DEFAULT_SUBJECTS if s not in avoid] or list(DEFAULT_SUBJECTS)
        subjects = [choices[rng.randrange(len(choices))]]
    return Direction(
        subjects=tuple(subjects[:2]),
        mood=mood,
        weather=weather,
        colors=colors,
        mark_style=mark_style,
        palette=palette,
    )


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def pick_subjects(text: str, fallback_text: str = "") -> list[str]:
    """Mark names for a prompt, in the order the prompt names them (nouns before moods)."""
    found: list[str] = []
    for source in (text, fallback_text):
        tokens = words(source)
        for lexicon in (SUBJECT_WORDS, MOOD_SUBJECTS):
            for token in tokens:
                candidates = (token, token[:-1]) if token.endswith("s") and len(token) > 3 else (token,)
                for candidate in candidates:
                    name = lexicon.get(candidate)
                    if name and name not in found:
                        found.append(name)
                        break
        if found:
            break
    return found
