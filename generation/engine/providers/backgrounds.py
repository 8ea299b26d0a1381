"""Backgrounds and patterns for the local provider, fast enough for full-HD canvases.

Soft things (gradients, glows, bokeh, rays, the glow of neon lines) are painted on a small
canvas (a quarter of the size, or less) and scaled up once; crisp things (grid lines, dots,
sparkles, rain, snow, slabs) are drawn straight onto the full-size RGB canvas with alpha
blending. A fine monochrome grain (a small seeded tile, repeated) hides 8-bit banding.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ..colors import RGB
from ..paint import over
from .pen import star_pts

SOFT = 4  # soft layers are painted at 1/SOFT of the canvas size


@dataclass(frozen=True)
class Glow:
    x: float  # centre, px
    y: float
    radius: float  # px
    color: RGB
    strength: float  # 0–1


def gradient(
    width: int,
    height: int,
    stops: Sequence[RGB],
    *,
    angle: float = 35.0,
    glows: Sequence[Glow] = (),
    vignette: float = 0.35,
    step: int = 8,
) -> Image.Image:
    """A smooth RGB field: a linear gradient through ``stops``, soft glows, a vignette."""
    lw, lh = max(2, math.ceil(width / step) + 1), max(2, math.ceil(height / step) + 1)
    xs = np.linspace(0, width, lw, dtype=np.float32)[None, :]
    ys = np.linspace(0, height, lh, dtype=np.float32)[:, None]
    a = math.radians(angle)
    proj = xs * math.cos(a) + ys * math.sin(a)
    t = (proj - proj.min()) / max(1e-6, float(proj.max() - proj.min()))
    positions = np.linspace(0, 1, len(stops))
    stop_array = np.asarray(stops, dtype=np.float32)
    base = np.stack([np.interp(t, positions, stop_array[:, c]) for c in range(3)], axis=-1).astype(np.float32)
    for glow in glows:
        d2 = ((xs - glow.x) ** 2 + (ys - glow.y) ** 2) / max(1.0, glow.radius) ** 2
        share = (glow.strength * np.exp(-d2 * 2.2)).astype(np.float32)[..., None]
        base += (np.asarray(glow.color, dtype=np.float32) - base) * share
    if vignette:
        dc = ((xs - width / 2) / (width / 2)) ** 2 + ((ys - height / 2) / (height / 2)) ** 2
        base *= (1 - vignette * 0.5 * np.clip(dc, 0, 2))[..., None]
    small = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    return small.resize((width, height), Image.Resampling.BILINEAR)


def add_grain(
    image: Image.Image, rng: np.random.Generator, amount: float = 2.0, tile: int = 128
) -> Image.Image:
    """Add fine monochrome grain (about ±``amount`` levels) to an RGB image."""
    if amount <= 0:
        return image
    noise = np.clip(np.rint(rng.normal(0, amount, (tile, tile))) + 128, 0, 255).astype(np.uint8)
    tile_image = Image.fromarray(noise)
    field = Image.new("L", image.size)
    for y in range(0, image.height, tile):
        for x in range(0, image.width, tile):
            field.paste(tile_image, (x, y))
    grain = Image.merge("RGB", (field, field, field))
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    out = ImageChops.add(rgb, grain, scale=1.0, offset=-128)
    if image.mode == "RGBA":
        out.putalpha(image.getchannel("A"))
    return out


# --- soft layers (painted on the small canvas) ----------------------------------------------


def _blend(canvas: Image.Image, layer: Image.Image) -> None:
    over(canvas, layer)


def draw_wedges(
    draw: ImageDraw.ImageDraw,
    cx: float,
    cy: float,
    reach: float,
    fill: int | tuple[int, ...],
    *,
    count: int,
    share: float,
    spin: float,
) -> None:
    """``count`` wedges ``reach`` long around (cx, cy), each ``share`` of its turn wide."""
    for i in range(count):
        a0 = math.radians(spin + i * 360 / count)
        a1 = math.radians(spin + (i + share) * 360 / count)
        draw.polygon(
            [
                (cx, cy),
                (cx + reach * math.cos(a0), cy + reach * math.sin(a0)),
                (cx + reach * math.cos(a1), cy + reach * math.sin(a1)),
            ],
            fill=fill,
        )


def paint_rays(
    canvas: Image.Image,
    cx: float,
    cy: float,
    color: RGB,
    *,
    count: int = 18,
    alpha: int = 60,
    spin: float = 0.0,
) -> None:
    """A sunburst of wedges around (cx, cy), fading towards the edges: the hype look."""
    sw, sh = canvas.size
    mask = Image.new("L", (sw, sh), 0)
    draw_wedges(ImageDraw.Draw(mask), cx, cy, math.hypot(sw, sh), alpha, count=count, share=0.5, spin=spin)
    fade = Image.radial_gradient("L").resize((sw * 2, sh * 2))
    fade = fade.crop((int(sw - cx), int(sh - cy), int(sw - cx) + sw, int(sh - cy) + sh))
    mask = ImageChops.multiply(mask, ImageChops.invert(fade.point(lambda v: min(255, v * 2))))
    layer = Image.new("RGBA", (sw, sh), (*color, 0))
    layer.putalpha(mask)
    _blend(canvas, layer)


def paint_bokeh(
    canvas: Image.Image, colors: Sequence[RGB], rng: random.Random, *, count: int = 26, max_alpha: int = 90
) -> None:
    """Soft out-of-focus light circles: the cozy look."""
    sw, sh = canvas.size
    # Circles go on their own layer (blurred together); on an RGBA layer ImageDraw replaces
    # pixels rather than blending, so overlaps keep the last circle's colour, which is fine here.
    layer = Image.new("RGBA", (sw, sh), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    short = min(sw, sh)
    for _ in range(count):
        r = short * rng.uniform(0.03, 0.14)
        x, y = rng.uniform(0, sw), rng.uniform(0, sh)
        color = colors[rng.randrange(len(colors))]
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*color, rng.randint(max_alpha // 3, max_alpha)))
    _blend(canvas, layer.filter(ImageFilter.GaussianBlur(max(1.0, short * 0.012))))


def paint_shapes(
    canvas: Image.Image, colors: Sequence[RGB], rng: random.Random, *, count: int = 6, alpha: int = 40
) -> None:
    """Big translucent circles and rings: the clean, modern look (``canvas`` must be RGB)."""
    sw, sh = canvas.size
    draw = ImageDraw.Draw(canvas, "RGBA")
    short = min(sw, sh)
    for i in range(count):
        r = short * rng.uniform(0.12, 0.45)
        x, y = rng.uniform(-0.1, 1.1) * sw, rng.uniform(-0.1, 1.1) * sh
        color = colors[i % len(colors)]
        if i % 2 == 0:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*color, alpha))
        else:
            draw.ellipse(
                (x - r, y - r, x + r, y + r), outline=(*color, alpha * 2), width=max(1, round(short * 0.012))
            )


def paint_glow(
    canvas: Image.Image, cx: float, cy: float, radius: float, color: RGB, alpha: int = 150
) -> None:
    """A blurred disc of light (behind a subject)."""
    sw, sh = canvas.size
    pad = int(radius * 1.6) + 2
    box = (int(cx) - pad, int(cy) - pad, int(cx) + pad, int(cy) + pad)
    mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    ImageDraw.Draw(mask).ellipse((pad - radius, pad - radius, pad + radius, pad + radius), fill=alpha)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, radius * 0.45)))
    layer = Image.new("RGBA", (sw, sh), (*color, 0))
    full = Image.new("L", (sw, sh), 0)
    full.paste(mask, (box[0], box[1]))
    layer.putalpha(full)
    _blend(canvas, layer)


def glow_patch(image: Image.Image, cx: float, cy: float, radius: float, color: RGB, alpha: int = 150) -> None:
    """A blurred disc of light drawn straight onto a full-size image, touching only its box."""
    pad = radius * 2.5  # the blur's tail must fade out inside the patch
    x0, y0 = max(0, int(cx - pad)), max(0, int(cy - pad))
    x1, y1 = min(image.width, int(cx + pad) + 1), min(image.height, int(cy + pad) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    small = (max(1, (x1 - x0) // SOFT), max(1, (y1 - y0) // SOFT))
    mask = Image.new("L", small, 0)
    r = radius / SOFT
    mx, my = (cx - x0) / SOFT, (cy - y0) / SOFT
    ImageDraw.Draw(mask).ellipse((mx - r, my - r, mx + r, my + r), fill=alpha)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, r * 0.45))).resize(
        (x1 - x0, y1 - y0), Image.Resampling.BILINEAR
    )
    if image.mode == "RGBA":
        layer = Image.new("RGBA", mask.size, (*color, 0))
        layer.putalpha(mask)
        image.alpha_composite(layer, (x0, y0))
    else:
        image.paste(color, (x0, y0, x1, y1), mask)


def paint_line_glow(
    canvas: Image.Image,
    lines: Sequence[tuple[tuple[float, float], tuple[float, float]]],
    color: RGB,
    *,
    width: float,
    alpha: int = 160,
) -> None:
    """The blurred glow under neon lines (the crisp lines are drawn at full size)."""
    sw, sh = canvas.size
    mask = Image.new("L", (sw, sh), 0)
    draw = ImageDraw.Draw(mask)
    for start, end in lines:
        draw.line([start, end], fill=alpha, width=max(1, round(width)))
    layer = Image.new("RGBA", (sw, sh), (*color, 0))
    layer.putalpha(mask.filter(ImageFilter.GaussianBlur(max(1.0, width * 1.5))))
    _blend(canvas, layer)


# --- crisp elements (drawn on the full-size canvas) -----------------------------------------


def grid_lines(
    width: int, height: int, horizon: float = 0.62
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The lines of a synthwave perspective floor."""
    hy = height * horizon
    lines = []
    for i in range(1, 14):
        y = hy + (height - hy) * (i / 13) ** 2.2
        lines.append(((0.0, y), (float(width), y)))
    vx = width / 2
    for i in range(-16, 17):
        lines.append(((vx + i * width / 90, hy), (vx + i * width / 12, float(height))))
    lines.append(((0.0, hy), (float(width), hy)))
    return lines


def draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: Sequence[tuple[tuple[float, float], tuple[float, float]]],
    color: RGB,
    *,
    width: int,
    alpha: int = 220,
) -> None:
    for start, end in lines:
        draw.line([start, end], fill=(*color, alpha), width=width)


def draw_sun(image: Image.Image, cx: float, cy: float, radius: float, top: RGB, bottom: RGB) -> None:
    """A striped retro sun: a vertical gradient disc with horizontal cuts in its lower half."""
    size = (max(2, round(radius * 2)), max(2, round(radius * 2)))
    grad = Image.linear_gradient("L").resize(size)
    disc = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), grad)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse((0, 0, size[0] - 1, size[1] - 1), fill=255)
    for i in range(6):
        y = size[1] * (0.55 + i * 0.075)
        draw.rectangle((0, y, size[0], y + size[1] * (0.012 + i * 0.006)), fill=0)
    image.paste(disc, (round(cx - radius), round(cy - radius)), mask)


def draw_slab(
    draw: ImageDraw.ImageDraw,
    width: int,
    height: int,
    color: RGB,
    *,
    start: float,
    end: float,
    alpha: int = 255,
    tilt: float = 0.12,
) -> None:
    """A tilted band across the canvas (x from ``start`` to ``end`` as fractions of the width)."""
    shift = width * tilt
    draw.polygon(
        [
            (width * start + shift, 0),
            (width * end + shift, 0),
            (width * end - shift, height),
            (width * start - shift, height),
        ],
        fill=(*color, alpha),
    )


def draw_halftone(
    draw: ImageDraw.ImageDraw, width: int, height: int, color: RGB, *, corner: str = "tl", alpha: int = 70
) -> None:
    """A dot grid fading out from one corner."""
    spacing = max(8, round(min(width, height) / 36))
    cols, rows = width // spacing + 1, height // spacing + 1
    gx = np.arange(cols, dtype=np.float32)[None, :] / max(1, cols - 1)
    gy = np.arange(rows, dtype=np.float32)[:, None] / max(1, rows - 1)
    if "r" in corner:
        gx = 1 - gx
    if "b" in corner:
        gy = 1 - gy
    size = np.clip(1 - np.sqrt(gx**2 + gy**2) * 1.6, 0, 1)
    fill = (*color, alpha)
    for j, i in zip(*np.nonzero(size > 0.05), strict=True):
        r = float(size[j, i]) * spacing * 0.42
        x, y = i * spacing + spacing / 2, j * spacing + spacing / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)


def _scatter(
    width: int, height: int, colors: Sequence[RGB], rng: random.Random, count: int
) -> Iterator[tuple[int, float, float, RGB]]:
    """``count`` points strewn over the canvas in turns of ``colors``, each drawn from ``rng``
    just before the caller draws its own choices for it: (index, x, y, colour)."""
    for i in range(count):
        yield i, rng.uniform(0, width), rng.uniform(0, height), colors[i % len(colors)]


def draw_sparkles(
    draw: ImageDraw.ImageDraw,
    width: int,
    height: int,
    colors: Sequence[RGB],
    rng: random.Random,
    *,
    count: int = 60,
) -> None:
    """Small dots and four-point sparkles (night skies, magic)."""
    short = min(width, height)
    for i, x, y, color in _scatter(width, height, colors, rng, count):
        if i % 7 == 0:
            r = short * rng.uniform(0.012, 0.026)
            pts = []
            for k in range(8):
                rr = r if k % 2 == 0 else r * 0.22
                a = math.radians(k * 45 - 90)
                pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
            draw.polygon(pts, fill=(*color, rng.randint(150, 230)))
        else:
            r = max(1.0, short * rng.uniform(0.0015, 0.005))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*color, rng.randint(60, 180)))


def draw_scratches(
    draw: ImageDraw.ImageDraw,
    width: int,
    height: int,
    colors: Sequence[RGB],
    rng: random.Random,
    *,
    count: int = 70,
) -> None:
    """Thin scratches and paint flecks: the grunge look."""
    short = min(width, height)
    for i, x, y, color in _scatter(width, height, colors, rng, count):
        if i % 3 == 0:
            r = short * rng.uniform(0.004, 0.02)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*color, rng.randint(40, 120)))
        else:
            length = short * rng.uniform(0.05, 0.3)
            angle = rng.uniform(0, math.pi)
            draw.line(
                [(x, y), (x + length * math.cos(angle), y + length * math.sin(angle))],
                fill=(*color, rng.randint(25, 80)),
                width=max(1, round(short / 700)),
            )


def draw_rain(
    draw: ImageDraw.ImageDraw, width: int, height: int, color: RGB, rng: random.Random, *, count: int = 140
) -> None:
    length = height * 0.05
    w = max(1, round(height / 540))
    for _ in range(count):
        x, y = rng.uniform(0, width * 1.1), rng.uniform(-length, height)
        draw.line([(x, y), (x - length * 0.3, y + length)], fill=(*color, rng.randint(40, 110)), width=w)


def draw_snow(
    draw: ImageDraw.ImageDraw, width: int, height: int, color: RGB, rng: random.Random, *, count: int = 160
) -> None:
    short = min(width, height)
    for _, x, y, _ in _scatter(width, height, (color,), rng, count):
        r = max(1.0, short * rng.uniform(0.002, 0.009))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*color, rng.randint(90, 220)))


def pixelate(image: Image.Image, block: int) -> Image.Image:
    """Chunky pixels: scale down, then back up without smoothing (the retro look)."""
    if block <= 1:
        return image
    width, height = image.size
    small = image.resize((max(1, width // block), max(1, height // block)), Image.Resampling.BOX)
    return small.resize((width, height), Image.Resampling.NEAREST)


def draw_burst(size: int, big: int, spin: float, edge: RGB, fill: RGB) -> Image.Image:
    """A 14-point star drawn at ``big`` px and scaled to ``size``."""
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    outer = [(x * big, y * big) for x, y in star_pts(0.5, 0.5, 0.5, 0.36, points=14, rotation=spin)]
    inner = [(x * big, y * big) for x, y in star_pts(0.5, 0.5, 0.44, 0.31, points=14, rotation=spin)]
    draw.polygon(outer, fill=(*edge, 255))
    draw.polygon(inner, fill=(*fill, 255))
    return layer if big == size else layer.resize((size, size), Image.Resampling.LANCZOS)
