"""A channel's avatar and banner, copied in once when it is connected or read again.

The addresses come from the platform's API, but they are still fetched with care: only from
the platforms' own image hosts (``CONNECTIONS_IMAGE_HOSTS``), over HTTPS, without following
redirects, within a byte and pixel cap, decoded by Pillow and re-encoded as PNG under a name
the server chooses. A picture that can't be read is left out: the connection does not need it.
"""

from __future__ import annotations

import io
import logging
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from .providers.base import url

logger = logging.getLogger(__name__)

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 4096 * 4096
AVATAR_SIDE = 300
BANNER_WIDTH = 1600


def _allowed(address: str) -> bool:
    parts = urlsplit(address)
    return parts.scheme == "https" and (parts.hostname or "") in settings.CONNECTIONS_IMAGE_HOSTS


def fetch(address: str, *, banner: bool) -> ContentFile[bytes] | None:
    """The picture at ``address`` as a PNG file to store, or None."""
    if not address or not _allowed(address):
        return None
    try:
        with requests.get(
            url(address), timeout=settings.CONNECTIONS_TIMEOUT, stream=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                return None
            data = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException:
        logger.info("A channel picture could not be fetched from %s", urlsplit(address).hostname)
        return None
    if len(data) > MAX_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            picture = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    if banner:
        if picture.width > BANNER_WIDTH:
            picture = picture.resize(
                (BANNER_WIDTH, max(1, round(picture.height * BANNER_WIDTH / picture.width))),
                Image.Resampling.LANCZOS,
            )
    else:
        picture.thumbnail((AVATAR_SIDE, AVATAR_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=False)
    return ContentFile(out.getvalue(), name="picture.png")
