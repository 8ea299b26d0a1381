"""Post-processing: every rendition from the composed master, sharpened when small.

Renditions are scaled with Lanczos, each from the nearest already-made image at least twice
its size (the 28 px emote from the 56 px one), which looks the same as scaling from the master
and costs a fraction. Transparent images are scaled and sharpened in premultiplied colour
(Pillow's ``RGBa``), converted once at the start of the chain rather than by every resize, so
transparent edges do not grow halos. The unsharpened pixels are handed on, so the legibility
check judges the same pixels without scaling the canvas again.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .paint import min_alpha
from .types import PlatformSpec

SHARPEN_AT_OR_BELOW = 56  # px: chat-sized files lose crispness when downscaled; sharpen them


UNSHARP = ImageFilter.UnsharpMask(radius=0.6, percent=70, threshold=1)


def sharpen_small(image: Image.Image) -> Image.Image:
    """An unsharp mask on premultiplied colour, so transparent edges do not grow halos.

    ``image`` may be RGBA or already premultiplied (``RGBa``); colour and alpha are sharpened
    together in one pass, colour is divided back out, and pixels left fully transparent are
    made transparent black. Returns RGBA (or the input's mode when it has no alpha).
    """
    if image.mode not in ("RGBA", "RGBa"):
        return image.filter(UNSHARP)
    premultiplied = image if image.mode == "RGBa" else image.convert("RGBa")
    out = np.array(premultiplied.filter(UNSHARP).convert("RGBA"))
    out[out[..., 3] == 0] = 0
    return Image.fromarray(out)


def finalise_mode(image: Image.Image, spec: PlatformSpec, background: tuple[int, int, int]) -> Image.Image:
    """RGBA for transparent assets; RGB (flattened onto the brand background) for the rest."""
    if spec.transparent:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    if image.mode == "RGBA":
        if min_alpha(image) < 255:
            base = Image.new("RGBA", image.size, (*background, 255))
            base.alpha_composite(image)
            image = base
        return image.convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def make_renditions(
    master: Image.Image,
    spec: PlatformSpec,
    background: tuple[int, int, int],
    previews: dict[tuple[int, int], Image.Image] | None = None,
) -> list[Image.Image]:
    """One image per rendition, largest first.

    Each is scaled (Lanczos) from the smallest image already made that is at least twice its
    size (before sharpening), or from the composed master: the 28 px emote comes from the
    56 px one rather than from the 224 px canvas, for a fraction of the cost and the same
    look. ``previews``, when given, receives each rendition's scaled pixels before sharpening
    and mode changes (what the legibility check judges), so they are not scaled again.
    """
    out = []
    premultiplied: Image.Image | None = None  # the master as RGBa, made on first use
    sources: list[Image.Image] = []
    for rendition in spec.renditions:
        size = (rendition.width, rendition.height)
        if master.size == size:
            scaled = master
        else:
            source = next(
                (
                    image
                    for image in reversed(sources)
                    if image.width >= 2 * rendition.width and image.height >= 2 * rendition.height
                ),
                None,
            )
            if source is None:
                if premultiplied is None:
                    premultiplied = master.convert("RGBa") if master.mode == "RGBA" else master
                source = premultiplied
            scaled = source.resize(size, Image.Resampling.LANCZOS)
            sources.append(scaled)
        small = max(rendition.width, rendition.height) <= SHARPEN_AT_OR_BELOW
        straight = scaled.convert("RGBA") if scaled.mode == "RGBa" else scaled
        if previews is not None:
            previews[scaled.size] = straight
        image = finalise_mode(sharpen_small(scaled) if small else straight, spec, background)
        image.info = {}
        out.append(image)
    return out
