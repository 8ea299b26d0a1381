"""Compositing onto RGB or RGBA canvases with the right blending for each.

Transparent canvases need true alpha compositing (so antialiased edges over transparent pixels
keep their colour); opaque canvases are cheaper to paint with a masked paste, which blends the
same way when the destination is opaque.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from platforms.types import Rect

from .colors import RGB


def min_alpha(image: Image.Image) -> int:
    """The lowest alpha in an image (255 for images without an alpha channel)."""
    if image.mode != "RGBA":
        return 255
    extrema = image.getchannel("A").getextrema()  # one band: (min, max)
    low = extrema[0] if isinstance(extrema, tuple) else extrema
    return int(low) if isinstance(low, int | float) else int(low[0])


def content_box(image: Image.Image, threshold: int = 10) -> tuple[int, int, int, int] | None:
    """The bounding box of the pixels whose alpha is above ``threshold`` (None if none are)."""
    if image.mode != "RGBA":
        return (0, 0, image.width, image.height)
    return box_above(np.asarray(image.getchannel("A")), threshold)


def box_above(alpha: np.ndarray, threshold: int) -> tuple[int, int, int, int] | None:
    """The bounding box of the values above ``threshold`` in a 2-D array (None if none are)."""
    above = alpha > threshold
    rows = np.flatnonzero(above.any(axis=1))
    if not len(rows):
        return None
    cols = np.flatnonzero(above.any(axis=0))
    return (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)


def place_on_empty(canvas: Image.Image, layer: Image.Image, xy: tuple[int, int]) -> None:
    """``canvas.alpha_composite(layer, xy)`` where the canvas is still transparent black.

    There, compositing copies the layer, except that fully transparent pixels come out black:
    a plain paste gives the same pixels unless the layer keeps colour in such pixels.
    """
    if layer.mode != "RGBA" or canvas.mode != "RGBA":
        canvas.alpha_composite(layer, xy)
        return
    packed = np.asarray(layer).view("<u4")  # R | G << 8 | B << 16 | A << 24
    if ((packed < 1 << 24) & (packed != 0)).any():
        canvas.alpha_composite(layer, xy)
    else:
        canvas.paste(layer, xy)


def _clip(canvas: Image.Image, size: tuple[int, int], x: int, y: int) -> tuple[int, int, int, int] | None:
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(canvas.width, x + size[0]), min(canvas.height, y + size[1])
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def over(canvas: Image.Image, layer: Image.Image, xy: tuple[int, int] = (0, 0)) -> None:
    """Composite an RGBA ``layer`` with its top-left at ``xy`` (clipped to the canvas)."""
    x, y = xy
    box = _clip(canvas, layer.size, x, y)
    if box is None:
        return
    x0, y0, x1, y1 = box
    piece = (
        layer
        if (x0, y0, x1, y1) == (x, y, x + layer.width, y + layer.height)
        else layer.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    )
    if canvas.mode == "RGBA":
        canvas.alpha_composite(piece, (x0, y0))
    else:
        canvas.paste(piece, (x0, y0), piece)


def tint(canvas: Image.Image, colour: RGB, mask: Image.Image, xy: tuple[int, int] = (0, 0)) -> Rect | None:
    """Paint a solid colour through an L ``mask`` at ``xy``; returns the inked rectangle."""
    x, y = xy
    box = _clip(canvas, mask.size, x, y)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    piece = mask.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    inked = piece.getbbox()
    if inked is None:
        return None
    if canvas.mode == "RGBA":
        layer = Image.new("RGBA", piece.size, (*colour, 0))
        layer.putalpha(piece)
        canvas.alpha_composite(layer, (x0, y0))
    else:
        canvas.paste(colour, (x0, y0, x1, y1), piece)
    return Rect(x0 + inked[0], y0 + inked[1], inked[2] - inked[0], inked[3] - inked[1])


# Lookup tables for Image.point (a list is applied in C; a lambda is called 256 times first).
DILATE_LUT = [0 if v < 4 else min(255, (v - 4) * 24) for v in range(256)]
HALO_LUT = [v * 70 // 100 for v in range(256)]  # a glow at 70 % of the mask
SOLID_LUT = [255 if v > 127 else 0 for v in range(256)]  # a mask's pixels, on or off


def dilate(mask: Image.Image, radius: float) -> Image.Image:
    """A rounded dilation of a mask by about ``radius`` px, with soft (antialiased) edges.

    Blurring a hard edge and keeping everything above a low threshold grows the shape by a
    fixed multiple of the blur radius; far cheaper than a max filter at these sizes.
    """
    if radius <= 0:
        return mask
    blurred = mask.filter(ImageFilter.GaussianBlur(radius / 1.7))
    return blurred.point(DILATE_LUT)
