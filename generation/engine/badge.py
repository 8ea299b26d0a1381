"""Badge frames that escalate with tenure: one shape language, more ornament per tier.

Every tier is a disc in the brand's deep colour with the subject on it, inside a ring. With
tenure the ring turns from the brand colour to bronze, silver, gold and platinum, gains gems,
then spikes, wings and finally a crown. Rendered with the same seed, a set of tiers reads as one
family, and the next tier always looks like an upgrade.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from platforms.types import PlatformSpec

from .colors import RGB, darken, lighten, mix
from .memo import PixelCache
from .providers.pen import MarkColors, Pen, chain, ellipse_pts, finish, star_pts

MONTH_TIERS = (1, 2, 3, 6, 9, 12, 24, 36)
BITS_TIERS = (1, 100, 1000, 5000, 10_000, 25_000, 50_000, 100_000)

METALS: dict[str, RGB] = {
    "bronze": (0xD0, 0x84, 0x4A),
    "silver": (0xC9, 0xD3, 0xDE),
    "gold": (0xF5, 0xC2, 0x30),
    "platinum": (0xB8, 0xF0, 0xFF),
}


@dataclass(frozen=True)
class Ornament:
    ring: str  # "brand" or a METALS key
    ring_width: float
    inner_ring: bool = False
    gems: int = 0
    spikes: int = 0
    wings: bool = False
    crown: bool = False


LEVELS: tuple[Ornament, ...] = (
    Ornament("brand", 0.06),  # 1 month
    Ornament("brand", 0.075, inner_ring=True),  # 2 months
    Ornament("bronze", 0.085, inner_ring=True),  # 3 months
    Ornament("silver", 0.09, inner_ring=True, gems=2),  # 6 months
    Ornament("gold", 0.095, inner_ring=True, gems=3),  # 9 months
    Ornament("gold", 0.1, inner_ring=True, gems=3, spikes=10),  # 1 year
    Ornament("platinum", 0.1, inner_ring=True, gems=4, spikes=12, wings=True),  # 2 years
    Ornament("platinum", 0.105, inner_ring=True, gems=5, spikes=14, wings=True, crown=True),  # 3 years+
)

DISC_RADIUS = 0.34


def tier_level(spec: PlatformSpec, tier: int | None) -> int:
    """The ornament level for a tier: months for sub/member badges, bits for bits badges."""
    if tier is None or tier < 1:
        return 0
    steps = BITS_TIERS if "bits" in spec.asset_type else MONTH_TIERS
    level = 0
    for index, threshold in enumerate(steps):
        if tier >= threshold:
            level = index
    return min(level, len(LEVELS) - 1)


def draw_frame(size: int, level: int, colors: MarkColors, *, supersample: int = 2) -> Image.Image:
    """The frame for one level, ``size`` px square, transparent outside.

    A frame depends only on these arguments, so drawings are kept in a small bounded cache
    (a tier set shares its frames); the image returned is shared and read-only.
    """
    return _FRAMES.get(
        (size, level, colors, supersample),
        lambda: _draw_frame(size, level, colors, supersample),
        lambda image: image.width * image.height,
    )


_FRAMES: PixelCache[Image.Image] = PixelCache("badge frames", max_entries=24, max_pixels=1_000_000)


def _draw_frame(size: int, level: int, colors: MarkColors, supersample: int) -> Image.Image:
    o = LEVELS[level]
    metal = colors.second if o.ring == "brand" else METALS[o.ring]
    metal_light, metal_dark = lighten(metal, 0.45), darken(metal, 0.35)
    big = size * supersample
    pen = Pen(big, pad=0.045)
    ring_out = DISC_RADIUS + o.ring_width

    if o.spikes:
        # Shorter spikes when wings take the sides, so the wings stay visible.
        reach = 0.45 if o.wings else 0.5
        pen.poly(
            star_pts(0.5, 0.5, reach, ring_out - 0.01, points=o.spikes, rotation=-90 + 180 / o.spikes),
            metal_dark,
        )
        pen.poly(star_pts(0.5, 0.5, reach - 0.06, ring_out - 0.02, points=o.spikes, rotation=-90), metal)
    if o.wings:
        # Three swept feathers each side, fanning out from behind the ring.
        for side in (-1, 1):
            for k, (lift, length) in enumerate(((0.2, 0.3), (0.06, 0.32), (-0.08, 0.28))):
                root = (0.5 + side * 0.3, 0.52 + 0.05 * k)
                tip = (0.5 + side * 0.5, 0.5 - lift)
                feather = chain(
                    root,
                    (
                        (root[0] + side * length * 0.2, root[1] - 0.1),
                        (tip[0] - side * 0.05, tip[1] - 0.03),
                        tip,
                    ),
                    (
                        (tip[0] - side * 0.02, tip[1] + 0.07),
                        (root[0] + side * length * 0.3, root[1] + 0.07),
                        root,
                    ),
                    n=14,
                )
                pen.poly(feather, lighten(METALS["platinum"], 0.5) if k % 2 == 0 else METALS["platinum"])
    pen.ellipse(0.5, 0.5, ring_out, fill=metal)
    # The ring's bevel: light on the upper-left half, dark on the lower-right.
    pen.poly(
        [*ellipse_pts(0.5, 0.5, ring_out, ring_out, a0=135, a1=315, n=64), (0.5, 0.5)],
        (*metal_light, 150),
        body=False,
    )
    pen.poly(
        [*ellipse_pts(0.5, 0.5, ring_out, ring_out, a0=-45, a1=135, n=64), (0.5, 0.5)],
        (*metal_dark, 120),
        body=False,
    )
    disc = mix(colors.dark, colors.main, 0.3)
    pen.ellipse(0.5, 0.5, DISC_RADIUS, fill=disc)
    if o.inner_ring:
        pen.ellipse(0.5, 0.5, DISC_RADIUS - 0.012, fill=colors.accent, body=False)
        pen.ellipse(0.5, 0.5, DISC_RADIUS - 0.032, fill=disc, body=False)
    # A soft sheen across the disc.
    pen.poly(
        ellipse_pts(0.5, 0.42, DISC_RADIUS * 0.82, DISC_RADIUS * 0.55, a0=180, a1=360, n=48),
        (*lighten(disc, 0.25), 90),
        body=False,
    )

    if o.crown:
        crown = [(0.32, 0.17), (0.3, 0.0), (0.41, 0.08), (0.5, -0.02), (0.59, 0.08), (0.7, 0.0), (0.68, 0.17)]
        pen.poly(crown, METALS["gold"])
        pen.poly(
            [(0.32, 0.12), (0.68, 0.12), (0.68, 0.17), (0.32, 0.17)], darken(METALS["gold"], 0.2), body=False
        )
        for x, y in ((0.3, 0.01), (0.5, -0.01), (0.7, 0.01)):
            pen.ellipse(x, y, 0.03, fill=colors.accent)
    if o.gems:
        angles = {2: (180, 0), 3: (180, 0, 270), 4: (180, 0, 225, 315), 5: (180, 0, 225, 270, 315)}[o.gems]
        mid = (DISC_RADIUS + ring_out) / 2
        for angle in angles:
            a = math.radians(angle)
            cx, cy = 0.5 + mid * math.cos(a), 0.5 + mid * math.sin(a)
            r = o.ring_width * 0.75
            pen.poly([(cx, cy - r), (cx + r * 0.8, cy), (cx, cy + r), (cx - r * 0.8, cy)], colors.accent)
            pen.poly(
                [(cx, cy - r), (cx + r * 0.8, cy), (cx, cy)], (*lighten(colors.accent, 0.5), 200), body=False
            )

    frame_colors = MarkColors(
        main=metal, second=metal, accent=colors.accent, light=colors.light, dark=colors.dark
    )
    out = finish(pen, frame_colors, outline_px=big * 0.03, style="bold")
    # A box average is all the antialiasing a frame needs.
    out = out.reduce(2) if supersample == 2 else out.resize((size, size), Image.Resampling.LANCZOS)
    # Fully transparent pixels hold no colour, so placing a frame on an empty canvas is a copy.
    pixels = np.array(out)
    pixels[pixels[..., 3] == 0] = 0
    return Image.fromarray(pixels)


def subject_box(size: int, *, with_tier: bool) -> tuple[int, int, int]:
    """(centre x, centre y, side) for the subject inside the disc."""
    side = round(size * DISC_RADIUS * 2 * 0.74)
    cy = round(size * (0.47 if with_tier else 0.5))
    return size // 2, cy, side


def pill_box(size: int) -> tuple[int, int, int, int]:
    """Where the tier number sits: across the bottom of the ring."""
    width, height = round(size * 0.46), round(size * 0.25)
    return (size - width) // 2, round(size * 0.7), width, height
