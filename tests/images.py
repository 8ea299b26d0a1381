"""Image files made on the fly for upload tests, and the files storage holds."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_upload(
    name: str = "face.png", size: tuple[int, int] = (640, 480), color: str = "#8b5cf6"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def logo_upload(name: str = "logo.png") -> SimpleUploadedFile:
    """A white 300×200 logo with a pink square in it."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (300, 200), "#FFFFFF")
    image.paste(Image.new("RGB", (120, 120), "#FF2E88"), (90, 40))
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def media_files() -> set[str]:
    """Every file in media storage, as paths relative to its root."""
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def bomb_upload() -> SimpleUploadedFile:
    """A tiny PNG that claims far more pixels than any avatar needs."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, format="PNG")
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


MASCOT_GREEN = (0x00, 0xC8, 0x53)


def _png(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def mascot_image(*, transparent: bool = True, size: int = 400) -> Image.Image:
    """A green disc with a yellow core: on transparency, or on flat white like a sticker export."""
    from PIL import ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.1, size * 0.1, size * 0.9, size * 0.9), fill=(*MASCOT_GREEN, 255))
    draw.ellipse((size * 0.38, size * 0.38, size * 0.62, size * 0.62), fill=(0xFF, 0xEB, 0x3B, 255))
    return image if transparent else image.convert("RGB")


def mascot_upload(*, transparent: bool = True, name: str = "mascot.png") -> SimpleUploadedFile:
    return _png(mascot_image(transparent=transparent), name)


def photo_upload(name: str = "me.png", size: tuple[int, int] = (600, 400)) -> SimpleUploadedFile:
    """A photo-like image: red on the left fading to blue on the right, no flat border."""
    width, height = size
    image = Image.new("RGB", size)
    pixels = image.load()
    for x in range(width):
        red = 255 - x * 255 // (width - 1)
        for y in range(height):
            pixels[x, y] = (red, 40 + y * 60 // height, 255 - red)  # type: ignore[index]  # load() of a new image
    return _png(image, name)


def svg_upload() -> SimpleUploadedFile:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    return SimpleUploadedFile("evil.svg", svg, content_type="image/svg+xml")


@functools.cache
def _grain(size: tuple[int, int], noise: float) -> Any:
    """Film grain for an image of ``size`` (made once; each image rolls it to its own place)."""
    import numpy as np

    width, height = size
    return np.random.default_rng(0).normal(0.0, noise, (height, width, 3)).round().astype(np.int16)


def artwork_png(
    size: tuple[int, int] = (1280, 720), *, seed: int = 0, noise: float = 10.0, transparent: bool = False
) -> bytes:
    """Art as the engine leaves it, not flat colour: a two-colour gradient, a few shapes and a
    bold title bar, with film grain (``noise``, the grain's standard deviation) over all of it;
    ``transparent`` keeps only a frame of it around a see-through middle (an overlay)."""
    import numpy as np
    from PIL import ImageDraw

    random = np.random.default_rng(seed)
    width, height = size
    start, end = random.integers(0, 256, 3), random.integers(0, 256, 3)
    ramp = np.linspace(0.0, 1.0, width)[None, :, None]
    pixels = np.broadcast_to(start + (end - start) * ramp, (height, width, 3)).copy()
    image = Image.fromarray(pixels.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    # Six large shapes, then confetti and sparkles: detail that survives being made small.
    for low, high in [(height // 10, height // 3)] * 6 + [(3, max(4, height // 40))] * 240:
        x, y, radius = (
            int(random.integers(0, width)),
            int(random.integers(0, height)),
            int(random.integers(low, high)),
        )
        colour = tuple(int(c) for c in random.integers(0, 256, 3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    draw.rectangle((width // 12, height * 2 // 3, width * 3 // 4, height * 5 // 6), fill=(255, 255, 255))
    for letter in range(12):  # the title's letters, as blocks
        left = width // 12 + 16 + letter * (width // 20)
        draw.rectangle(
            (left, height * 2 // 3 + 12, left + width // 28, height * 5 // 6 - 12), fill=(20, 20, 20)
        )
    grain = np.roll(_grain(size, noise), int(random.integers(0, width)), axis=1)
    pixels = np.clip(np.asarray(image, dtype=np.int16) + grain, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    if transparent:
        image = image.convert("RGBA")
        border = max(8, min(width, height) // 8)
        ImageDraw.Draw(image).rectangle((border, border, width - border, height - border), fill=(0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # fast: only the pixels matter here
    return buffer.getvalue()


def served(response: Any) -> bytes:
    """The bytes a response sends, streamed (a file, a thumbnail made on the way) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)
