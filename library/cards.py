"""The library grid's tiles, each rendered once and then served from the cache.

Rendering 48 tiles (a link, a picture, badges, a date, a checkbox each) was the largest part of
the library page's time. A tile's HTML depends only on what it shows, so the cache key is
that: a digest of every value the tile reads (the asset's id, title, sizes, favourite and
public marks, collection name, tags, the date it leaves and whether the plan shows it, the
file the thumbnail shows, the viewer's time zone and language), plus a digest of the template
itself. Any change to any of them is a new key: a stale tile can't be served, nothing needs
invalidating, and a tile names nothing its inputs don't (the asset was already read as the
creator, through row-level security). Old keys simply expire. With the cache down, every tile
is rendered (the cache fails open).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from platforms import platform_label

from . import selectors, thumbnails
from .forms import asset_type_label
from .models import Asset, Rendition
from .templatetags import library_media

TEMPLATE = "library/list.html"
# Long enough that a creator's library stays warm between visits; unused tiles just expire.
CARD_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Card:
    """One tile of the grid: the asset, the file its thumbnail shows, and its HTML."""

    asset: Asset
    thumbnail: Rendition | None
    platform_name: str
    type_name: str
    html: str = ""  # marked safe: our template's output, escaped when it was rendered


@once
def _template_digest() -> str:
    """A digest of the tile's template and the tag that draws its picture, so markup changed by
    a deploy is never served stale."""
    sources = (
        Path(settings.BASE_DIR) / "templates" / TEMPLATE,
        Path(library_media.__file__),
        Path(thumbnails.__file__),  # its VERSION is in every tile's picture URL
    )
    return hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]


def tile_key(card: Card, retention_days: int | None) -> str:
    """The cache key of ``card``'s tile: a digest of everything it shows."""
    asset, thumbnail = card.asset, card.thumbnail
    shown = (
        str(asset.pk),
        asset.title,
        card.platform_name,
        card.type_name,
        asset.width,
        asset.height,
        asset.favourite,
        asset.is_public,
        asset.collection.name if asset.collection else None,
        tuple(tag.name for tag in asset.tags.all()),
        retention_days is not None,
        asset.expires_at.isoformat() if asset.expires_at else None,
        asset.animated,
        (thumbnail.pk, thumbnail.label, thumbnail.width, thumbnail.height) if thumbnail else None,
        # The date is shown in the viewer's time zone (members of a workspace may differ).
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"library:card:{_template_digest()}:{digest}"


def cards_for(assets: Iterable[Asset], *, retention_days: int | None) -> list[Card]:
    """The tiles for ``assets`` (read with their files, tags and collection), their HTML from
    the cache where it is there and rendered (and cached) where it isn't: one cache round trip
    to read, one to write."""
    cards = [
        Card(
            asset=asset,
            thumbnail=selectors.asset_thumbnail(asset),
            platform_name=platform_label(asset.platform),
            type_name=asset_type_label(asset.asset_type),
        )
        for asset in assets
    ]
    keys = [tile_key(card, retention_days) for card in cards]
    found = cache.get_many(keys)
    made: dict[str, str] = {}
    tiles = []
    for card, key in zip(cards, keys, strict=True):
        html = found.get(key)
        if not isinstance(html, str):
            html = render_to_string(f"{TEMPLATE}#card", {"card": card, "retention_days": retention_days})
            made[key] = html
        tiles.append(Card(card.asset, card.thumbnail, card.platform_name, card.type_name, mark_safe(html)))
    if made:
        cache.set_many(made, CARD_SECONDS)
    return tiles
