"""Operators' view of the library: finding assets and taking a shared one down."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library import selectors, services
from library.models import Asset
from tests.factories import AssetFactory, UserFactory, make_assets

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/library/asset/"


def take_down(client, asset: Asset):
    return client.post(CHANGELIST, {"action": "take_down", "_selected_action": [str(asset.pk)]})


def test_staff_find_assets_by_owner_and_visibility_and_read_the_recipe(staff_client, user, other_user):
    shared = AssetFactory(owner=user, title="Shared emote", recipe={"seed": 41}, shared=True)
    AssetFactory(owner=other_user, title="Someone else's emote")

    by_owner = staff_client.get(CHANGELIST, {"q": user.email}).content.decode()
    public = staff_client.get(CHANGELIST, {"visibility__exact": "public"}).content.decode()
    detail = staff_client.get(f"{CHANGELIST}{shared.pk}/change/").content.decode()
    file = staff_client.get(f"{CHANGELIST}{shared.pk}/files/56/")

    assert "Shared emote" in by_owner
    assert "Someone else" not in by_owner
    assert "Shared emote" in public
    assert "Someone else" not in public
    assert re.search(r"<dt>Seed</dt>\s*<dd>41</dd>", detail)
    assert f"{CHANGELIST}{shared.pk}/files/56/" in detail
    assert (file.status_code, file["Content-Type"]) == (200, "image/png")


def test_staff_take_down_a_public_asset(staff_client, user):
    asset = AssetFactory(owner=user, shared=True)
    AssetFactory(owner=user, title="Untouched")
    token = asset.share_token

    response = take_down(staff_client, asset)

    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.visibility, asset.share_token) == ("private", None)
    assert asset.taken_down_at is not None
    assert not Asset.objects.filter(share_token=token).exists()
    assert staff_client.get(f"/s/{token}/").status_code == 404
    taken = staff_client.get(CHANGELIST, {"taken_down_at__isempty": "0"}).content.decode()
    assert asset.title in taken
    assert "Untouched" not in taken
    with pytest.raises(ValidationError, match="taken down"):
        services.asset_share(asset=asset)


def test_staff_without_the_change_permission_cannot_take_down(client, user):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_asset"))
    client.force_login(viewer)
    asset = AssetFactory(owner=user, shared=True)

    listing = client.get(CHANGELIST)
    take_down(client, asset)

    assert listing.status_code == 200
    assert "take_down" not in listing.content.decode()
    asset.refresh_from_db()
    assert (asset.visibility, asset.taken_down_at) == ("public", None)


def test_creators_cannot_reach_the_asset_admin(auth_client, user):
    asset = AssetFactory(owner=user, shared=True)

    listing = auth_client.get(CHANGELIST)
    take_down(auth_client, asset)
    file = auth_client.get(f"{CHANGELIST}{asset.pk}/files/56/")

    assert listing.status_code == 404
    assert file.status_code == 404
    assert selectors.asset_shared(token=asset.share_token or "") == asset


def test_the_asset_list_shows_each_assets_smallest_suitable_file(staff_client, user):
    asset = AssetFactory(owner=user, title="Big emote", sizes=(512, 256, 112, 28))
    bare = AssetFactory(owner=user, title="No files yet", sizes=(), width=112, height=112)

    page = staff_client.get(CHANGELIST).content.decode()

    assert f'<img class="ops-thumb" src="{CHANGELIST}{asset.pk}/files/256/" alt="Big emote"' in page
    assert f"{CHANGELIST}{bare.pk}/change/" in page
    assert staff_client.get(f"{CHANGELIST}{asset.pk}/files/256/")["Content-Type"] == "image/png"


def test_the_asset_lists_queries_do_not_grow_with_its_rows(staff_client, user, django_assert_max_num_queries):
    make_assets(user, 1)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(CHANGELIST)
    make_assets(user, 19)

    with django_assert_max_num_queries(len(one)):
        page = staff_client.get(CHANGELIST).content.decode()

    assert page.count('<img class="ops-thumb"') == 20


def test_the_asset_page_shows_a_preview_and_a_readable_recipe(staff_client, user):
    recipe = {
        "prompt": "Café banner, 1280×720, «GG»",
        "text": "LIVE",
        "seed": 7,
        "spec": "youtube.thumbnail",
        "brand": {"name": "Neon Nights", "palette": {"primary": "#FF2E88"}},
        "reading": {"subject": "a café"},
    }
    asset = AssetFactory(owner=user, title="Banner", recipe=recipe, sizes=(1280, 320, 64))

    page = staff_client.get(f"{CHANGELIST}{asset.pk}/change/").content.decode()

    assert f'<img class="ops-preview" src="{CHANGELIST}{asset.pk}/files/320/"' in page
    assert "\\u00d7" not in page
    assert "\\u00e9" not in page
    assert re.search(r"<dt>Prompt</dt>\s*<dd>Café banner, 1280×720, «GG»</dd>", page)
    assert re.search(r"<dt>Brand kit</dt>\s*<dd>Neon Nights</dd>", page)
    assert "&quot;subject&quot;: &quot;a café&quot;" in page  # the rest, as readable JSON
