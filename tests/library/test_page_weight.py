"""The weight of a library page: a full page of 48 YouTube thumbnails (1280×720 files of about
2 MB each) transfers under 1 MB in all: the HTML gzipped, the CSS and JavaScript it links
(gzipped, as whitenoise serves them collected) and every tile's thumbnail."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from library.models import Rendition
from tests.factories import artwork_asset
from tests.images import served

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip"}
BUDGET = 1_000_000


class Fetched(HTMLParser):
    """What a browser fetches for a page: stylesheets, icons, scripts and images."""

    def __init__(self) -> None:
        super().__init__()
        self.static: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("href") if tag == "link" else found.get("src")
        if not url:
            return
        if url.startswith(settings.STATIC_URL):
            self.static.append(url)
        elif tag == "img":
            self.images.append(url)


def static_gzipped(url: str) -> int:
    """A static file's bytes as whitenoise serves it collected (gzip at level 9; brotli less)."""
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    with open(path, "rb") as handle:
        return len(gzip.compress(handle.read(), compresslevel=9, mtime=0))


def test_a_library_page_of_48_youtube_thumbnails_transfers_under_1_mb(auth_client, user):
    assets = [artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail", seed=n) for n in range(48)]

    page = auth_client.get("/library/", headers=GZIP)
    assert page["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    fetched = Fetched()
    fetched.feed(html)
    static = sum(static_gzipped(url) for url in set(fetched.static))
    tiles = [auth_client.get(url) for url in fetched.images]
    sizes = [len(served(tile)) for tile in tiles]
    images = sum(sizes)
    total = len(page.content) + static + images

    assert len(fetched.images) == 48
    assert all(tile.status_code == 200 and tile["Content-Type"] == "image/webp" for tile in tiles)
    assert max(sizes) <= 50_000
    full_files = sum(Rendition.objects.filter(asset__in=assets).values_list("bytes", flat=True))
    print(
        f"\nlibrary page, 48 YouTube thumbnails: HTML {len(page.content):,} B gzipped"
        f" ({len(html.encode()):,} B plain), CSS+JS {static:,} B gzipped, 48 thumbnails {images:,} B"
        f" (largest {max(sizes):,} B); total {total:,} B"
        f" (the full files would be {full_files:,} B)"
    )
    assert total <= BUDGET
