"""Deleting from the grid over htmx updates the count above it, for the filters on screen."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_assets

pytestmark = pytest.mark.django_db


def count_swap(page: str) -> str:
    """The words of the out-of-band replacement for the library's count."""
    match = re.search(r'<p[^>]*id="library-count"[^>]*hx-swap-oob="true"[^>]*>(.*?)</p>', page, re.S)
    assert match, "no out-of-band count in the answer"
    return " ".join(match.group(1).split())


def test_the_count_goes_down_when_an_asset_is_deleted_from_the_grid(auth_client, user):
    assets = make_assets(user, 3)

    before = auth_client.get("/library/").content.decode()
    response = auth_client.post(
        "/library/delete/", {"assets": [str(assets[0].pk)], "next": "/library/"}, HTTP_HX_REQUEST="true"
    )

    assert "3 assets" in before
    assert count_swap(response.content.decode()) == "2 assets"


def test_the_count_keeps_the_filters_on_screen(auth_client, user):
    emotes = make_assets(user, 2)
    make_assets(user, 2, platform="youtube", asset_type="thumbnail", spec_key="youtube.thumbnail")

    response = auth_client.post(
        "/library/delete/",
        {"assets": [str(emotes[0].pk)], "next": "/library/?platform=twitch"},
        HTTP_HX_REQUEST="true",
    )

    assert count_swap(response.content.decode()) == "1 asset matches these filters"
