"""Where things go on each family's canvas, shared by the art (subject slots) and the compositor.

Everything here is in master-canvas pixels. The local provider draws its subject in these slots
and the compositor sets text around them; the prompt tells AI providers the same plan in words.
"""

from __future__ import annotations

import dataclasses
import random
import re
from dataclasses import dataclass
from functools import lru_cache

from platforms.types import PlatformSpec, Rect

from . import geometry as geo
from .reading import list_number, understand
from .reading_result import Reading
from .types import BrandSnapshot, Brief
from .vocabulary import LAYOUTS

DEFAULT_TITLES: dict[str, str] = {
    "starting_soon": "Starting soon",
    "brb": "Be right back",
    "ending": "Thanks for watching",
}
DEFAULT_PANEL_LABEL = "About me"
FIT_SLACK = 2  # px: art that fits its box and comes this close to filling it is placed as drawn

_QUOTED = re.compile(
    r"\"([^\"\n]{1,60})\"|“([^”\n]{1,60})”|«([^»\n]{1,60})»|„([^“”\n]{1,60})[“”]|(?:^|(?<=[\s(]))'((?:[^'\n]|'(?=\w)){1,60})'(?=$|[\s.,!?;:)])"
)


@lru_cache(maxsize=512)
def extract_on_image_text(prompt: str) -> str:
    """The first quoted words in a prompt (``make a "GG" emote`` → ``GG``), or "".

    Straight and curly double quotes, « », „ “ and single quotes around whole words
    (not apostrophes) count. Only short phrases (up to 60 characters) are taken.
    """
    for match in _QUOTED.finditer(prompt or ""):
        text = next(group for group in match.groups() if group is not None).strip()
        if text:
            return " ".join(text.split())
    return ""


def main_text(spec: PlatformSpec, brief: Brief) -> str:
    """The words the asset's main text slot carries (before family defaults)."""
    return (brief.text or "").strip() or extract_on_image_text(brief.prompt)


@dataclass(frozen=True)
class TextPlan:
    """Every word an asset will carry, decided once for the art and the compositor."""

    title: str = ""  # headline, emote word, channel name, scene title, panel label
    subtitle: str = ""  # subtext, tagline
    detail: str = ""  # schedule, footer
    tier: str = ""  # badge tier number


def text_plan(spec: PlatformSpec, brief: Brief, brand: BrandSnapshot) -> TextPlan:
    title = main_text(spec, brief)
    family = spec.family
    if family == "badge":
        if brief.tier is not None:
            return TextPlan(tier=str(brief.tier))
        return TextPlan(tier=title[:4])
    if family in ("emote", "icon", "avatar"):
        return TextPlan(title=title)
    if family == "thumbnail":
        return TextPlan(title=title, subtitle=brief.subtext.strip())
    if family == "banner":
        name = title or brand.channel_name.strip() or brand.name.strip()
        subtitle = brief.subtext.strip() or brand.tagline.strip()
        if spec.asset_type == "offline_banner" and not subtitle:
            subtitle = "Currently offline"
        return TextPlan(title=name, subtitle=subtitle, detail=brand.schedule.strip())
    if family == "scene":
        default_title = DEFAULT_TITLES.get(spec.asset_type, "")
        subtitle = brief.subtext.strip()
        if not subtitle:
            subtitle = brand.schedule.strip() if spec.asset_type == "starting_soon" else brand.tagline.strip()
        return TextPlan(title=title or default_title, subtitle=subtitle, detail=brand.channel_name.strip())
    if family == "overlay":
        return TextPlan(
            title=brand.channel_name.strip() or title,
            subtitle=brief.subtext.strip() or brand.tagline.strip(),
            detail=title if brand.channel_name.strip() else brand.schedule.strip(),
        )
    if family == "panel":
        return TextPlan(title=title or DEFAULT_PANEL_LABEL)
    if family == "cover":
        return TextPlan(title=title, subtitle=brief.subtext.strip())
    return TextPlan(title=title)


def safe_rect(spec: PlatformSpec) -> Rect:
    """Where text and logos may go: the spec's safe zone, or the canvas less a small margin."""
    if spec.safe_zone is not None:
        return spec.safe_zone
    m = spec.master
    margin = round(min(m.width, m.height) * 0.04)
    return geo.inset(Rect(0, 0, m.width, m.height), margin)


def keep_out(spec: PlatformSpec) -> tuple[Rect, ...]:
    """Areas no text or logo may touch: the platform's UI and the overlay's holes."""
    return spec.keep_clear + spec.transparent_areas


@dataclass(frozen=True)
class Slot:
    """A square area for a subject mark: centre and side, in master pixels."""

    cx: float
    cy: float
    size: float

    def scaled(self, factor: float) -> Slot:
        return Slot(self.cx * factor, self.cy * factor, self.size * factor)

    def rect(self) -> Rect:
        half = self.size / 2
        return Rect(round(self.cx - half), round(self.cy - half), round(self.size), round(self.size))


def emote_boxes(width: int, title: str, *, sticker: bool) -> tuple[Rect, Rect]:
    """(subject box, text box) on a square chat canvas ``width`` px wide (emotes and icons).

    With words, the subject sits above them; without, it fills the canvas less a margin.
    """
    w = width
    margin = round(w * (0.07 if sticker else 0.02))
    if not title:
        return Rect(margin, margin, w - 2 * margin, w - 2 * margin), Rect(0, 0, 0, 0)
    short = len(title) <= 4
    subject = Rect(round(w * 0.1), margin, round(w * 0.8), round(w * (0.7 if short else 0.6)))
    text = Rect(
        margin,
        round(w * (0.5 if short else 0.42)),
        w - 2 * margin,
        round(w * (0.5 if short else 0.58)) - margin,
    )
    return subject, text


def chat_subject_size(spec: PlatformSpec, plan: TextPlan, width: int) -> tuple[int, int]:
    """The box (canvas px) the compositor fits a chat asset's subject into.

    The local provider draws its subject to fill exactly this box, so the compositor places it
    as drawn instead of scaling it a second time.
    """
    if spec.family == "badge":
        from .badge import subject_box

        _, _, side = subject_box(width, with_tier=bool(plan.tier))
        return side, side
    box, _ = emote_boxes(width, plan.title, sticker=spec.asset_type == "sticker")
    return box.width, box.height


def banner_is_wide(spec: PlatformSpec) -> bool:
    """Wide banners flank the text with art; the rest stack the art above the text."""
    safe = safe_rect(spec)
    width = spec.master.width
    left, right_margin = safe.x, width - geo.right(safe)
    return max(left, right_margin) >= 0.15 * width


def subject_slots(spec: PlatformSpec, plan: TextPlan, name: str = "", variant: int = 0) -> list[Slot]:
    """Where the art's subject (or subjects) go, so the text has its own space.

    Families with compositions (``reading.LAYOUTS``) take their slots from the frame ``name``."""
    w, h = spec.master.width, spec.master.height
    safe = safe_rect(spec)
    family = spec.family
    if family in FRAMED_FAMILIES:
        return list(frame(spec, name, variant).slots)
    if family in ("emote", "badge", "icon"):
        return [Slot(w / 2, h / 2, min(w, h))]
    if family == "avatar":
        if plan.title:
            return [Slot(w / 2, h * 0.4, w * 0.52)]
        return [Slot(w / 2, h / 2, w * 0.72)]
    if family == "overlay":
        bar = safe
        return [Slot(geo.right(bar) - bar.height * 0.6, bar.y + bar.height / 2, bar.height * 0.8)]
    return [Slot(w / 2, h / 2, min(w, h) * 0.5)]


# --- compositions ----------------------------------------------------------------------------

FRAMED_FAMILIES = frozenset(LAYOUTS)
# What the seed picks from when the words ask for no composition: the ones that need words of
# their own (a number, a second subject, a before and an after) only come when asked for.
FACE_SUBJECTS = frozenset({"ghost", "alien", "robot", "clown-face", "skull", "pile-of-poo", "ogre", "goblin"})
SEED_LAYOUTS: dict[str, tuple[str, ...]] = {
    "thumbnail": ("big_subject", "reaction", "title_card"),
    "banner": ("flanked", "hero", "pattern"),
    "scene": ("spotlight", "split", "pattern"),
    "cover": ("spotlight", "split", "pattern"),
    "panel": ("icon_left", "icon_right", "pattern"),
}
DEFAULT_LAYOUTS = {family: names[0] for family, names in SEED_LAYOUTS.items()}


def choose(
    family: str,
    asked: str,
    seed: int,
    *,
    subjects: int = 1,
    pictures: int = 0,
    words: bool = True,
    face: bool = False,
) -> str:
    """The composition for an asset: the one asked for (in words or chosen), else the seed's.

    The seed only picks what suits the request: a versus when two subjects are named, a
    reaction when there is a face or an expression, a title card when there are words to set,
    no pattern when the creator's own images (``pictures``) are the subject."""
    names = LAYOUTS.get(family, ())
    if not names:
        return ""
    if asked in names:
        return asked
    pool = SEED_LAYOUTS[family]
    if family == "thumbnail":
        pool = ("big_subject",) + (("title_card",) if words else ())
        pool += (("reaction",) if face else ()) + (("versus",) if subjects > 1 else ())
    if pictures:
        pool = tuple(name for name in pool if name != "pattern")
    return pool[random.Random(seed).randrange(len(pool))]  # noqa: S311 - a layout, not a secret


def read_brief(spec: PlatformSpec, brief: Brief, brand: BrandSnapshot) -> Reading:
    """The reading of a brief's words with its own decisions over them and the brand's "avoid"
    list applied; the composition as the words or the brief give it (not yet settled)."""
    return understand(
        brief.prompt,
        family=spec.family,
        text=brief.text,
        base=brief.base,
        avoid=" ".join((*brand.avoid, brief.negative_prompt)),
        layout=brief.layout,
        style=brief.style,
        colours=brief.colours,
    )


def understood(
    spec: PlatformSpec, brief: Brief, brand: BrandSnapshot, seed: int, *, pictures: int | None = None
) -> Reading:
    """What the engine makes of a request: the reading of its words with the brief's own
    decisions over them, the brand's "avoid" list applied, and the composition settled.

    ``pictures``: how many of the creator's images the request has, for a caller that has not
    read them (the job's recipe, Create); the composition depends on it (no pattern over them)."""
    found = read_brief(spec, brief, brand)
    main = found.subjects[0] if found.subjects else ""
    chosen = choose(
        spec.family,
        found.layout,
        seed,
        subjects=len(found.subjects),
        pictures=len(brief.references) if pictures is None else pictures,
        words=bool(found.text or brief.text.strip()),
        face=bool(found.expression) or main.endswith("-face") or main in FACE_SUBJECTS,
    )
    if chosen == found.layout:
        return found
    number = list_number(f"{brief.text} {brief.base} {brief.prompt}") if chosen == "top_list" else ""
    return dataclasses.replace(found, layout=chosen, number=number)


def layout_variant(seed: int) -> int:
    """The seed's take on a composition: 0 or 1 (mirrored, or the subject flanking the title)."""
    return random.Random(seed * 7919 + 1).randrange(2)  # noqa: S311 - a layout, not a secret


@dataclass(frozen=True)
class Mark:
    """Words or a sign a composition adds itself: "VS", a list's number, before/after labels."""

    kind: str  # vs | number | before | after | arrow | ring
    rect: Rect


@dataclass(frozen=True)
class Frame:
    """One composition: where the subjects, the text block and the layout's own marks go."""

    name: str
    slots: tuple[Slot, ...]  # main subject first
    roles: tuple[str, ...]  # per slot: main | second | before | after | pattern
    text: Rect  # the title block (master px)
    align: str = "center"  # left | center | right
    marks: tuple[Mark, ...] = ()
    mirrored: bool = False  # the subject on the left, the words on the right

    def mark(self, kind: str) -> Rect | None:
        return next((m.rect for m in self.marks if m.kind == kind), None)


def _pattern_slots(spec: PlatformSpec, columns: int, rows: int, size: float) -> tuple[Slot, ...]:
    """A staggered grid of small subjects over the whole canvas."""
    w, h = spec.master.width, spec.master.height
    slots = []
    for row in range(rows):
        for column in range(columns + 1):
            offset = 0.5 if row % 2 else 0.0
            cx = (column + offset) * w / columns
            cy = (row + 0.5) * h / rows
            if -size / 2 < cx < w + size / 2:
                slots.append(Slot(cx, cy, size))
    return tuple(slots)


@lru_cache(maxsize=256)
def frame(spec: PlatformSpec, name: str, variant: int = 0) -> Frame:
    """The composition ``name`` laid out on ``spec``'s canvas (the family's default when the
    name is not one of its own); ``variant`` 1 is its other take where it has one."""
    family = spec.family
    if name not in LAYOUTS.get(family, ()):
        name = DEFAULT_LAYOUTS.get(family, "")
    w, h = spec.master.width, spec.master.height
    safe = safe_rect(spec)
    sx, sy, sr, sb = safe.x, safe.y, geo.right(safe), geo.bottom(safe)
    if family == "thumbnail":
        return _thumbnail_frame(name, w, h, safe, variant)
    if family == "panel":
        side = safe.height
        gap = round(w * 0.03)
        if name == "icon_right":
            slot = Slot(sr - side / 2, sy + side / 2, side * 0.95)
            return Frame(name, (slot,), ("main",), Rect(sx, sy, safe.width - side - gap, side))
        if name == "pattern":
            slots = _pattern_slots(spec, 6, 2, h * 0.42)
            return Frame(name, slots, ("pattern",) * len(slots), Rect(sx, sy, safe.width, safe.height))
        slot = Slot(sx + side / 2, sy + side / 2, side * 0.95)
        return Frame(name, (slot,), ("main",), Rect(sx + side + gap, sy, safe.width - side - gap, side))
    if family == "banner":
        if name == "pattern":
            tiles = _pattern_slots(spec, 6, 3, min(w, h) * 0.24)
            return Frame(name, tiles, ("pattern",) * len(tiles), safe)
        if name == "hero":
            size = min(safe.height * 0.95, safe.width * 0.34)
            slot = Slot(sx + size / 2, sy + safe.height / 2, size)
            text_x = sx + round(size * 1.06)
            return Frame(name, (slot,), ("main",), Rect(text_x, sy, sr - text_x, safe.height), align="left")
        # flanked: art on both sides of the name, in the margins when the banner has them.
        cy = sy + safe.height / 2
        if banner_is_wide(spec):
            sides = tuple(
                Slot(start + margin / 2, cy, min(margin * 0.8, safe.height * 0.92))
                for start, margin in ((0, sx), (sr, w - sr))
                if margin >= 0.15 * w
            )
            return Frame(name, sides, ("main", "second")[: len(sides)], safe)
        size = min(safe.width * 0.22, safe.height * 0.8)
        sides = (Slot(sx + size / 2, cy, size), Slot(sr - size / 2, cy, size))
        text = Rect(sx + round(size * 1.05), sy, safe.width - round(size * 2.1), safe.height)
        return Frame(name, sides, ("main", "second"), text)
    # scenes and covers
    tall = h > w * 1.2
    if name == "pattern":
        slots = _pattern_slots(spec, 6 if not tall else 4, 4 if not tall else 7, min(w, h) * 0.16)
        text = Rect(sx, sy + round(safe.height * 0.25), safe.width, round(safe.height * 0.5))
        return Frame(name, slots, ("pattern",) * len(slots), text)
    if name == "split":
        if tall:
            size = min(safe.width * 0.8, safe.height * 0.48)
            slot = Slot(sx + safe.width / 2, sb - size / 2, size)
            return Frame(name, (slot,), ("main",), Rect(sx, sy, safe.width, round(safe.height - size * 1.04)))
        size = min(safe.height * 0.8, safe.width * 0.42)
        slot = Slot(sx + safe.width * 0.26, sy + safe.height / 2, size)
        text_x = sx + round(safe.width * 0.5)
        # Three quarters of the height, centred: room left for "bigger text".
        text_h = round(safe.height * 0.74)
        text = Rect(text_x, sy + (safe.height - text_h) // 2, sr - text_x, text_h)
        return Frame(name, (slot,), ("main",), text, align="left")
    if family == "cover":
        slot = Slot(sx + safe.width / 2, sy + safe.height * 0.27, min(safe.width * 0.62, safe.height * 0.4))
        text = Rect(sx, sy + round(safe.height * 0.52), safe.width, round(safe.height * 0.46))
        return Frame(name, (slot,), ("main",), text)
    slot = Slot(w / 2, h * 0.31, h * 0.36)
    text = Rect(sx, round(h * 0.52), safe.width, sb - round(h * 0.52))
    return Frame(name, (slot,), ("main",), text)


def _thumbnail_frame(name: str, w: int, h: int, safe: Rect, variant: int) -> Frame:
    sx, sy, sr = safe.x, safe.y, geo.right(safe)
    if name == "reaction":
        face = Slot(w * 0.25, h * 0.58, h * 0.78)
        ring = Slot(w * 0.76, h * 0.3, h * 0.34)
        text = Rect(round(w * 0.5), round(h * 0.54), sr - round(w * 0.5), round(h * 0.3))
        arrow = Rect(round(w * 0.45), round(h * 0.3), round(w * 0.14), round(h * 0.2))
        return Frame(
            name,
            (face, ring),
            ("main", "second"),
            text,
            align="left",
            marks=(Mark("ring", ring.rect()), Mark("arrow", arrow)),
        )
    if name == "versus":
        left, right_slot = Slot(w * 0.24, h * 0.6, h * 0.6), Slot(w * 0.76, h * 0.6, h * 0.6)
        vs = Rect(round(w * 0.5 - h * 0.12), round(h * 0.48), round(h * 0.24), round(h * 0.24))
        text = Rect(sx, sy, safe.width, round(h * 0.24))
        return Frame(name, (left, right_slot), ("main", "second"), text, marks=(Mark("vs", vs),))
    if name == "top_list":
        number = Rect(sx, round(h * 0.16), round(w * 0.2), round(h * 0.68))
        slot = Slot(w * 0.82, h * 0.5, h * 0.52)
        text_x = sx + number.width + round(w * 0.03)
        text = Rect(text_x, sy, round(w * 0.67) - text_x, safe.height)
        return Frame(name, (slot,), ("main",), text, align="left", marks=(Mark("number", number),))
    if name == "before_after":
        before, after = Slot(w * 0.25, h * 0.66, h * 0.5), Slot(w * 0.75, h * 0.66, h * 0.5)
        text = Rect(sx, sy, safe.width, round(h * 0.2))
        label_h = round(h * 0.08)
        label_y = round(h * 0.3)
        return Frame(
            name,
            (before, after),
            ("before", "after"),
            text,
            marks=(
                Mark("before", Rect(sx, label_y, round(w / 2) - sx - round(w * 0.04), label_h)),
                Mark(
                    "after",
                    Rect(
                        round(w / 2) + round(w * 0.04), label_y, sr - round(w / 2) - round(w * 0.04), label_h
                    ),
                ),
                Mark("arrow", Rect(round(w * 0.44), round(h * 0.56), round(w * 0.12), round(h * 0.2))),
            ),
        )
    if name == "title_card":
        if variant:
            # The subject on both sides of the title.
            size = h * 0.4
            sides = (Slot(w * 0.16, h * 0.5, size), Slot(w * 0.84, h * 0.5, size))
            text = Rect(round(w * 0.31), round(h * 0.3), round(w * 0.38), round(h * 0.4))
            return Frame(name, sides, ("main", "main"), text)
        slot = Slot(w / 2, h * 0.26, h * 0.4)
        text = Rect(sx + round(w * 0.1), round(h * 0.52), safe.width - round(w * 0.2), round(h * 0.3))
        return Frame(name, (slot,), ("main",), text)
    # big_subject: the subject large on one side, the headline down the other.
    if variant:
        slot = Slot(w * 0.28, h * 0.5, h * 0.7)
        text_x = round(w * 0.48)
        return Frame(
            name, (slot,), ("main",), Rect(text_x, sy, sr - text_x, safe.height), align="left", mirrored=True
        )
    slot = Slot(w * 0.72, h * 0.46, h * 0.7)
    return Frame(name, (slot,), ("main",), Rect(sx, sy, round(w * 0.54) - sx, safe.height), align="left")
