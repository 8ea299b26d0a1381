"""What the in-context previews draw from a registry row: the family's mock, the circle crop,
the safe area and the areas the platform's own interface covers, in percent of the master."""

from __future__ import annotations

from dataclasses import dataclass

from .types import AssetFamily, PlatformSpec, Rect, Rendition


@dataclass(frozen=True)
class PercentRect:
    """A rectangle in percent of the master canvas, as CSS ``left/top/width/height`` want it."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Preview:
    family: AssetFamily  # which mock shows it: chat (emote, badge, icon), up next, circle, framed
    circle: bool
    transparent: bool
    byte_cap: int | None
    legibility_px: int | None
    safe_zone: PercentRect | None  # dashed
    keep_clear: tuple[PercentRect, ...]  # hatched
    chat_sizes: tuple[int, ...]  # px the chat mock shows one big upload at; (): each file at its own


def _percent(rect: Rect, master: Rendition) -> PercentRect:
    return PercentRect(
        left=round(100 * rect.x / master.width, 3),
        top=round(100 * rect.y / master.height, 3),
        width=round(100 * rect.width / master.width, 3),
        height=round(100 * rect.height / master.height, 3),
    )


def preview_for(spec: PlatformSpec) -> Preview:
    return Preview(
        family=spec.family,
        circle=spec.circle,
        transparent=spec.transparent,
        byte_cap=spec.byte_cap,
        legibility_px=spec.legibility_px,
        safe_zone=_percent(spec.safe_zone, spec.master) if spec.safe_zone else None,
        keep_clear=tuple(_percent(rect, spec.master) for rect in spec.keep_clear),
        chat_sizes=spec.chat_sizes,
    )
