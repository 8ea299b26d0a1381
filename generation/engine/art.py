"""Subject art for the local engine: Microsoft's Fluent Emoji (flat style, MIT), rasterised.

About 1,600 concepts (animals, faces, food, objects, gestures, activities, symbols) live as SVG
files in ``generation/data/art/fluent/svg/`` with ``index.json`` (CLDR names, aliases, the emoji)
beside them; ``manage.py refresh_art`` rebuilds the folder from the npm package. Drawings are
rasterised by resvg (``resvg-py``, a wheel with no system libraries) once per concept, size and
colour, and kept in a bounded cache.

Recolouring works on the SVG's own fills before rasterising: the concept's main colour family
(the fills of the hue that covers the most area) moves to the requested colour while every fill
keeps its lightness and saturation relative to the main one, so shading survives ("a purple cat"
is still a cat with a darker belly and lighter muzzle, in purples).
"""

from __future__ import annotations

import colorsys
import functools
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .colors import RGB, hex_to_rgb, rgb_to_hex
from .memo import PixelCache

ART_DIR = Path(__file__).resolve().parents[1] / "data" / "art" / "fluent"

# The fills (and gradient stops) of a drawing, as written in the flat SVGs.
_FILL_RE = re.compile(r'(fill|stop-color)="(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})"')
_SAMPLE = 64  # px: the raster the colour areas are counted on


@dataclass(frozen=True)
class Concept:
    name: str  # "cat", "smiling-cat-with-heart-eyes"
    emoji: str
    aliases: tuple[str, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split("-"))


@functools.cache
def catalogue() -> dict[str, Concept]:
    """Every concept the art folder holds, by name."""
    index = json.loads((ART_DIR / "index.json").read_text(encoding="utf-8"))
    return {
        name: Concept(name=name, emoji=entry.get("emoji", ""), aliases=tuple(entry.get("aliases", ())))
        for name, entry in index.items()
    }


def exists(name: str) -> bool:
    return name in catalogue()


@functools.lru_cache(maxsize=256)
def svg_text(name: str) -> str:
    if name not in catalogue():
        raise KeyError(name)
    return (ART_DIR / "svg" / f"{name}.svg").read_text(encoding="utf-8")


def _expand(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def _rasterise(svg: str, size: int) -> Image.Image:
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size, skip_system_fonts=True)
    image = Image.open(io.BytesIO(bytes(png)))
    image.load()
    return image.convert("RGBA") if image.mode != "RGBA" else image


def _hls(rgb: RGB) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))


def _hue_distance(a: float, b: float) -> float:
    d = abs(a - b) % 1.0
    return min(d, 1 - d)


@functools.lru_cache(maxsize=512)
def fill_areas(name: str) -> tuple[tuple[str, int], ...]:
    """Each fill colour of a drawing with the pixels it covers at 64 px, largest first."""
    svg = svg_text(name)
    fills = dict.fromkeys(_expand(m.group(2)) for m in _FILL_RE.finditer(svg))
    if not fills:
        return ()
    pixels = np.asarray(_rasterise(svg, _SAMPLE))
    opaque = pixels[pixels[..., 3] == 255][:, :3].astype(np.int32)
    if not len(opaque):
        return tuple((value, 0) for value in fills)
    keys = opaque[:, 0] * 65536 + opaque[:, 1] * 256 + opaque[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    found = dict(zip(values.tolist(), counts.tolist(), strict=True))
    areas = []
    for value in fills:
        r, g, b = hex_to_rgb(value)
        areas.append((value, int(found.get(r * 65536 + g * 256 + b, 0))))
    return tuple(sorted(areas, key=lambda item: -item[1]))


def body_colour(name: str) -> str:
    """The drawing's main colour: its largest fill that isn't outline-dark."""
    for value, _ in fill_areas(name):
        if _hls(hex_to_rgb(value))[1] > 0.16:
            return value
    return "#808080"


def _family(name: str) -> tuple[str, set[str]]:
    """The main fill and the fills of its colour family (the ones a recolour moves)."""
    main = body_colour(name)
    h0, l0, s0 = _hls(hex_to_rgb(main))
    chromatic = s0 > 0.18 and 0.1 < l0 < 0.93
    family = set()
    for value, _ in fill_areas(name):
        h, light, s = _hls(hex_to_rgb(value))
        if light < 0.12:  # outlines, pupils
            continue
        if chromatic:
            if s > 0.18 and _hue_distance(h, h0) < 0.11:
                family.add(value)
        elif s <= 0.18 and light > 0.3:
            family.add(value)
    return main, family


@functools.lru_cache(maxsize=256)
def recoloured_svg(name: str, target: str) -> str:
    """The drawing with its main colour family moved to ``target`` (#RRGGBB), shading kept."""
    main, family = _family(name)
    th, tl, ts = _hls(hex_to_rgb(target))
    h0, l0, s0 = _hls(hex_to_rgb(main))
    mapping: dict[str, str] = {}
    for value in family:
        h, light, s = _hls(hex_to_rgb(value))
        new_l = min(0.96, max(0.06, tl + (light - l0)))
        new_s = min(1.0, max(0.0, ts * (s / s0) if s0 > 0.05 else ts))
        hue = (th + (h - h0)) % 1.0 if s0 > 0.18 else th
        r, g, b = colorsys.hls_to_rgb(hue, new_l, new_s)
        mapping[value] = rgb_to_hex((round(r * 255), round(g * 255), round(b * 255)))

    def swap(match: re.Match[str]) -> str:
        value = _expand(match.group(2))
        return f'{match.group(1)}="{mapping.get(value, value)}"'

    return _FILL_RE.sub(swap, svg_text(name))


def _pixels(image: Image.Image) -> int:
    return image.width * image.height


# A few concepts at a few sizes cover a creator's session; each entry is read-only.
_RASTERS: PixelCache[Image.Image] = PixelCache("fluent art", max_entries=96, max_pixels=6_000_000)


def raster(name: str, size: int, colour: str | None = None) -> Image.Image:
    """The concept as a transparent ``size``×``size`` image (shared, read-only), optionally
    recoloured toward ``colour``."""
    size = max(4, int(size))

    def make() -> Image.Image:
        svg = recoloured_svg(name, colour.lower()) if colour else svg_text(name)
        return _rasterise(svg, size)

    return _RASTERS.get((name, size, colour and colour.lower()), make, _pixels)


def coverage(image: Image.Image, colour: str, tolerance: float = 60.0) -> float:
    """The share of an image's opaque pixels within ``tolerance`` (RGB distance) of ``colour``."""
    pixels = np.asarray(image.convert("RGBA")).astype(np.float32)
    opaque = pixels[pixels[..., 3] > 200][:, :3]
    if not len(opaque):
        return 0.0
    target = np.array(hex_to_rgb(colour), dtype=np.float32)
    near = np.linalg.norm(opaque - target, axis=1) <= tolerance
    return float(near.mean())


__all__ = ["ART_DIR", "Concept", "body_colour", "catalogue", "coverage", "exists", "raster", "rgb_to_hex"]
