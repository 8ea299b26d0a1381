"""What each composition adds to the local art around its subjects, in the art's own colours.

A composition (``layout.Frame``) says where the subjects and the words go; this module draws
the shapes that make it read as that composition: the colour slab of a big-subject thumbnail,
the two tinted halves and the burst of a versus, the circle and arrow of a reaction, the band
behind a top-N number, the dull "before" half, the frame of a title card, the slab beside a
hero banner's subject. ``under`` runs before the subjects are placed, ``over`` after them.

Every colour is one of the art's palette (the kit's, with the colours the creator named in
the art's roles), a tint or shade of one, or neutral: a background never brings a colour of
its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

from platforms.types import Rect

from ..colors import RGB, darken, lighten
from ..layout import Frame
from . import backgrounds as bg


@dataclass(frozen=True)
class Colours:
    primary: RGB
    secondary: RGB
    accent: RGB
    background: RGB
    dark: RGB
    quiet: bool = False  # minimal and pastel: no rays

    @classmethod
    def for_mood(
        cls, mood: str, primary: RGB, secondary: RGB, accent: RGB, background: RGB, dark: RGB
    ) -> Colours:
        """The composition's colours in the style's key: pastel tints, grunge shades."""
        if mood == "pastel":
            p, s, a = (lighten(c, 0.6) for c in (primary, secondary, accent))
            return cls(p, s, a, background, dark, quiet=True)
        if mood == "grunge":
            return cls(darken(primary, 0.35), darken(secondary, 0.35), accent, background, dark)
        return cls(primary, secondary, accent, background, dark, quiet=mood == "minimal")


def _scaled(rect: Rect, k: float) -> tuple[float, float, float, float]:
    return (rect.x * k, rect.y * k, (rect.x + rect.width) * k, (rect.y + rect.height) * k)


def under(image: Image.Image, frame: Frame, family: str, c: Colours, k: float, spin: float) -> None:
    """The composition's shapes behind the subjects (``k``: canvas px per master px)."""
    w, h = image.size
    draw = ImageDraw.Draw(image, "RGBA")
    name = frame.name
    if name == "pattern":
        # A wallpaper: the field in the main colour, the subject repeated over it.
        draw.rectangle((0, 0, w, h), fill=(*c.primary, 110))
        return
    if family == "thumbnail":
        if name == "big_subject" and frame.mirrored:
            bg.draw_slab(draw, w, h, c.secondary, start=-0.2, end=0.44, alpha=225, tilt=-0.06)
            bg.draw_slab(draw, w, h, c.accent, start=0.435, end=0.455, alpha=255, tilt=-0.06)
        elif name == "big_subject":
            # A bold slab behind the subject, the thumbnail staple, edged in the accent.
            bg.draw_slab(draw, w, h, c.secondary, start=0.56, end=1.2, alpha=225, tilt=0.06)
            bg.draw_slab(draw, w, h, c.accent, start=0.545, end=0.565, alpha=255, tilt=0.06)
        elif name == "reaction":
            face = frame.slots[0]
            bg.draw_slab(draw, w, h, c.primary, start=-0.3, end=0.42, alpha=200, tilt=0.05)
            if not c.quiet:
                rays = (*lighten(c.primary, 0.25), 70)
                cx, cy = face.cx * k, face.cy * k
                bg.draw_wedges(draw, cx, cy, max(w, h), rays, count=14, share=0.45, spin=spin)
        elif name == "versus":
            # Two halves, one per side, split by a jagged accent line.
            left = _jagged_split(w, h, teeth=7)
            draw.polygon([(0, 0), *left, (0, h)], fill=(*c.primary, 150))
            draw.polygon([(w, 0), *left, (w, h)], fill=(*c.secondary, 150))
            draw.line(left, fill=(*c.accent, 255), width=max(3, round(w * 0.008)), joint="curve")
        elif name == "top_list":
            bg.draw_slab(draw, w, h, c.primary, start=-0.2, end=0.245, alpha=230, tilt=0.04)
            bg.draw_slab(draw, w, h, c.accent, start=0.245, end=0.26, alpha=255, tilt=0.04)
        elif name == "before_after":
            half = image.crop((0, 0, w // 2, h))
            dull = ImageOps.grayscale(half).convert("RGB")
            image.paste(Image.blend(half, dull, 0.8).point(lambda v: round(v * 0.7)), (0, 0))
            draw.rectangle((w // 2, 0, w, h), fill=(*c.primary, 60))
            draw.line([(w / 2, 0), (w / 2, h)], fill=(*c.accent, 255), width=max(3, round(w * 0.006)))
        elif name == "title_card":
            # A card in the main colour behind the title, edged in the accent, inside a frame.
            inset = round(min(w, h) * 0.04)
            line = max(3, round(min(w, h) * 0.012))
            draw.rectangle((inset, inset, w - inset, h - inset), outline=(*c.accent, 255), width=line)
            x0, y0, x1, y1 = _scaled(frame.text, k)
            pad_x, pad_y = (x1 - x0) * 0.05, (y1 - y0) * 0.12
            draw.rounded_rectangle(
                (x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y),
                radius=round((y1 - y0) * 0.18),
                fill=(*c.primary, 245),
                outline=(*c.accent, 255),
                width=line,
            )
    elif (family == "banner" and name == "hero") or (family in ("scene", "cover") and name == "split"):
        slot = frame.slots[0]
        share = slot.cx * k / w
        if h > w * 1.2:  # a tall split: the subject below, a band behind it
            top = (slot.cy - slot.size * 0.62) * k
            draw.polygon([(0, top + h * 0.05), (w, top - h * 0.05), (w, h), (0, h)], fill=(*c.secondary, 170))
        else:
            bg.draw_slab(draw, w, h, c.secondary, start=-0.3, end=share * 2, alpha=170, tilt=0.05)
    elif family == "panel":
        if name == "icon_left":
            bg.draw_slab(draw, w, h, c.primary, start=-0.2, end=0.3, alpha=200, tilt=0.04)
        elif name == "icon_right":
            bg.draw_slab(draw, w, h, c.primary, start=0.7, end=1.2, alpha=200, tilt=0.04)


def over(image: Image.Image, frame: Frame, family: str, c: Colours, k: float, spin: float) -> None:
    """The composition's marks over the subjects: the reaction's circle and arrow, the
    versus burst (under the compositor's "VS"), the before/after arrow."""
    if family != "thumbnail":
        return
    draw = ImageDraw.Draw(image, "RGBA")
    w = image.width
    ring = frame.mark("ring")
    if ring is not None:
        x0, y0, x1, y1 = _scaled(ring, k)
        grow = (x1 - x0) * 0.08
        width = max(4, round(w * 0.01))
        box = (x0 - grow, y0 - grow, x1 + grow, y1 + grow)
        draw.ellipse(box, outline=(*c.dark, 255), width=width + max(2, width // 2))
        draw.ellipse(box, outline=(*c.accent, 255), width=width)
    arrow = frame.mark("arrow")
    if arrow is not None:
        x0, y0, x1, y1 = _scaled(arrow, k)
        if frame.name == "reaction":
            # From beside the face up towards the circled detail.
            _arrow(draw, (x0, y1), (x1, y0), c.accent, c.dark, width=max(6, round(w * 0.012)))
        else:
            _arrow(
                draw,
                (x0, (y0 + y1) / 2),
                (x1, (y0 + y1) / 2),
                c.accent,
                c.dark,
                width=max(6, round(w * 0.014)),
            )
    vs = frame.mark("vs")
    if vs is not None:
        x0, y0, x1, y1 = _scaled(vs, k)
        size = round((x1 - x0) * 1.5)
        burst = bg.draw_burst(size, size * 2, spin, c.dark, c.accent)
        image.paste(burst, (round((x0 + x1) / 2 - size / 2), round((y0 + y1) / 2 - size / 2)), burst)


def _jagged_split(w: int, h: int, *, teeth: int) -> list[tuple[float, float]]:
    """A zigzag from the top to the bottom of the canvas, leaning a little."""
    points = []
    for i in range(teeth * 2 + 1):
        y = h * i / (teeth * 2)
        lean = w * 0.04 * (0.5 - i / (teeth * 2))
        x = w / 2 + lean + (w * 0.025 if i % 2 else -w * 0.025)
        points.append((x, y))
    return points


def _arrow(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    colour: RGB,
    edge: RGB,
    *,
    width: int,
) -> None:
    """A thick arrow with a dark edge, from ``start`` to ``end``."""
    (x0, y0), (x1, y1) = start, end
    angle = math.atan2(y1 - y0, x1 - x0)
    head = width * 3.2
    neck = (x1 - head * 0.8 * math.cos(angle), y1 - head * 0.8 * math.sin(angle))
    wing = [
        (x1, y1),
        (x1 - head * math.cos(angle - 0.5), y1 - head * math.sin(angle - 0.5)),
        (x1 - head * math.cos(angle + 0.5), y1 - head * math.sin(angle + 0.5)),
    ]
    edge_w = max(2, width // 3)
    draw.line([start, neck], fill=(*edge, 255), width=width + 2 * edge_w)
    draw.polygon(wing, fill=(*edge, 255), outline=(*edge, 255), width=edge_w * 2)
    draw.line([start, neck], fill=(*colour, 255), width=width)
    draw.polygon(wing, fill=(*colour, 255))
