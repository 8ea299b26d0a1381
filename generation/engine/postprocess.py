"""Post-processing: every rendition from the composed master, sharpened when small."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .paint import min_alpha
from .types import PlatformSpec, Rendition

SHARPEN_AT_OR_BELOW = 56  # px: chat-sized files lose crispness when downscaled; sharpen them


def sharpen_small(image: Image.Image) -> Image.Image:
    """An unsharp mask on premultiplied colour, so transparent edges do not grow halos."""
    if image.mode != "RGBA":
        return image.filter(ImageFilter.UnsharpMask(radius=0.6, percent=70, threshold=1))
    pixels = np.asarray(image).astype(np.float32)
    alpha = pixels[..., 3:4] / 255.0
    premultiplied = Image.fromarray(np.clip(pixels[..., :3] * alpha, 0, 255).astype(np.uint8))
    unsharp = ImageFilter.UnsharpMask(radius=0.6, percent=70, threshold=1)
    colour = np.asarray(premultiplied.filter(unsharp)).astype(np.float32)
    sharp_alpha = np.asarray(image.getchannel("A").filter(unsharp)).astype(np.float32)[..., None] / 255.0
    out_alpha = np.clip(sharp_alpha, 0, 1)
    safe = np.maximum(out_alpha, 1e-3)
    rgb = np.where(out_alpha > 0, np.clip(colour / safe, 0, 255), 0)
    out = np.concatenate([rgb, out_alpha * 255], axis=-1)
    return Image.fromarray(np.rint(out).astype(np.uint8))


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


def make_rendition(master: Image.Image, rendition: Rendition) -> Image.Image:
    size = (rendition.width, rendition.height)
    image = master if master.size == size else master.resize(size, Image.Resampling.LANCZOS)
    if max(size) <= SHARPEN_AT_OR_BELOW:
        image = sharpen_small(image)
    return image


def make_renditions(
    master: Image.Image, spec: PlatformSpec, background: tuple[int, int, int]
) -> list[Image.Image]:
    """One image per rendition, largest first, each resized straight from the composed master."""
    out = []
    for rendition in spec.renditions:
        image = finalise_mode(make_rendition(master, rendition), spec, background)
        image.info = {}
        out.append(image)
    return out
