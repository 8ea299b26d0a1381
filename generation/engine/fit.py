"""Encoding under a byte cap, without ever changing the pixel size.

Each format starts with its fastest setting that loses nothing, and spends more time only on a
file that is over its cap. PNG: zlib level 1 (a third of level 6's time for about a fifth more
bytes, far under every cap), then levels 6 and 9, then palette quantisation with fewer and fewer
colours (alpha kept). JPEG: quality 92 with the standard Huffman tables, then the same quality
with optimised tables (the same pixels, 3–5 % fewer bytes, twice the time), then quality steps
down to 60. GIF: a 255-colour palette plus one transparent index, then fewer colours. WebP:
lossless at its fastest method, then its default method, then lossy steps. Scaling down is never
an option: platforms want exact pixel sizes. Every step is deterministic, and no metadata (no
timestamps) is written, so the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from .types import RenderError

# zlib level 1: a 1280×720 thumbnail encodes in about 65 ms against 230 ms at level 6 (the
# default), for about 22 % more bytes; docs/BENCHMARKS.md has every asset type's figures.
PNG_COMPRESS_LEVEL = 1
# Only for a file over its cap: level 6 saves about a fifth, level 9 a few % more at 3–4× the
# time. Pillow's ``optimize`` (level 9 with another filter choice) is slower still and no smaller.
PNG_OVER_CAP_LEVELS = (6, 9)
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


def png_options(level: int = PNG_COMPRESS_LEVEL) -> dict[str, object]:
    return {"compress_level": level}


def jpeg_options(quality: int = JPEG_QUALITIES[0], *, optimize: bool = False) -> dict[str, object]:
    # Full-resolution colour (4:4:4) keeps brand-coloured text crisp at high quality.
    return {
        "quality": quality,
        "optimize": optimize,
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


def _png_steps(image: Image.Image) -> Iterator[tuple[Image.Image, dict[str, object]]]:
    for level in (PNG_COMPRESS_LEVEL, *PNG_OVER_CAP_LEVELS):
        yield image, png_options(level)
    for colors in PALETTE_SIZES:
        yield _quantize(image, colors), png_options(9)


def _jpeg_steps(image: Image.Image) -> Iterator[tuple[Image.Image, dict[str, object]]]:
    rgb = image.convert("RGB") if image.mode != "RGB" else image
    yield rgb, jpeg_options()
    for quality in JPEG_QUALITIES:
        yield rgb, jpeg_options(quality, optimize=True)


def _gif_steps(image: Image.Image) -> Iterator[tuple[Image.Image, dict[str, object]]]:
    for colors in (255, *PALETTE_SIZES[1:]):
        yield to_gif_palette(image, colors)


def _webp_steps(image: Image.Image) -> Iterator[tuple[Image.Image, dict[str, object]]]:
    for method in (0, 4):
        yield image, {"lossless": True, "method": method, "exact": False}
    for quality in (90, 80, 70, 60):
        yield image, {"quality": quality, "method": 4}


STEPS = {"PNG": _png_steps, "JPEG": _jpeg_steps, "GIF": _gif_steps, "WEBP": _webp_steps}


def encode(image: Image.Image, fmt: str, *, byte_cap: int | None, label: str = "") -> Encoded:
    """Encode ``image`` as ``fmt`` within ``byte_cap`` bytes, or raise RenderError.

    The first step is the format's fastest lossless (or, for JPEG, full-quality) setting; the
    later, slower or lossier steps run only while the file is over the cap."""
    image.info = {}
    fmt = fmt.upper()
    if fmt not in STEPS:
        raise RenderError(f"The {fmt} format is not supported.")
    size = 0
    for steps, (encoded, options) in enumerate(STEPS[fmt](image), start=1):
        data = save(encoded, fmt, options)
        if byte_cap is None or len(data) <= byte_cap:
            return Encoded(data, fmt, encoded, options, steps)
        size = len(data)
    where = f" ({label})" if label else ""
    raise RenderError(
        f"The {image.width}×{image.height} {fmt} file{where} cannot be made smaller than "
        f"{size:,} bytes, over the platform's {byte_cap:,}-byte limit. Try a simpler design."
    )
