"""Where things go on each family's canvas, shared by the art (subject slots) and the compositor.

Everything here is in master-canvas pixels. The local provider draws its subject in these slots
and the compositor sets text around them; the prompt tells AI providers the same plan in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import geometry as geo
from .types import BrandSnapshot, Brief, PlatformSpec, Rect

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


def subject_slots(spec: PlatformSpec, plan: TextPlan) -> list[Slot]:
    """Where the art's subject (or subjects) go, so the text has its own space."""
    w, h = spec.master.width, spec.master.height
    safe = safe_rect(spec)
    family = spec.family
    if family in ("emote", "badge", "icon"):
        return [Slot(w / 2, h / 2, min(w, h))]
    if family == "avatar":
        if plan.title:
            return [Slot(w / 2, h * 0.4, w * 0.52)]
        return [Slot(w / 2, h / 2, w * 0.72)]
    if family == "thumbnail":
        return [Slot(w * 0.72, h * 0.46, h * 0.7)]
    if family == "scene":
        return [Slot(w / 2, h * 0.31, h * 0.36)]
    if family == "cover":
        return [
            Slot(
                safe.x + safe.width / 2,
                safe.y + safe.height * 0.27,
                min(safe.width * 0.62, safe.height * 0.4),
            )
        ]
    if family == "panel":
        return [Slot(safe.x + safe.height / 2, safe.y + safe.height / 2, safe.height * 0.95)]
    if family == "overlay":
        bar = safe
        return [Slot(geo.right(bar) - bar.height * 0.6, bar.y + bar.height / 2, bar.height * 0.8)]
    if family == "banner":
        if banner_is_wide(spec):
            slots = []
            cy = safe.y + safe.height / 2
            for margin_start, margin in ((0, safe.x), (geo.right(safe), w - geo.right(safe))):
                if margin >= 0.15 * w:
                    size = min(margin * 0.8, safe.height * 0.92)
                    slots.append(Slot(margin_start + margin / 2, cy, size))
            return slots
        return [Slot(safe.x + safe.width / 2, safe.y + safe.height * 0.21, safe.height * 0.4)]
    return [Slot(w / 2, h / 2, min(w, h) * 0.5)]
