"""Marks rendered: drawn on a ``Pen`` (supersampled, or on a coarse grid for pixel art), given
their bevel and outline, and kept in a small bounded cache, since a mark is a pure function of
its arguments."""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageFilter

from ..memo import PixelCache
from ..paint import SOLID_LUT
from .marks import MARKS, draw_star
from .pen import MarkColors, Pen, finish


def render_mark(
    name: str,
    size: int,
    colors: MarkColors,
    rng: random.Random,
    *,
    style: str = "bold",
    rotation: float = 0.0,
    outline: float = 0.05,
    supersample: float = 2,
) -> Image.Image:
    """A transparent ``size``×``size`` RGBA image of the named mark with outline and bevel.

    ``style``: "bold" (dark outline, bevel), "neon" (bright outline with glow), "pixel"
    (drawn on a coarse grid and scaled up without smoothing), "soft" (thin warm outline).

    A mark is a pure function of these arguments (mark functions never draw on ``rng``), so
    drawings are kept in a small bounded cache; the image returned is shared and read-only.
    """
    key = (name, size, colors, style, float(rotation), float(outline), float(supersample))
    return _MARK_CACHE.get(
        key,
        lambda: _draw_mark(name, size, colors, rng, style, rotation, outline, supersample),
        _pixels,
    )


def _pixels(image: Image.Image) -> int:
    return image.width * image.height


# Chat marks are redrawn for every tier, rendition set and re-render of a recipe; a few dozen
# drawings (a few MB) cover a creator's session.
_MARK_CACHE: PixelCache[Image.Image] = PixelCache("marks", max_entries=48, max_pixels=3_000_000)


def _draw_mark(
    name: str,
    size: int,
    colors: MarkColors,
    rng: random.Random,
    style: str,
    rotation: float,
    outline: float,
    supersample: float,
) -> Image.Image:
    draw = MARKS.get(name, draw_star)
    if style == "pixel":
        grid = 28
        pen = Pen(grid, rotation=0.0, pad=0.06)
        draw(pen, colors, rng)
        out = Image.new("RGBA", (grid, grid), (*colors.dark, 0))
        ring = ImageChops.subtract(
            pen.silhouette.filter(ImageFilter.MaxFilter(3)).point(SOLID_LUT),
            pen.silhouette.point(SOLID_LUT),
        )
        out.paste((*colors.dark, 255), (0, 0), ring)
        details = pen.image.copy()
        details.putalpha(details.getchannel("A").point(SOLID_LUT))
        out.alpha_composite(details)
        return out.resize((size, size), Image.Resampling.NEAREST)

    big = max(size, round(size * supersample))
    outline_px = outline * big
    pad = outline * (3.2 if style == "neon" else 1.0) + 0.02
    pen = Pen(big, rotation=rotation, pad=pad)
    draw(pen, colors, rng)
    out = finish(pen, colors, outline_px, style)
    if big == size * 2:
        # A 2×2 box average is all antialiasing needs, and far cheaper than Lanczos. The
        # transparent pixels already carry the edge colour, so no dark fringe is averaged in.
        out = out.reduce(2)
    elif big != size:
        out = out.resize((size, size), Image.Resampling.LANCZOS)
    return out
