"""Upload-ready zips of library files, streamed as they are written.

Names inside a zip are plain and predictable, one flat folder the creator can drag into a
platform's upload dialog::

    twitch-emote-gg-112x112.png         <platform>-<asset type>-<subject>-<width>x<height>.<ext>
    twitch-emote-gg-56x56.png
    twitch-sub-badge-tier-1-72x72.png   badge tiers are named by tier
    youtube-thumbnail-ranked-grind-night-1280x720.jpg   no text: the first words of the prompt

Every name is an ASCII slug, and unique in its zip: a second asset with the same subject
becomes ``…-gg-2-112x112.png``.

The zip is written with the standard library to an unseekable sink (``zipfile`` then puts
each file's CRC and sizes in a data descriptor after its bytes), and every file is read from
storage in chunks, so memory holds one chunk and the list of names, never a whole file, the
archive or the selection. Files are stored, not deflated: PNG, JPEG, GIF and WebP are
compressed already.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.storage import Storage
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .models import FORMAT_EXTENSIONS, Asset, Rendition

CHUNK_BYTES = 64 * 1024
SUBJECT_CHARS = 40
# The most assets one bulk zip may hold.
MAX_ZIP_ASSETS = 500


# --- Names ---------------------------------------------------------------------------------


def _slug(value: object) -> str:
    return slugify(str(value)).replace("_", "-").strip("-")


def _subject(tier: object, text: object, prompt: str) -> str:
    """What tells an asset apart from its siblings: its tier, its text, or its prompt."""
    if tier:
        return f"tier-{_slug(tier)}"
    subject = _slug(text or "") or _slug(prompt)
    if len(subject) > SUBJECT_CHARS:
        # Cut at a word boundary when there is one.
        cut = subject[: SUBJECT_CHARS + 1]
        subject = cut.rsplit("-", 1)[0] if "-" in cut else cut[:SUBJECT_CHARS]
    return subject


def _stem(
    asset_id: uuid.UUID, platform: str, asset_type: str, tier: object, text: object, prompt: str
) -> str:
    kind = _slug(f"{platform}-{asset_type}")
    return f"{kind}-{_subject(tier, text, prompt) or asset_id.hex[:8]}"


def asset_stem(asset: Asset) -> str:
    """``twitch-emote-gg``: the start of every file name of the asset, and of its own zip."""
    recipe = asset.recipe
    return _stem(
        asset.pk, asset.platform, asset.asset_type, recipe.get("tier"), recipe.get("text"), asset.prompt
    )


def _sized(stem: str, width: int, height: int) -> str:
    return f"{stem}-{width}x{height}"


def rendition_filename(rendition: Rendition) -> str:
    """``twitch-emote-gg-112x112.png``: a single file downloaded on its own."""
    return f"{_sized(asset_stem(rendition.asset), rendition.width, rendition.height)}.{rendition.extension}"


def pack_zip_name(assets: QuerySet[Asset]) -> str:
    """``twitch-emote-pack.zip``; a pack of several asset types (a starter kit) is named for its
    platform alone."""
    kinds = sorted(set(assets.prefetch_related(None).values_list("platform", "asset_type")))
    if len(kinds) == 1:
        return f"{_slug('-'.join(kinds[0]))}-pack.zip"
    return f"{_slug(kinds[0][0])}-pack.zip"


def _claim(stem: str, taken: set[str]) -> str:
    candidate, number = stem, 2
    while candidate in taken:
        candidate = f"{stem}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One file of a zip: its name inside the zip and where it lives in storage."""

    name: str
    storage_name: str
    modified: dt.datetime


def zip_entries(assets: QuerySet[Asset]) -> list[ZipEntry]:
    """The files of ``assets`` (in the queryset's order, largest first within each asset) under
    unique upload-ready names.

    Two queries of the few columns names need: a zip of hundreds of assets never loads their
    recipes, checks and tags.
    """
    rows = list(
        assets.prefetch_related(None).values_list(
            "pk", "platform", "asset_type", "recipe__tier", "recipe__text", "prompt", "created_at"
        )
    )
    files: defaultdict[uuid.UUID, list[tuple[int, int, str, str]]] = defaultdict(list)
    renditions = Rendition.objects.filter(asset__in=assets.values("pk")).order_by("-width", "label")
    for asset_id, width, height, image_format, storage_name in renditions.values_list(
        "asset_id", "width", "height", "format", "file"
    ):
        files[asset_id].append((width, height, image_format, storage_name))
    stems: set[str] = set()
    names: set[str] = set()
    entries: list[ZipEntry] = []
    for asset_id, platform, asset_type, tier, text, prompt, created_at in rows:
        stem = _claim(_stem(asset_id, platform, asset_type, tier, text, prompt), stems)
        for width, height, image_format, storage_name in files.pop(asset_id, []):
            name = _claim(_sized(stem, width, height), names)
            extension = FORMAT_EXTENSIONS.get(image_format, "bin")
            entries.append(ZipEntry(f"{name}.{extension}", storage_name, created_at))
    return entries


# --- Reading from storage ------------------------------------------------------------------


def rendition_storage() -> Storage:
    """Where renditions live: the default storage (local media, or S3 in production)."""
    storage: Storage = Rendition._meta.get_field("file").storage
    return storage


def s3_key(storage: S3Storage, name: str) -> str:
    """The object key of a stored file name (the bucket location prefix applied)."""
    key: str = storage._normalize_name(clean_name(name))
    return key


def open_stream(storage: Storage, name: str) -> IO[bytes]:
    """A stored file opened for reading in chunks.

    On S3 this is the body of the object's GET, read off the network as it is consumed:
    django-storages' own file object would download the whole object into memory first.
    """
    if isinstance(storage, S3Storage):
        return storage.bucket.Object(s3_key(storage, name)).get()["Body"]
    return storage.open(name, "rb")


# --- Writing -------------------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """An unseekable write target; the generator hands its bytes on as they arrive."""

    def __init__(self) -> None:
        super().__init__()
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        before = len(self._buffer)
        self._buffer += data
        return len(self._buffer) - before

    def take(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def stream_zip(entries: Iterable[ZipEntry]) -> Iterator[bytes]:
    """Yield a zip of ``entries`` in chunks of about ``CHUNK_BYTES``, reading each file in chunks.

    Runs after the view has returned (outside its transaction): it reads storage only, never
    the database, so the entries must be listed up front.
    """
    storage = rendition_storage()
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=timezone.localtime(entry.modified).timetuple()[:6])
            info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked
            with open_stream(storage, entry.storage_name) as source, archive.open(info, "w") as target:
                while chunk := source.read(CHUNK_BYTES):
                    target.write(chunk)
                    if sink.buffered >= CHUNK_BYTES:
                        yield sink.take()
    if sink.buffered:
        yield sink.take()
