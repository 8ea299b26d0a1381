"""The asset page previews an asset as the job page does: from its platform registry row."""

from __future__ import annotations

import re

import pytest

from library.models import Asset, Rendition
from tests.factories import shared_png

pytestmark = pytest.mark.django_db


def make_asset(owner, spec_key: str, width: int, height: int) -> Asset:
    platform, asset_type = spec_key.split(".")
    asset = Asset.objects.create(
        owner=owner,
        title=f"A {asset_type}",
        spec_key=spec_key,
        platform=platform,
        asset_type=asset_type,
        width=width,
        height=height,
        format="PNG",
        bytes=2_000,
        prompt="neon city",
    )
    Rendition.objects.create(
        asset=asset,
        label=f"{width}x{height}",
        width=width,
        height=height,
        format="PNG",
        bytes=2_000,
        file=shared_png(),
    )
    return asset


def test_a_story_cover_shows_its_safe_area_and_the_bands_the_apps_cover(auth_client, user):
    asset = make_asset(user, "all.story_cover", 1080, 1920)

    page = auth_client.get(f"/library/assets/{asset.pk}/").content.decode()

    assert "Show the safe area and what the platform covers" in page
    assert "left: 8.333%; top: 14.062%; width: 83.333%; height: 59.896%" in page  # the safe area
    assert "left: 0.0%; top: 0.0%; width: 100.0%; height: 13.021%" in page  # the top band
    assert "left: 0.0%; top: 75.0%; width: 100.0%; height: 25.0%" in page  # the bottom band
    assert "Any platform" in page  # the registry's name for the platform


def test_a_banner_shows_its_safe_area_and_an_avatar_its_circle(auth_client, user):
    banner = make_asset(user, "youtube.channel_banner", 2560, 1440)
    avatar = make_asset(user, "youtube.profile_picture", 800, 800)

    banner_page = auth_client.get(f"/library/assets/{banner.pk}/").content.decode()
    avatar_page = auth_client.get(f"/library/assets/{avatar.pk}/").content.decode()

    assert "Show the safe area" in banner_page
    assert "left: 19.805%; top: 35.278%; width: 60.391%; height: 29.375%" in banner_page
    assert "circle crop marked" in avatar_page


def test_an_asset_whose_registry_row_is_gone_is_shown_plainly(auth_client, user):
    asset = make_asset(user, "myspace.banner", 1200, 400)

    response = auth_client.get(f"/library/assets/{asset.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Show the safe area" not in page
    assert "Myspace" in page


GUIDE = re.compile(r'class="pointer-events-none absolute hidden ([^"]*)"\s+style="([^"]*)"')


def test_the_job_page_and_the_asset_page_draw_the_same(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/create/", {"spec_key": "all.story_cover", "prompt": "neon city at night", "variants": "1"}
        )
    job_page = auth_client.get(response["Location"]).content.decode()
    [asset] = Asset.objects.all()
    asset_page = auth_client.get(f"/library/assets/{asset.pk}/").content.decode()

    guides = GUIDE.findall(job_page)
    assert len(guides) == 3  # the safe area and the two bands the apps cover
    assert GUIDE.findall(asset_page) == guides
