"""Sharing an asset: the owner's share panel and the public page with its unfurl tags."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from library import services
from library.models import Asset, Rendition
from tests.factories import make_assets

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    """A browser of its own, signed out (``client`` is the one ``auth_client`` signs in)."""
    return Client()


def meta(page: str, key: str) -> str:
    """The content of <meta property|name="key" content="…">."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    assert match, f"no {key} meta tag"
    return match.group(1)


@pytest.fixture
def thumbnail(user) -> Asset:
    [asset] = make_assets(
        user,
        1,
        title="Boss rush thumbnail",
        platform="youtube",
        asset_type="thumbnail",
        spec_key="youtube.thumbnail",
        width=1280,
        height=720,
    )
    return services.asset_share(asset=asset)


def test_the_public_page_has_open_graph_and_twitter_tags_with_absolute_urls(visitor, thumbnail, user):
    response = visitor.get(f"/s/{thumbnail.share_token}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert meta(page, "og:title") == "Boss rush thumbnail 0"
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:url") == f"http://testserver/s/{thumbnail.share_token}/"
    image = f"http://testserver/s/{thumbnail.share_token}/files/1280/"
    assert meta(page, "og:image") == image
    assert meta(page, "og:image:width") == "1280"
    assert meta(page, "og:image:height") == "720"
    assert user.name in meta(page, "og:description")
    assert "YouTube thumbnail" in meta(page, "og:description")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == image
    assert meta(page, "robots") == "noindex"
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert f'<img src="{image}"' in page
    assert user.name in page
    assert "/accounts/signup/" in page  # the call to action, for a visitor


def test_a_square_emote_unfurls_as_a_small_card(client, user):
    [emote] = make_assets(user, 1)
    services.asset_share(asset=emote)

    page = client.get(f"/s/{emote.share_token}/").content.decode()

    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "og:image:width") == "112"


def test_the_shared_image_loads_for_anyone(client, thumbnail):
    response = client.get(f"/s/{thumbnail.share_token}/files/1280/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_private_revoked_deleted_and_taken_down_assets_are_the_site_404(client, user):
    private, revoked, deleted, taken_down = make_assets(user, 4)
    tokens = {}
    for asset in (revoked, deleted, taken_down):
        tokens[asset.pk] = services.asset_share(asset=asset).share_token
    services.asset_unshare(asset=revoked)
    services.assets_delete(user=user, asset_ids=[deleted.pk])
    services.asset_takedown(asset=taken_down)

    for token in [*tokens.values(), "not-a-token", "x" * 300]:
        response = client.get(f"/s/{token}/")
        assert response.status_code == 404, token
        assert "<html" in response.content.decode()
    assert private.share_token is None


def test_the_owner_sees_a_404_too_once_revoked_but_keeps_the_count(auth_client, thumbnail, visitor):
    visitor.get(f"/s/{thumbnail.share_token}/")
    token = thumbnail.share_token

    auth_client.post(f"/library/assets/{thumbnail.pk}/share/revoke/")

    assert auth_client.get(f"/s/{token}/").status_code == 404
    thumbnail.refresh_from_db()
    assert not thumbnail.is_public
    assert thumbnail.share_views == 1
    assert "Earlier links had 1 view." in auth_client.get(f"/library/assets/{thumbnail.pk}/").content.decode()


def test_rotating_the_link_stops_the_old_one(auth_client, thumbnail, visitor):
    old = thumbnail.share_token

    response = auth_client.post(f"/library/assets/{thumbnail.pk}/share/rotate/", HTTP_HX_REQUEST="true")

    thumbnail.refresh_from_db()
    assert thumbnail.share_token != old
    page = response.content.decode()
    assert 'id="share-panel"' in page
    assert f"http://testserver/s/{thumbnail.share_token}/" in page
    assert "The old link no longer works." in page
    assert visitor.get(f"/s/{old}/").status_code == 404
    assert visitor.get(f"/s/{old}/files/1280/").status_code == 404
    assert visitor.get(f"/s/{thumbnail.share_token}/").status_code == 200


def test_views_count_for_visitors_not_for_the_owner(visitor, auth_client, thumbnail, other_user):
    url = f"/s/{thumbnail.share_token}/"

    visitor.get(url)  # signed out
    visitor.force_login(other_user)
    visitor.get(url)  # another creator
    auth_client.get(url)  # the owner

    thumbnail.refresh_from_db()
    assert thumbnail.share_views == 2
    panel = auth_client.get(f"/library/assets/{thumbnail.pk}/").content.decode()
    assert re.search(r">2</span> views", panel)


def test_making_an_asset_public_from_its_page(auth_client, user):
    [asset] = make_assets(user, 1)
    page = auth_client.get(f"/library/assets/{asset.pk}/").content.decode()
    assert "Create a public link" in page
    assert "Only you can see this asset" in page

    response = auth_client.post(f"/library/assets/{asset.pk}/share/", follow=True)

    asset.refresh_from_db()
    assert asset.is_public
    assert len(asset.share_token) >= 43  # 32 random bytes
    page = response.content.decode()
    assert f'value="http://testserver/s/{asset.share_token}/"' in page
    assert "Public link created." in page


def test_a_taken_down_asset_cannot_be_shared_again(auth_client, user):
    [asset] = make_assets(user, 1)
    services.asset_takedown(asset=asset)

    response = auth_client.post(f"/library/assets/{asset.pk}/share/", HTTP_HX_REQUEST="true")

    assert "taken down" in response.content.decode()
    asset.refresh_from_db()
    assert not asset.is_public


def test_another_creators_share_actions_are_404(client, other_user, thumbnail):
    client.force_login(other_user)

    for action in ("share/", "share/rotate/", "share/revoke/"):
        assert client.post(f"/library/assets/{thumbnail.pk}/{action}").status_code == 404
    thumbnail.refresh_from_db()
    assert thumbnail.is_public


def test_an_asset_without_files_still_has_a_page(client, user):
    [asset] = make_assets(user, 1)
    Rendition.objects.filter(asset=asset).delete()
    services.asset_share(asset=asset)

    page = client.get(f"/s/{asset.share_token}/").content.decode()

    assert "The file is not available." in page
    assert 'property="og:image"' not in page


def test_retention_date_is_shown_on_the_asset_for_free_creators(auth_client, user):
    expires = timezone.now() + dt.timedelta(days=30)
    [asset] = make_assets(user, 1, expires_at=expires)

    page = auth_client.get(f"/library/assets/{asset.pk}/").content.decode()

    assert f'Kept until <time datetime="{expires.isoformat()[:10]}' in page
    assert "keeps assets 30 days" in page


def test_a_creator_without_a_display_name_is_never_named_by_their_email(visitor):
    from tests.factories import UserFactory

    newcomer = UserFactory(email="newcomer1205@example.com", display_name="")
    [asset] = make_assets(newcomer, 1, title="Hype emote")
    services.asset_share(asset=asset)

    page = visitor.get(f"/s/{asset.share_token}/")
    image = visitor.get(f"/s/{asset.share_token}/files/112/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "newcomer1205" not in text
    assert "example.com" not in text
    assert " by " not in meta(text, "og:description")
    assert meta(text, "og:description") == "A Twitch emote, made with AuraStream."
    assert "<title>Hype emote 0 · " in text
    assert "newcomer1205" not in str(image.headers)
