"""Encoding under a byte cap, without ever changing the pixel size.

PNG: the normal encoding, then maximum compression, then palette quantisation with fewer and
fewer colours (alpha kept). JPEG: quality steps from 92 down to 60. GIF: a 255-colour palette
plus one transparent index, then fewer colours. Scaling down is never an option: platforms want
exact pixel sizes. Every step is deterministic, and no metadata (no timestamps) is written, so
the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from .types import RenderError

PNG_COMPRESS_LEVEL = 6  # zlib's default: the best speed/size balance for these images
JPEG_QUALITIES = (92, 85, 80, 75, 70, 65, 60)
PALETTE_SIZES = (256, 128, 64, 32, 16)
GIF_TRANSPARENT_INDEX = 255


@dataclass(frozen=True)
class Encoded:
    data: bytes
    format: str
    image: Image.Image  # exactly what was encoded (after any quantisation)
    options: dict[str, object]
    steps: int  # encodings tried; 1 when the first one fitted

    @property
    def size(self) -> int:
        return len(self.data)


def png_options() -> dict[str, object]:
    return {"compress_level": PNG_COMPRESS_LEVEL}


def jpeg_options(quality: int = JPEG_QUALITIES[0]) -> dict[str, object]:
    # Full-resolution colour (4:4:4) keeps brand-coloured text crisp at high quality.
    return {
        "quality": quality,
        "optimize": True,
        "subsampling": 0 if quality >= 85 else 2,
        "progressive": False,
    }


def save(image: Image.Image, fmt: str, options: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    try:
        image.save(buffer, format=fmt, **options)
    except OSError:
        if not (fmt == "JPEG" and options.get("optimize")):
            raise
        # Pillow sizes its buffer for optimised JPEGs from the pixel count; extremely noisy
        # images can outgrow it. The unoptimised encoder streams and always works.
        buffer = io.BytesIO()
        image.save(buffer, format=fmt, **{**options, "optimize": False})
    return buffer.getvalue()


def _quantize(image: Image.Image, colors: int) -> Image.Image:
    if image.mode == "RGBA":
        return image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    return image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)


def to_gif_palette(image: Image.Image, colors: int = 255) -> tuple[Image.Image, dict[str, object]]:
    """A P-mode image for GIF; pixels under half opacity become the transparent index."""
    colors = min(colors, 255)
    if image.mode != "RGBA":
        return image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT), {}
    rgb = image.convert("RGB")
    paletted = rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    palette = (paletted.getpalette() or [])[: 3 * 256]
    palette += [0] * (3 * 256 - len(palette))
    paletted.putpalette(palette)
    clear = image.getchannel("A").point(lambda a: 255 if a < 128 else 0)
    paletted.paste(GIF_TRANSPARENT_INDEX, (0, 0), clear)
    return paletted, {"transparency": GIF_TRANSPARENT_INDEX}


def encode(image: Image.Image, fmt: str, *, byte_cap: int | None, label: str = "") -> Encoded:
    """Encode ``image`` as ``fmt`` within ``byte_cap`` bytes, or raise RenderError."""
    image.info = {}
    fmt = fmt.upper()
    steps = 0
    last_size = 0

    def fits(data: bytes) -> bool:
        nonlocal steps, last_size
        steps += 1
        last_size = len(data)
        return byte_cap is None or len(data) <= byte_cap

    if fmt == "PNG":
        options = png_options()
        data = save(image, "PNG", options)
        if fits(data):
            return Encoded(data, "PNG", image, options, steps)
        options = {"optimize": True}
        data = save(image, "PNG", options)
        if fits(data):
            return Encoded(data, "PNG", image, options, steps)
        for colors in PALETTE_SIZES:
            paletted = _quantize(image, colors)
            data = save(paletted, "PNG", options)
            if fits(data):
                return Encoded(data, "PNG", paletted, options, steps)
    elif fmt == "JPEG":
        rgb = image.convert("RGB") if image.mode != "RGB" else image
        for quality in JPEG_QUALITIES:
            options = jpeg_options(quality)
            data = save(rgb, "JPEG", options)
            if fits(data):
                return Encoded(data, "JPEG", rgb, options, steps)
    elif fmt == "GIF":
        for colors in (255, *PALETTE_SIZES[1:]):
            paletted, options = to_gif_palette(image, colors)
            data = save(paletted, "GIF", options)
            if fits(data):
                return Encoded(data, "GIF", paletted, options, steps)
    elif fmt == "WEBP":
        options = {"lossless": True, "method": 4, "exact": False}
        data = save(image, "WEBP", options)
        if fits(data):
            return Encoded(data, "WEBP", image, options, steps)
        for quality in (90, 80, 70, 60):
            options = {"quality": quality, "method": 4}
            data = save(image, "WEBP", options)
            if fits(data):
                return Encoded(data, "WEBP", image, options, steps)
    else:
        raise RenderError(f"The {fmt} format is not supported.")
    where = f" ({label})" if label else ""
    raise RenderError(
        f"The {image.width}×{image.height} {fmt} file{where} cannot be made smaller than "
        f"{last_size:,} bytes, over the platform's {byte_cap:,}-byte limit. Try a simpler design."
    )
