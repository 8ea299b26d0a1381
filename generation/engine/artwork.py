"""The provider's art made ready to compose: decoded safely, its flat background keyed out,
trimmed, fitted or cover-cropped, and toned by the creator's refinements; and the work size
assets are composed at."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

from platforms.types import PlatformSpec

from . import layout, paint
from .types import ProviderError

MAX_ART_PIXELS = 40_000_000  # larger provider images are refused (decompression bombs)


def work_scale(spec: PlatformSpec) -> int:
    """Small canvases are composed at twice their size, so strokes and curves stay smooth."""
    return 2 if max(spec.master.width, spec.master.height) <= 256 else 1


def work_size(spec: PlatformSpec) -> tuple[int, int]:
    k = work_scale(spec)
    return spec.master.width * k, spec.master.height * k


def decode_image(data: bytes, *, what: str = "art") -> Image.Image:
    """Decode PNG/JPEG/WebP bytes into RGBA, refusing unreadable or enormous images."""
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_ART_PIXELS:
            raise ProviderError(
                f"The image service returned an {what} image that is too large.", retryable=True
            )
        image.load()
    except ProviderError:
        raise
    except Exception as exc:
        raise ProviderError(
            f"The image service returned an unreadable {what} image.", retryable=True
        ) from exc
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    image.info = {}
    return image


def has_transparency(image: Image.Image) -> bool:
    return paint.min_alpha(image) < 250


def key_out_background(image: Image.Image) -> Image.Image:
    """Remove a flat background: the dominant border colour, with a soft threshold.

    AI models are asked for a subject on one flat colour; the colour is found from the border,
    pixels near it become transparent (softly, so edges stay smooth) and the colour that bled
    into edge pixels is taken back out. Art that is already transparent, or has no flat border,
    is returned unchanged.
    """
    if has_transparency(image):
        return image
    pixels = np.asarray(image.convert("RGBA")).astype(np.float32)
    rgb = pixels[..., :3]
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    buckets = (border // 24).astype(np.int32)
    keys = buckets[:, 0] * 10_000 + buckets[:, 1] * 100 + buckets[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    dominant = values[np.argmax(counts)]
    key_colour = border[keys == dominant].mean(axis=0)
    near = np.sqrt(((border - key_colour) ** 2).sum(axis=1)) < 48
    if near.mean() < 0.6:
        return image
    distance = np.sqrt(((rgb - key_colour) ** 2).sum(axis=-1))
    alpha = np.clip((distance - 36) / (96 - 36), 0, 1)
    safe_alpha = np.maximum(alpha, 1e-3)[..., None]
    despilled = np.where(alpha[..., None] < 1, (rgb - (1 - alpha[..., None]) * key_colour) / safe_alpha, rgb)
    out = np.concatenate(
        [np.clip(despilled, 0, 255), (alpha * pixels[..., 3:4].squeeze(-1))[..., None]], axis=-1
    )
    return Image.fromarray(out.astype(np.uint8))


def trim(image: Image.Image, threshold: int = 10) -> Image.Image:
    """Crop to the visible content (alpha above ``threshold``)."""
    if image.mode != "RGBA":
        return image
    box = paint.content_box(image, threshold)
    if box is None:
        return image
    return image if box == (0, 0, image.width, image.height) else image.crop(box)


def contain(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fit inside width×height, keeping the aspect ratio.

    Art that already fits and comes within ``FIT_SLACK`` px of the box's width or height (as
    the local provider draws it) is returned as is: a rescale by a pixel or two would only
    soften it.
    """
    if (
        image.width <= width
        and image.height <= height
        and (width - image.width <= layout.FIT_SLACK or height - image.height <= layout.FIT_SLACK)
    ):
        return image
    factor = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS)


def cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale and centre-crop to exactly width×height (the 'cover' fit)."""
    if image.size == (width, height):
        return image
    return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def tone(image: Image.Image, *, brightness: float = 1.0, contrast: float = 1.0) -> Image.Image:
    """The art lighter/darker and with more or less contrast; transparency is kept as it is."""
    if brightness == 1 and contrast == 1:
        return image
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image.convert("RGB")
    if contrast != 1:
        rgb = ImageEnhance.Contrast(rgb).enhance(contrast)
    if brightness != 1:
        rgb = ImageEnhance.Brightness(rgb).enhance(brightness)
    if alpha is not None:
        rgb.putalpha(alpha)
    return rgb
