"""The creator's own images in an asset: where each family puts them and how they are drawn.

A cut-out (a mascot, a face with its background removed) is placed as it is, with a soft
shadow; a photo is framed: rounded corners and a ring in the brand's accent colour. Where they
go depends on the asset: the focal side of a thumbnail (clear of the duration stamp), above the
words on scenes, covers and banners, beside the words on panels and overlays. On emotes,
badges, icons and avatars the first image is the subject itself.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFilter

from platforms.types import Rect

from . import geometry as geo
from .colors import RGB

SHADOW_ALPHA = 110


def boxes_for(
    family: str, width: int, height: int, safe: Rect, count: int, *, area: Rect | None = None
) -> list[Rect]:
    """Where ``count`` (1 or 2) reference images go on a canvas of this family (``area``: the
    composition's subject slot, when it has one)."""
    if area is None:
        area = _family_area(family, width, height, safe)
    if count <= 1:
        return [area]
    if area.width >= area.height:
        half = area.width // 2
        return [
            Rect(area.x, area.y, half, area.height),
            Rect(area.x + half, area.y, area.width - half, area.height),
        ]
    half = area.height // 2
    return [
        Rect(area.x, area.y, area.width, half),
        Rect(area.x, area.y + half, area.width, area.height - half),
    ]


def _family_area(family: str, width: int, height: int, safe: Rect) -> Rect:
    """Where a family puts the creator's images when its composition names no subject slot."""
    if family == "thumbnail":
        return Rect(
            round(width * 0.6), safe.y, geo.right(safe) - round(width * 0.6), round(safe.height * 0.8)
        )
    if family in ("scene", "cover"):
        top = safe.y + round(safe.height * 0.06)
        return Rect(round(width * 0.25), top, round(width * 0.5), round(height * 0.5) - top)
    if family == "banner":
        return Rect(safe.x, safe.y, round(safe.width * 0.22), safe.height)
    if family in ("panel", "overlay"):
        return Rect(safe.x, safe.y, safe.height, safe.height)
    # Square families: in the middle, inside the circle an avatar is cropped to.
    inset = round(min(width, height) * (0.16 if family == "avatar" else 0.1))
    return Rect(inset, inset, width - 2 * inset, height - 2 * inset)


def _contain(image: Image.Image, width: int, height: int) -> Image.Image:
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def framed(photo: Image.Image, width: int, height: int, ring: RGB) -> Image.Image:
    """A photo fitted into the box with rounded corners and a ring in the accent colour."""
    fitted = _contain(photo.convert("RGBA"), width, height)
    w, h = fitted.size
    radius = max(2, round(min(w, h) * 0.08))
    border = max(2, round(min(w, h) * 0.025))
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=radius, fill=255)
    out = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    out.paste(fitted, (0, 0), mask)
    ImageDraw.Draw(out).rounded_rectangle(
        (0, 0, w - 1, h - 1), radius=radius, outline=(*ring, 255), width=border
    )
    return out


def place(canvas: Image.Image, image: Image.Image, box: Rect, *, cutout: bool, ring: RGB) -> Rect:
    """Draw one reference image centred in ``box``; returns the rectangle it covers."""
    picture = (
        _contain(image.convert("RGBA"), box.width, box.height)
        if cutout
        else framed(image, box.width, box.height, ring)
    )
    x = box.x + (box.width - picture.width) // 2
    y = box.y + (box.height - picture.height) // 2
    # A soft shadow lifts it off busy art.
    shadow = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    shadow.putalpha(picture.getchannel("A").point(lambda a: a * SHADOW_ALPHA // 255))
    blur = max(1, round(min(picture.size) * 0.03))
    shadow = shadow.filter(ImageFilter.GaussianBlur(blur))
    offset = max(1, blur // 2)
    if canvas.mode == "RGBA":
        canvas.alpha_composite(shadow, (x + offset, y + offset))
        canvas.alpha_composite(picture, (x, y))
    else:
        canvas.paste(shadow, (x + offset, y + offset), shadow)
        canvas.paste(picture, (x, y), picture)
    return Rect(x, y, picture.width, picture.height)
