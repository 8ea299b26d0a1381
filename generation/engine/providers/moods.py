"""The local provider's backgrounds, one look per mood (cozy, neon, hype, pastel, grunge,
minimal, comic, retro, clean) with its weather, painted from ``backgrounds``' layers."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from ..colors import darken, hex_to_rgb, lighten, luminance, mix
from . import backgrounds as bg
from .direction import Direction


def paint_background(
    d: Direction,
    rng: random.Random,
    width: int,
    height: int,
    focus: tuple[float, float],
    *,
    soft_extra: Callable[[Image.Image], None] | None = None,
) -> Image.Image:
    """The background as RGB: soft layers at a quarter size, crisp patterns at full size."""
    palette = d.palette
    bgc, p, s, a = (
        hex_to_rgb(palette.background),
        hex_to_rgb(palette.primary),
        hex_to_rgb(palette.secondary),
        hex_to_rgb(palette.accent),
    )
    light_theme = luminance(bgc) > 0.45
    angle = rng.uniform(20, 160)
    f = bg.SOFT
    sw, sh = max(1, width // f), max(1, height // f)
    fx, fy = focus[0] / f, focus[1] / f
    reach = max(sw, sh)
    if d.mood == "cozy":
        warm = lighten(s, 0.2)
        stops = [mix(bgc, warm, 0.25), mix(bgc, p, 0.28), mix(bgc, s, 0.3)]
        glows = [bg.Glow(fx, fy, reach * 0.45, lighten(warm, 0.35), 0.35)]
        vignette = 0.25
    elif d.mood == "neon":
        dark = darken(bgc, 0.35) if not light_theme else darken(p, 0.85)
        stops = [dark, mix(dark, p, 0.22), dark]
        glows = [bg.Glow(fx, fy, reach * 0.35, mix(dark, s, 0.6), 0.5)]
        vignette = 0.5
    elif d.mood == "hype":
        stops = [mix(bgc, p, 0.15), mix(bgc, s, 0.35), mix(bgc, p, 0.5)]
        glows = [bg.Glow(fx, fy, reach * 0.4, mix(p, a, 0.3), 0.55)]
        vignette = 0.45
    elif d.mood == "pastel":
        # Light, milky tints of the colours, no vignette: soft and airy.
        stops = [lighten(p, 0.72), lighten(s, 0.78), lighten(a, 0.75)]
        glows = [bg.Glow(fx, fy, reach * 0.5, lighten(p, 0.9), 0.5)]
        vignette = 0.0
    elif d.mood == "grunge":
        # Dark, dirty, desaturated: the colours as stains on near-black.
        base = darken(bgc, 0.5)
        stops = [base, mix(base, darken(p, 0.5), 0.45), mix(base, darken(s, 0.55), 0.4)]
        glows = [bg.Glow(fx, fy, reach * 0.3, darken(p, 0.3), 0.35)]
        vignette = 0.7
    elif d.mood == "minimal":
        # One flat colour and one quiet shape.
        stops = [bgc, bgc, mix(bgc, p, 0.08)]
        glows = []
        vignette = 0.0
    elif d.mood == "comic":
        stops = [lighten(p, 0.15), p, darken(p, 0.15)]
        glows = [bg.Glow(fx, fy, reach * 0.35, lighten(s, 0.3), 0.6)]
        vignette = 0.0
    else:
        stops = [bgc, mix(bgc, p, 0.32), mix(bgc, s, 0.22)]
        glows = [bg.Glow(fx, fy, reach * 0.42, mix(bgc, p, 0.7), 0.45)]
        vignette = 0.35
    small = bg.gradient(sw, sh, stops, angle=angle, glows=glows, vignette=vignette, step=2)
    horizon = 0.62
    if d.mood == "cozy":
        bg.paint_bokeh(small, [lighten(s, 0.3), lighten(a, 0.3), lighten(p, 0.5)], rng)
    elif d.mood == "neon":
        bg.paint_line_glow(small, bg.grid_lines(sw, sh, horizon), a, width=max(1.0, sh / 180))
    elif d.mood == "hype":
        bg.paint_rays(small, fx, fy, lighten(s, 0.2), count=16, alpha=70, spin=angle)
    elif d.mood == "pastel":
        bg.paint_bokeh(small, [lighten(s, 0.85), lighten(a, 0.85), (255, 255, 255)], rng, max_alpha=120)
    elif d.mood == "comic":
        bg.paint_rays(small, fx, fy, s, count=12, alpha=150, spin=angle)
    elif d.mood == "clean":
        bg.paint_shapes(small, [p, s, a], rng, count=5, alpha=34)
    if soft_extra is not None:
        soft_extra(small)
    image = small.resize((width, height), Image.Resampling.BILINEAR)

    draw = ImageDraw.Draw(image, "RGBA")
    if d.mood == "neon":
        bg.draw_sun(image, width / 2, height * 0.5, min(width, height) * 0.24, lighten(s, 0.3), p)
        bg.draw_lines(
            draw,
            bg.grid_lines(width, height, horizon),
            lighten(a, 0.2),
            width=max(1, round(height / 400)),
        )
    elif d.mood == "retro":
        bg.draw_halftone(draw, width, height, a, corner="bl", alpha=60)
    elif d.mood == "comic":
        bg.draw_halftone(draw, width, height, darken(p, 0.45), corner="tl", alpha=150)
        bg.draw_halftone(draw, width, height, darken(p, 0.45), corner="br", alpha=150)
    elif d.mood == "grunge":
        bg.draw_scratches(draw, width, height, [lighten(p, 0.3), (230, 230, 230), darken(s, 0.2)], rng)
    elif d.mood == "minimal":
        r = min(width, height) * 0.42
        cx, cy = focus
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*mix(bgc, p, 0.35), 255))
    elif d.mood == "clean":
        bg.draw_halftone(draw, width, height, lighten(p, 0.4), corner=rng.choice(["tl", "br"]), alpha=36)
    if d.weather == "rain":
        bg.draw_rain(draw, width, height, lighten(a, 0.5), rng)
    elif d.weather == "snow":
        bg.draw_snow(draw, width, height, (255, 255, 255), rng)
    elif d.weather == "night" or d.mood == "neon":
        bg.draw_sparkles(draw, width, height, [(255, 255, 255), lighten(a, 0.4)], rng, count=90)
    return image


def finish(image: Image.Image, mood: str, np_rng: np.random.Generator, grain: float) -> Image.Image:
    """The mood's last touch: retro pixels, and grain (heavy for grunge, none for minimal)."""
    if mood == "retro":
        block = max(2, round(min(image.size) / 150))
        image = bg.pixelate(image, block)
    # Grunge is grainy and dirty; pastel and minimal are smooth and clean.
    grain *= {"grunge": 4.0, "pastel": 0.3, "minimal": 0.0}.get(mood, 1.0)
    return bg.add_grain(image, np_rng, grain)
