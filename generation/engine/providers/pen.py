"""The pen marks and badge frames are drawn with, and the finish that makes them read.

Shapes are given in unit coordinates (0–1, y down); the ``Pen`` records both their colours and
the silhouette, and ``finish`` adds a bevel and a bold outline (or a neon edge) around the
whole silhouette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ..colors import RGB, darken, lighten, mix
from ..paint import HALO_LUT, dilate

Point = tuple[float, float]
RGBA = tuple[int, int, int, int]
CLEAR: RGBA = (0, 0, 0, 0)


@dataclass(frozen=True)
class MarkColors:
    main: RGB  # the body
    second: RGB  # secondary parts
    accent: RGB  # gems, highlights, small details
    light: RGB  # the lightest brand colour (eyes, blades, glints)
    dark: RGB  # outline and pupils

    def rgba(self, rgb: RGB, alpha: int = 255) -> RGBA:
        return (rgb[0], rgb[1], rgb[2], alpha)


# --- geometry helpers --------------------------------------------------------------------


def bez(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 18) -> list[Point]:
    """Points along a cubic Bézier curve (end point excluded, so segments chain)."""
    points = []
    for i in range(n):
        t = i / n
        u = 1 - t
        points.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return points


def chain(start: Point, *segments: tuple[Point, Point, Point], n: int = 18) -> list[Point]:
    """A closed outline from chained cubic segments (control, control, end)."""
    points: list[Point] = []
    current = start
    for c1, c2, end in segments:
        points.extend(bez(current, c1, c2, end, n))
        current = end
    return points


def ellipse_pts(
    cx: float, cy: float, rx: float, ry: float, n: int = 64, a0: float = 0, a1: float = 360
) -> list[Point]:
    full = abs(a1 - a0) >= 360
    count = n if full else max(2, int(n * abs(a1 - a0) / 360) + 1)
    step = (a1 - a0) / (count if full else count - 1)
    return [
        (cx + rx * math.cos(math.radians(a0 + i * step)), cy + ry * math.sin(math.radians(a0 + i * step)))
        for i in range(count)
    ]


def star_pts(
    cx: float, cy: float, r_out: float, r_in: float, points: int = 5, rotation: float = -90
) -> list[Point]:
    result = []
    for i in range(points * 2):
        r = r_out if i % 2 == 0 else r_in
        angle = math.radians(rotation + i * 180 / points)
        result.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return result


def rrect_pts(x0: float, y0: float, x1: float, y1: float, radius: float) -> list[Point]:
    radius = min(radius, (x1 - x0) / 2, (y1 - y0) / 2)
    if radius <= 0:
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    pts: list[Point] = []
    for cx, cy, a0 in (
        (x1 - radius, y0 + radius, -90),
        (x1 - radius, y1 - radius, 0),
        (x0 + radius, y1 - radius, 90),
        (x0 + radius, y0 + radius, 180),
    ):
        pts.extend(ellipse_pts(cx, cy, radius, radius, n=40, a0=a0, a1=a0 + 90))
    return pts


def rotate(points: Sequence[Point], degrees: float, centre: Point = (0.5, 0.5)) -> list[Point]:
    a = math.radians(degrees)
    cos, sin = math.cos(a), math.sin(a)
    cx, cy = centre
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos) for x, y in points]


def mirror(points: Sequence[Point]) -> list[Point]:
    return [(1 - x, y) for x, y in points]


# --- the pen -----------------------------------------------------------------------------


class Pen:
    """Draws unit-coordinate shapes into a colour layer and a silhouette mask."""

    def __init__(self, size: int, rotation: float = 0.0, pad: float = 0.0) -> None:
        self.size = size
        self.rotation = rotation
        self.pad = pad  # shrink the unit square so outlines and rotation stay on the canvas
        self.image = Image.new("RGBA", (size, size), CLEAR)
        self.silhouette = Image.new("L", (size, size), 0)
        self._draw = ImageDraw.Draw(self.image)
        self._mask = ImageDraw.Draw(self.silhouette)

    def _px(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        if self.rotation:
            points = rotate(points, self.rotation)
        span = self.size * (1 - 2 * self.pad)
        offset = self.size * self.pad
        return [(offset + x * span, offset + y * span) for x, y in points]

    def unit(self, value: float) -> float:
        return value * self.size * (1 - 2 * self.pad)

    def poly(self, points: Sequence[Point], fill: RGB | RGBA, body: bool = True) -> None:
        xy = self._px(points)
        alpha = fill[3] if len(fill) == 4 else 255
        if alpha == 255:
            self._draw.polygon(xy, fill=(fill[0], fill[1], fill[2], 255))
        else:
            # ImageDraw replaces pixels; a see-through detail must blend, so paint through a mask.
            x0 = max(0, int(min(x for x, _ in xy)))
            y0 = max(0, int(min(y for _, y in xy)))
            x1 = min(self.size, int(max(x for x, _ in xy)) + 2)
            y1 = min(self.size, int(max(y for _, y in xy)) + 2)
            if x1 > x0 and y1 > y0:
                mask = Image.new("L", (x1 - x0, y1 - y0), 0)
                ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in xy], fill=alpha)
                region = self.image.crop((x0, y0, x1, y1))
                paint = Image.new("RGBA", region.size, (fill[0], fill[1], fill[2], 255))
                region.paste(paint, (0, 0), mask)
                # Keep the underlying coverage: a detail never makes the body more opaque.
                region.putalpha(ImageChops.lighter(self.image.crop((x0, y0, x1, y1)).getchannel("A"), mask))
                self.image.paste(region, (x0, y0))
        if body:
            self._mask.polygon(xy, fill=255)

    def ellipse(
        self,
        cx: float,
        cy: float,
        rx: float,
        ry: float | None = None,
        *,
        fill: RGB | RGBA,
        body: bool = True,
        angle: float = 0,
    ) -> None:
        pts = ellipse_pts(cx, cy, rx, rx if ry is None else ry)
        if angle:
            pts = rotate(pts, angle, (cx, cy))
        self.poly(pts, fill, body)

    def rrect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        radius: float,
        *,
        fill: RGB | RGBA,
        body: bool = True,
    ) -> None:
        self.poly(rrect_pts(x0, y0, x1, y1, radius), fill, body)

    def stroke(
        self, points: Sequence[Point], width: float, fill: RGB | RGBA, body: bool = True, caps: bool = True
    ) -> None:
        xy = self._px(points)
        w = max(1, round(self.unit(width)))
        colour = fill if len(fill) == 4 else (*fill, 255)
        self._draw.line(xy, fill=colour, width=w, joint="curve")
        if body:
            self._mask.line(xy, fill=255, width=w, joint="curve")
        if caps:
            r = w / 2
            for x, y in (xy[0], xy[-1]):
                box = (x - r, y - r, x + r, y + r)
                self._draw.ellipse(box, fill=colour)
                if body:
                    self._mask.ellipse(box, fill=255)

    def cut(self, points: Sequence[Point]) -> None:
        """Erase a shape from both the colours and the silhouette (holes, crescents)."""
        xy = self._px(points)
        self._draw.polygon(xy, fill=CLEAR)
        self._mask.polygon(xy, fill=0)


# --- the finish --------------------------------------------------------------------------


def _shift(mask: Image.Image, dx: int, dy: int) -> Image.Image:
    """``mask`` moved so each pixel shows its neighbour ``(dx, dy)`` away (outside is 0)."""
    return mask.transform(mask.size, Image.Transform.AFFINE, (1, 0, dx, 0, 1, dy), fillcolor=0)


# Lookup tables for Image.point (a list is applied in C; a lambda is called 256 times first).
SHADE_LUT = [v * 45 // 100 for v in range(256)]
GLINT_LUT = [v * 30 // 100 for v in range(256)]


def finish(pen: Pen, colors: MarkColors, outline_px: float, style: str = "bold") -> Image.Image:
    """Bevel the pen's shapes and put an outline (or a neon edge) around the silhouette."""
    sil = pen.silhouette
    body = pen.image

    # Bevel: a darker rim bottom-right and a lighter one top-left make flat shapes read as objects.
    d = max(1, round(pen.size * 0.035))
    soft = max(1.0, d / 2)
    if style != "neon":
        shade = ImageChops.subtract(sil, _shift(sil, d, d)).filter(ImageFilter.GaussianBlur(soft))
        shade = ImageChops.multiply(shade, sil).point(SHADE_LUT)
        glow = ImageChops.subtract(sil, _shift(sil, -d, -d)).filter(ImageFilter.GaussianBlur(soft))
        glow = ImageChops.multiply(glow, sil).point(GLINT_LUT)
        dark_layer = Image.new("RGBA", sil.size, (*darken(colors.main, 0.7), 0))
        dark_layer.putalpha(shade)
        light_layer = Image.new("RGBA", sil.size, (255, 255, 255, 0))
        light_layer.putalpha(glow)
        body = Image.alpha_composite(Image.alpha_composite(body, dark_layer), light_layer)

    if style == "neon":
        edge_colour = colors.accent
        ring = dilate(sil, outline_px)
        halo = dilate(sil, outline_px * 2.2).filter(ImageFilter.GaussianBlur(outline_px * 1.2))
        out = Image.new("RGBA", sil.size, (*edge_colour, 0))
        out.putalpha(halo.point(HALO_LUT))
        ring_layer = Image.new("RGBA", sil.size, (*lighten(edge_colour, 0.35), 0))
        ring_layer.putalpha(ring)
        out.alpha_composite(ring_layer)
        inner = Image.new("RGBA", sil.size, (*mix(colors.dark, colors.main, 0.25), 0))
        inner.putalpha(dilate(sil, outline_px * 0.35))
        out.alpha_composite(inner)
        body_dim = body.copy()
        out.alpha_composite(body_dim)
    else:
        edge_colour = colors.dark if style == "bold" else mix(colors.dark, colors.main, 0.35)
        width = outline_px if style == "bold" else outline_px * 0.7
        out = Image.new("RGBA", sil.size, (*edge_colour, 0))
        out.putalpha(dilate(sil, width))
        out.alpha_composite(body)
    return out
