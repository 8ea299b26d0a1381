"""Operators' view of the library: finding assets and taking a shared one down."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from library import selectors, services
from library.models import Asset
from tests.factories import AssetFactory, UserFactory

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
