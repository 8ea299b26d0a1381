"""Subjects drawn from the art vocabulary: a concept, recoloured, with what it wears, holds and
has around it, finished in a style (sticker outline and shadow, neon edge, pixels, pastel…).

A subject is a pure function of its ``SubjectPlan`` and size, so drawings are cached like the
hand-drawn marks; images handed out are shared and read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageEnhance, ImageFilter

from .. import art
from ..colors import RGB, lighten, mix
from ..memo import PixelCache
from ..paint import HALO_LUT, SOLID_LUT, content_box, dilate
from ..reading_result import Accessory

# Where an accessory goes on the subject's box: (centre x, centre y, size) as shares of the
# group's side. Head items sit on the top of the subject and overlap it; face items over its
# eyes; held things at the lower right; effects float at the upper corners.
_AROUND_SPOTS = ((0.84, 0.16), (0.15, 0.18), (0.88, 0.5))


@dataclass(frozen=True)
class SubjectPlan:
    concept: str
    accessories: tuple[Accessory, ...] = ()
    colour: str | None = None  # recolour the subject toward this (#RRGGBB)
    accent: str | None = None  # recolour worn/held items toward this
    style: str = "bold"  # bold | soft | neon | pixel | pastel | grunge | minimal | comic
    outline: RGB = (20, 16, 32)
    edge: RGB = (34, 211, 238)  # the neon edge colour
    sticker: bool = True  # outline and shadow around the whole group


def _pixels(image: Image.Image) -> int:
    return image.width * image.height


_SUBJECTS: PixelCache[Image.Image] = PixelCache("fluent subjects", max_entries=48, max_pixels=4_000_000)


def draw_subject(plan: SubjectPlan, size: int) -> Image.Image:
    """The subject group, ``size`` px square, transparent (shared, read-only)."""
    return _SUBJECTS.get((plan, size), lambda: _draw(plan, max(8, size)), _pixels)


def _layout(plan: SubjectPlan) -> tuple[float, float, float]:
    """The main drawing's box (x, y, side) as shares of the group, leaving room for accessories."""
    places = {a.place for a in plan.accessories}
    side = 1.0
    x = y = 0.0
    if "head" in places:
        side = 0.8
        x, y = (1 - side) / 2, 1 - side
    if "hand" in places:
        side = min(side, 0.8)
        x, y = 0.0, 1 - side
    if "around" in places and side == 1.0:
        side = 0.86
        x, y = (1 - side) / 2, 1 - side
    return x, y, side


def _top_centre(alpha: np.ndarray) -> tuple[float, float, float, float]:
    """(x centre of the top band, top, bottom, width) of a drawing's opaque pixels, in px."""
    rows = np.flatnonzero((alpha > 40).any(axis=1))
    if not len(rows):
        return alpha.shape[1] / 2, 0.0, float(alpha.shape[0]), float(alpha.shape[1])
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    band = alpha[top : top + max(1, (bottom - top) // 3)] > 40
    cols = np.flatnonzero(band.any(axis=0))
    all_cols = np.flatnonzero((alpha > 40).any(axis=0))
    centre = (cols[0] + cols[-1] + 1) / 2 if len(cols) else alpha.shape[1] / 2
    # The head's middle: the top third's span, not a single ear.
    return float(centre), float(top), float(bottom), float(all_cols[-1] - all_cols[0] + 1)


def _draw(plan: SubjectPlan, size: int) -> Image.Image:
    pad = (0.1 if plan.style == "neon" else 0.06) if plan.sticker else 0.02
    inner = max(8, round(size * (1 - 2 * pad)))
    group = Image.new("RGBA", (inner, inner), (0, 0, 0, 0))
    x, y, side = _layout(plan)
    main_px = max(4, round(inner * side))
    main = art.raster(plan.concept, main_px, plan.colour)
    mx, my = round(inner * x), round(inner * y)
    group.alpha_composite(main, (mx, my))
    cx, top, bottom, width = _top_centre(np.asarray(main.getchannel("A")))
    height = bottom - top
    around = 0
    for accessory in plan.accessories:
        colour = plan.accent if accessory.place in ("head", "hand") and plan.accent else None
        if accessory.place == "head":
            side_px = round(max(width * 0.62, main_px * 0.42))
            item = art.raster(accessory.concept, side_px, colour)
            box = content_box(item) or (0, 0, side_px, side_px)
            ix = min(inner - side_px, max(0, mx + round(cx - side_px / 2)))
            # The item's bottom sits a fifth of the way down the subject: on the head, not above it.
            iy = max(-box[1], my + round(top + height * 0.2) - box[3])
            group.alpha_composite(item, (ix, iy))
        elif accessory.place == "face":
            side_px = round(width * 0.7)
            item = art.raster(accessory.concept, side_px, colour)
            box = content_box(item) or (0, 0, side_px, side_px)
            centre_y = my + top + height * 0.45
            ix = mx + round(cx - side_px / 2)
            iy = round(centre_y - (box[1] + box[3]) / 2)
            group.alpha_composite(item, (min(inner - side_px, max(0, ix)), max(0, iy)))
        elif accessory.place == "hand":
            side_px = round(inner * 0.46)
            item = art.raster(accessory.concept, side_px, colour)
            group.alpha_composite(item, (inner - side_px, inner - side_px))
        else:
            spot = _AROUND_SPOTS[min(around, len(_AROUND_SPOTS) - 1)]
            around += 1
            side_px = round(inner * 0.34)
            item = art.raster(accessory.concept, side_px, colour)
            ix = min(inner - side_px, max(0, round(inner * spot[0] - side_px / 2)))
            iy = min(inner - side_px, max(0, round(inner * spot[1] - side_px / 2)))
            group.alpha_composite(item, (ix, iy))
    group = _style(group, plan)
    out = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    offset = (size - inner) // 2
    out.paste(group, (offset, offset))
    if plan.sticker:
        out = _sticker(out, plan, size)
    return out


_ANY_LUT = [0 if v < 64 else 255 for v in range(256)]


def _style(group: Image.Image, plan: SubjectPlan) -> Image.Image:
    """What a style word changes in the drawing itself."""
    style = plan.style
    if style == "pastel":
        rgb = group.convert("RGB")
        washed = Image.blend(rgb, Image.new("RGB", rgb.size, (255, 255, 255)), 0.38)
        washed.putalpha(group.getchannel("A"))
        return washed
    if style == "grunge":
        rgb = ImageEnhance.Color(group.convert("RGB")).enhance(0.55)
        rgb = ImageEnhance.Contrast(rgb).enhance(1.25)
        # Scuffs: a fixed speckle from the drawing's own size (deterministic, no global RNG).
        rng = np.random.default_rng(group.width * 7919 + group.height)
        noise = rng.random(group.size[::-1]) < 0.06
        pixels = np.asarray(rgb).copy()
        pixels[noise] = (pixels[noise] * 0.45).astype(np.uint8)
        scuffed = Image.fromarray(pixels)
        scuffed.putalpha(group.getchannel("A"))
        return scuffed
    if style == "comic":
        rgb = ImageEnhance.Color(group.convert("RGB")).enhance(1.35)
        poster = rgb.quantize(colors=8, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).convert(
            "RGB"
        )
        poster.putalpha(group.getchannel("A"))
        return poster
    if style == "pixel":
        # Pixelate the drawing's own box (about 32 blocks across the group), so the art keeps its
        # exact extent: the composer can place it as drawn, at any size.
        box = content_box(group)
        if box is None:
            return group
        x0, y0, x1, y1 = box
        block = max(1.0, group.width / 32)
        grid = (max(1, round((x1 - x0) / block)), max(1, round((y1 - y0) / block)))
        small = group.crop(box).resize(grid, Image.Resampling.BOX)
        small.putalpha(small.getchannel("A").point(_ANY_LUT))
        out = Image.new("RGBA", group.size, (0, 0, 0, 0))
        out.paste(small.resize((x1 - x0, y1 - y0), Image.Resampling.NEAREST), (x0, y0))
        return out
    return group


def _sticker(image: Image.Image, plan: SubjectPlan, size: int) -> Image.Image:
    """Outline (and a soft shadow) around everything, so it reads on light and dark chat."""
    silhouette = image.getchannel("A")
    style = plan.style
    if style == "pixel":
        ring = ImageChops.subtract(silhouette.filter(ImageFilter.MaxFilter(3)), silhouette)
        out = Image.new("RGBA", image.size, (*plan.outline, 0))
        grid_px = max(2, size // 32)
        thick = silhouette.filter(ImageFilter.MaxFilter(2 * (grid_px // 2) + 1)).point(SOLID_LUT)
        out.putalpha(ImageChops.lighter(thick, ring))
        out.alpha_composite(image)
        return out
    weight = {"minimal": 0.022, "soft": 0.028, "comic": 0.055, "grunge": 0.045}.get(style, 0.04)
    outline_px = max(1.0, size * weight)
    out = Image.new("RGBA", image.size, (0, 0, 0, 0))
    if style == "neon":
        halo = dilate(silhouette, outline_px * 2.2).filter(ImageFilter.GaussianBlur(outline_px * 1.2))
        glow = Image.new("RGBA", image.size, (*plan.edge, 0))
        glow.putalpha(halo.point(HALO_LUT))
        out.alpha_composite(glow)
        ring = Image.new("RGBA", image.size, (*lighten(plan.edge, 0.35), 0))
        ring.putalpha(dilate(silhouette, outline_px))
        out.alpha_composite(ring)
    else:
        if style not in ("minimal", "pixel"):
            shadow = dilate(silhouette, outline_px).filter(ImageFilter.GaussianBlur(outline_px * 0.8))
            drop = max(1, round(outline_px * 0.6))
            shifted = Image.new("L", shadow.size, 0)
            shifted.paste(shadow.crop((0, 0, shadow.width, shadow.height - drop)), (0, drop))
            shadow = shifted
            dark = Image.new("RGBA", image.size, (*plan.outline, 0))
            dark.putalpha(shadow.point([v * 45 // 100 for v in range(256)]))
            out.alpha_composite(dark)
        edge = plan.outline if style != "soft" else mix(plan.outline, (255, 255, 255), 0.25)
        ring = Image.new("RGBA", image.size, (*edge, 0))
        ring.putalpha(dilate(silhouette, outline_px))
        out.alpha_composite(ring)
    out.alpha_composite(image)
    return out
