"""The first frame of an animated file as a PNG: what pages show instead of motion when the
viewer asks for reduced motion, or presses pause."""

from __future__ import annotations

import io

from django.core.cache import cache
from PIL import Image

from . import zips
from .models import Rendition

STILL_SECONDS = 24 * 3600


def still_png(rendition: Rendition) -> bytes:
    """The rendition's first frame (a still file is returned as a PNG of itself), cached by
    file: a file never changes under its name, so the key needs no expiry beyond space."""
    key = f"library:still:{rendition.file.name}:{rendition.bytes}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    handle = zips.open_stream(rendition.file.storage, rendition.file.name or "")
    try:
        data = handle.read()
    finally:
        handle.close()
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        frame = image.convert("RGBA")
    out = io.BytesIO()
    frame.save(out, "PNG", compress_level=1)
    png = out.getvalue()
    cache.set(key, png, STILL_SECONDS)
    return png
