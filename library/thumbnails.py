"""Grid thumbnails: a small WebP of one of an asset's files, for the tiles of the library, the
dashboard and the lists that show many assets at once (a 1280×720 thumbnail is about 0.7 MB
as a file, 6–15 KB as a tile).

Each is made the first time a page asks for it and kept in storage beside the asset's files
(``assets/<owner>/<asset>/thumbnails/``, so S3 works like local media); the asset's delete
takes the folder with it (``library/signals.py``). Made on first request rather than when a
job stores the asset: a job pays nothing for it, assets stored before thumbnails existed get
theirs without a backfill, and only assets someone looks at cost the work.

A stored file never changes under its name (an asset's renditions are written once, a refine
makes a new asset), so a thumbnail's URL — the asset, the file's label and ``VERSION`` (how
thumbnails are made) — names fixed bytes, and browsers may keep it for a year
(``immutable``). Change how thumbnails are made, and bump ``VERSION``: every URL changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.urls import reverse
from PIL import Image, ImageSequence

from aurastream.outages import ServiceUnavailable

from . import zips
from .models import VIDEO_FORMAT, Rendition

VERSION = 1
# The tile's image box is at most 290 CSS px (three columns on a tablet; 168 px on a desktop's
# four), so 480 px is sharp at 2× density almost everywhere.
BOX = 480
# A moving tile is smaller, every frame is paid for: the largest of these that fits MAX_BYTES.
MOVING_BOXES = (240, 160, 112)
# Frames larger than an alert's (720 × 720) are not read for a tile: the tile is the first frame.
MOVING_MAX_PIXELS = 720 * 720
MAX_BYTES = 50_000
# What a still tile aims for: 48 tiles and the page around them stay under 1 MB. Real assets
# land at 6–15 KB at the first quality; only noisy, photo-like art steps down.
TARGET_BYTES = 18_000
QUALITIES = (80, 70, 60, 50, 40)
MOVING_QUALITIES = (60, 40)
CONTENT_TYPE = "image/webp"
STORAGE_DOWN_MESSAGE = "Pictures can't be loaded for a moment: our file storage isn't answering."


@dataclass(frozen=True)
class Thumbnail:
    """A tile's image: its URLs (the picture, and its first frame for reduced motion) and the
    size to lay it out at."""

    url: str
    still_url: str
    width: int
    height: int


def fitted(width: int, height: int, box: int = BOX) -> tuple[int, int]:
    """``width`` × ``height`` scaled down to fit ``box`` (never up), keeping its shape."""
    longest = max(width, height)
    if longest <= box:
        return width, height
    scale = box / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def thumbnail_urls(asset_id: object, label: str) -> tuple[str, str]:
    """(the thumbnail, its first frame) of the asset's file ``label``."""
    return (
        reverse("library:rendition_thumbnail", args=[asset_id, label, VERSION]),
        reverse("library:rendition_thumbnail_still", args=[asset_id, label, VERSION]),
    )


def thumbnail_of(rendition: Rendition) -> Thumbnail:
    url, still_url = thumbnail_urls(rendition.asset_id, rendition.label)
    width, height = fitted(rendition.width, rendition.height)
    return Thumbnail(url=url, still_url=still_url, width=width, height=height)


def stored_name(rendition: Rendition, *, still: bool) -> str:
    suffix = "-still" if still else ""
    return f"{folder(rendition.asset.owner_id, rendition.asset_id)}{rendition.label}-v{VERSION}{suffix}.webp"


def folder(owner_id: int, asset_id: object) -> str:
    """Where an asset's thumbnails are kept (beside its files)."""
    return f"assets/{owner_id}/{asset_id}/thumbnails/"


def thumbnail_kept(rendition: Rendition, *, still: bool) -> bytes | None:
    """The kept thumbnail of ``rendition`` (its first frame when ``still``), or None when it is
    yet to be made (``thumbnail_make``). A video has none (its image file beside it does).

    Raises ``FileNotFoundError`` when the file itself is gone, and ``ServiceUnavailable`` when
    storage doesn't answer (a 503: nothing is made or kept)."""
    if rendition.format == VIDEO_FORMAT:
        raise ValueError("A video has no thumbnail.")
    storage = zips.rendition_storage()
    try:
        found = _read(storage, stored_name(rendition, still=still))
        if found is None and not storage.exists(rendition.file.name or ""):
            raise FileNotFoundError(rendition.file.name)
    except FileNotFoundError:
        raise
    except (BotoCoreError, ClientError, OSError) as error:
        raise ServiceUnavailable(STORAGE_DOWN_MESSAGE) from error
    return found


def thumbnail_make(rendition: Rendition, *, still: bool) -> bytes:
    """Make the thumbnail from the file and keep it. Storage and pixels only, no database: the
    view runs it after the request's transaction has ended (a moving alert takes seconds)."""
    storage = zips.rendition_storage()
    name = stored_name(rendition, still=still)
    source = _read(storage, rendition.file.name or "")
    if source is None:
        raise FileNotFoundError(rendition.file.name)
    data = make(source, still=still)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another request made it first: keep theirs, drop the copy
        storage.delete(saved)
    return data


def thumbnails_delete(*, owner_id: int, asset_id: object) -> None:
    """Remove every thumbnail kept for an asset (all versions of how they were made)."""
    storage = zips.rendition_storage()
    path = folder(owner_id, asset_id)
    try:
        _, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for file in files:
        storage.delete(path + file)


def _read(storage: Storage, name: str) -> bytes | None:
    try:
        handle = zips.open_stream(storage, name)
    except FileNotFoundError:
        return None
    except ClientError as error:  # S3: no such key
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    try:
        return bytes(handle.read())
    finally:
        handle.close()


def make(data: bytes, *, still: bool) -> bytes:
    """A WebP of ``data`` fitted into ``BOX`` at the best quality that keeps it under
    ``TARGET_BYTES`` (else ``MAX_BYTES``); an animated file's moves, smaller (``_moving``), unless
    ``still`` or it can't: then it is its first frame."""
    with Image.open(io.BytesIO(data)) as image:
        if not still and getattr(image, "is_animated", False):
            moving = _moving(image)
            if moving is not None:
                return moving
        image.seek(0)
        frame = _frame(image)
    return _still(frame)


def _frame(image: Image.Image) -> Image.Image:
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _still(frame: Image.Image) -> bytes:
    size = fitted(*frame.size)
    while True:
        small = (
            frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0) if size != frame.size else frame
        )
        encoded = b""
        for quality in QUALITIES:
            encoded = _webp(small, quality)
            if len(encoded) <= TARGET_BYTES:
                return encoded
        if len(encoded) <= MAX_BYTES or max(size) <= 64:
            return encoded
        size = fitted(*size, box=int(max(size) * 0.75))


def _moving(image: Image.Image) -> bytes | None:
    """The frames made small, at the largest size and best quality under ``MAX_BYTES``; None
    when even the smallest is over it, or the frames are too large to read on a page's
    request (an overlay's 48 full-HD frames take seconds: its tile is its first frame)."""
    if image.width * image.height > MOVING_MAX_PIXELS:
        return None
    first = fitted(image.width, image.height, MOVING_BOXES[0])
    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame in ImageSequence.Iterator(image):
        frames.append(frame.convert("RGBA").resize(first, Image.Resampling.LANCZOS, reducing_gap=3.0))
        durations.append(int(frame.info.get("duration") or 100))
    tried: set[tuple[int, int]] = set()
    for box in MOVING_BOXES:
        size = fitted(*first, box=box)
        if size in tried:
            continue
        tried.add(size)
        small = (
            [frame.resize(size, Image.Resampling.LANCZOS) for frame in frames] if size != first else frames
        )
        for quality in MOVING_QUALITIES:
            out = io.BytesIO()
            small[0].save(
                out,
                "WEBP",
                save_all=True,
                append_images=small[1:],
                duration=durations,
                loop=0,
                quality=quality,
                method=4,  # animated WebP defaults to 0: a third larger
            )
            if out.tell() <= MAX_BYTES:
                return out.getvalue()
    return None


def _webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()
