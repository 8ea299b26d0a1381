"""The library grid's tiles, each rendered once and then served from the cache.

Rendering 48 tiles (a link, a picture, badges, a date, a checkbox each) was the largest part of
the library page's time, and after it, building the ~250 model instances behind them (the
assets, their files and tags, through the ORM's prefetching). So a page is read as plain rows:
the assets' shown columns, then their pictures' and tags' (three queries, no instances), and a
tile's cache key is a digest of every value it shows (the asset's id, title, sizes, favourite
and public marks, collection name, tags, the date it leaves and whether the plan shows it, the
file the thumbnail shows, whether it moves, the viewer's time zone and language), plus a digest
of the template. Any change to any of them is a new key: a stale tile can't be served, nothing
needs invalidating, and a tile names nothing its inputs don't (the rows were read as the
creator, through row-level security). Old keys simply expire. Only tiles missing from the cache
are rendered, from full instances read for them alone. With the cache down, every tile is
rendered (the cache fails open).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from aurastream.fragments import source_digest
from platforms import platform_label

from . import selectors, thumbnails
from .forms import asset_type_label
from .models import VIDEO_FORMAT, Asset, Rendition
from .templatetags import library_media

TEMPLATE = "library/list.html"
# Long enough that a creator's library stays warm between visits; unused tiles just expire.
CARD_SECONDS = 7 * 24 * 3600


class TileRow(NamedTuple):
    """The columns of an asset a tile shows (``tile_rows``)."""

    pk: Any
    title: str
    platform: str
    asset_type: str
    width: int
    height: int
    favourite: bool
    visibility: str
    share_token: Any
    collection_name: str | None
    expires_at: dt.datetime | None
    motion: Any  # the recipe's "motion", whatever it holds: truthy when the asset moves


class PictureRow(NamedTuple):
    pk: int
    label: str
    width: int
    height: int


@dataclass(frozen=True)
class Card:
    """One tile of the grid, as its template draws it: the asset and the file its thumbnail shows."""

    asset: Asset
    thumbnail: Rendition | None
    platform_name: str
    type_name: str


def _template_digest() -> str:
    """A digest of the tile's template and the tag that draws its picture, so markup changed by
    a deploy is never served stale."""
    return source_digest(
        TEMPLATE,
        library_media.__file__,
        thumbnails.__file__,  # its VERSION is in every tile's picture URL
    )


def tile_rows(assets: QuerySet[Asset]) -> QuerySet[Any]:
    """``assets`` (a filtered, ordered list) as the rows its tiles are keyed by: paginate these."""
    return (
        assets.prefetch_related(None)
        .select_related(None)
        .values_list(
            "pk",
            "title",
            "platform",
            "asset_type",
            "width",
            "height",
            "favourite",
            "visibility",
            "share_token",
            "collection__name",
            "expires_at",
            "recipe__motion",
        )
    )


def tile_key(
    row: TileRow, thumbnail: PictureRow | None, tags: Sequence[str], retention_days: int | None
) -> str:
    """The cache key of a tile: a digest of everything it shows."""
    is_public = row.visibility == Asset.Visibility.PUBLIC and row.share_token is not None
    shown = (
        str(row.pk),
        row.title,
        platform_label(row.platform),
        asset_type_label(row.asset_type),
        row.width,
        row.height,
        row.favourite,
        is_public,
        row.collection_name,
        tuple(tags),
        retention_days is not None,
        row.expires_at.isoformat() if row.expires_at else None,
        bool(row.motion),
        tuple(thumbnail) if thumbnail else None,
        # The date is shown in the viewer's time zone (members of a workspace may differ).
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"library:card:{_template_digest()}:{digest}"


def tile_keys(rows: list[TileRow], retention_days: int | None) -> list[str]:
    """Each row's tile key, with its pictures and tags read for the whole page at once."""
    ids = [row.pk for row in rows]
    pictures: defaultdict[Any, list[PictureRow]] = defaultdict(list)
    for asset_id, pk, label, width, height in (
        Rendition.objects.filter(asset_id__in=ids)
        .exclude(format=VIDEO_FORMAT)
        .order_by("-width", "label")  # as the grid's prefetch orders them: largest first
        .values_list("asset_id", "pk", "label", "width", "height")
    ):
        pictures[asset_id].append(PictureRow(pk, label, width, height))
    tags: defaultdict[Any, list[str]] = defaultdict(list)
    for asset_id, name in (
        Asset.tags.through.objects.filter(asset_id__in=ids)
        .order_by("tag__name")  # a tag's own order
        .values_list("asset_id", "tag__name")
    ):
        tags[asset_id].append(name)
    return [
        tile_key(row, selectors.thumbnail_among(pictures[row.pk]), tags[row.pk], retention_days)
        for row in rows
    ]


def _render(asset: Asset, retention_days: int | None) -> str:
    card = Card(
        asset=asset,
        thumbnail=selectors.asset_thumbnail(asset),
        platform_name=platform_label(asset.platform),
        type_name=asset_type_label(asset.asset_type),
    )
    return render_to_string(f"{TEMPLATE}#card", {"card": card, "retention_days": retention_days})


def tiles_for(
    rows: Iterable[Sequence[Any]], *, assets: QuerySet[Asset], retention_days: int | None
) -> list[SafeString]:
    """The tiles' HTML for a page of ``tile_rows``, in order: from the cache where it is there,
    and rendered (and cached) where it isn't, from ``assets`` (the list the rows came from,
    with its files) read again for those alone. One cache round trip to read, one to write."""
    page = [TileRow(*row) for row in rows]
    keys = tile_keys(page, retention_days)
    found = cache.get_many(keys)
    missing = [row.pk for row, key in zip(page, keys, strict=True) if not isinstance(found.get(key), str)]
    made: dict[str, str] = {}
    if missing:
        rendered = {asset.pk: _render(asset, retention_days) for asset in assets.filter(pk__in=missing)}
        for row, key in zip(page, keys, strict=True):
            if row.pk in rendered:
                made[key] = found[key] = rendered[row.pk]
        cache.set_many(made, CARD_SECONDS)
    # Marked safe: our template's output, escaped as it was rendered. An asset gone between
    # the two reads (deleted that instant) simply has no tile.
    return [mark_safe(found[key]) for key in keys if isinstance(found.get(key), str)]
