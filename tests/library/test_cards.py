"""The library grid's tiles come from the cache, and never stale: a tile's key is what it shows."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from billing.entitlements import plan_for
from library import services
from library.api.serializers import file_path, zip_path
from library.cards import TileRow, tile_keys, tile_rows
from library.models import Asset
from library.selectors import asset_list
from tests.factories import CollectionFactory, make_assets

pytestmark = pytest.mark.django_db


def tile(page: str, asset_id: object) -> str:
    """The grid tile of ``asset_id`` in the page's HTML."""
    start = page.index(f'id="asset-card-{asset_id}"')
    return page[start : page.index("</li>", start)]


def cached_tile_key(user) -> str:
    """The key the creator's one tile is cached under (after a visit to the library)."""
    retention_days = plan_for(user).asset_retention_days
    [key] = tile_keys([TileRow(*row) for row in tile_rows(asset_list(user=user))], retention_days)
    assert cache.get(key)
    return key


def test_a_tile_is_served_from_the_cache_once_rendered(auth_client, user):
    [asset] = make_assets(user, 1, title="Hype cat")
    first = auth_client.get("/library/").content.decode()
    key = cached_tile_key(user)

    cache.set(key, f'<li id="asset-card-{asset.pk}">from the cache</li>')
    second = auth_client.get("/library/").content.decode()

    assert "Hype cat 0" in tile(first, asset.pk)
    assert "from the cache" in tile(second, asset.pk)


def test_a_tile_changes_as_soon_as_what_it_shows_changes(auth_client, user):
    [asset] = make_assets(user, 1, title="Hype cat")
    collection = CollectionFactory(owner=user, name="Ranked")
    auth_client.get("/library/")
    cache.set(cached_tile_key(user), f'<li id="asset-card-{asset.pk}">stale</li>')

    services.asset_update(
        asset=asset, title="GG cat", favourite=True, collection_id=collection.pk, tags=["hype"]
    )
    renamed = tile(auth_client.get("/library/").content.decode(), asset.pk)
    services.collection_rename(collection=collection, name="Casual")
    refiled = tile(auth_client.get("/library/").content.decode(), asset.pk)

    assert "stale" not in renamed
    assert "GG cat" in renamed
    assert "Favourite" in renamed
    assert "#hype" in renamed
    assert ">Ranked<" in renamed
    assert ">Casual<" in refiled


def test_another_creators_library_never_shows_a_cached_tile(auth_client, client, user, other_user):
    [asset] = make_assets(user, 1, title="Mine")
    auth_client.get("/library/")
    make_assets(other_user, 1, title="Theirs")

    client.force_login(other_user)
    page = client.get("/library/").content.decode()

    assert f"asset-card-{asset.pk}" not in page
    assert "Mine 0" not in page
    assert "Theirs 0" in page


@pytest.mark.parametrize("label", ["1280x720", "112", "webm", "a label with spaces&more:é"])
def test_the_apis_file_links_are_what_reverse_makes(label):
    asset_id = uuid.uuid4()
    expected = reverse("library:rendition_download", kwargs={"asset_id": asset_id, "label": label})

    assert file_path(asset_id, label) == expected
    assert zip_path(asset_id) == reverse("library:asset_zip", kwargs={"asset_id": asset_id})


def test_a_tile_shows_the_date_it_leaves_in_the_viewers_own_time_zone(auth_client, user):
    """Members of one workspace may live in different time zones: a tile cached for one never
    shows another their asset leaving on the wrong day."""
    [asset] = make_assets(user, 1, title="Late night")
    Asset.objects.filter(pk=asset.pk).update(expires_at=dt.datetime(2027, 3, 1, 23, 30, tzinfo=dt.UTC))
    user.timezone = "UTC"
    user.save(update_fields=["timezone"])
    in_utc = tile(auth_client.get("/library/").content.decode(), asset.pk)
    user.timezone = "Asia/Tokyo"
    user.save(update_fields=["timezone"])
    in_tokyo = tile(auth_client.get("/library/").content.decode(), asset.pk)

    if "Kept until" not in in_utc:
        pytest.skip("this plan keeps assets for good, so tiles show no date")
    assert "1 Mar 2027" in in_utc
    assert "2 Mar 2027" in in_tokyo


def test_the_filter_form_offers_what_the_library_has_now(auth_client, user):
    """The filters' HTML is cached, under everything it offers: a new collection, a renamed one
    and a new tag show in it at once, and another creator's never do."""
    make_assets(user, 1, title="Hype cat")
    collection = CollectionFactory(owner=user, name="Ranked")
    first = auth_client.get("/library/").content.decode()
    services.collection_rename(collection=collection, name="Casual")
    [asset] = Asset.objects.filter(owner=user)
    services.asset_update(
        asset=asset, title=asset.title, favourite=False, collection_id=None, tags=["spooky"]
    )
    second = auth_client.get("/library/").content.decode()

    assert ">Ranked</option>" in first
    assert ">Casual</option>" in second
    assert ">Ranked</option>" not in second
    assert ">#spooky</option>" in second


def test_a_bad_filter_link_is_explained_even_when_the_plain_form_is_cached(auth_client, user):
    make_assets(user, 1, title="Hype cat")
    auth_client.get("/library/")

    page = auth_client.get("/library/?created_from=not-a-date").content.decode()

    assert "Some filters in this link were not valid" in page
