"""The job page's results lead to where each asset lives: its page in the library."""

from __future__ import annotations

import re

import pytest

from library.models import Asset

pytestmark = pytest.mark.django_db


def test_each_result_links_to_its_asset_page_and_the_library(auth_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            "/create/",
            {
                "spec_key": "twitch.emote",
                "prompt": "hype cat, gg, pog",
                "variants": "1",
                "pack": "emote_pack",
            },
        )
    page = auth_client.get(response["Location"]).content.decode()

    assets = list(Asset.objects.all())
    assert len(assets) == 3
    for asset in assets:
        # The title is a link to the asset's page (sharing, versions, organising).
        assert re.search(
            rf'<a href="/library/assets/{asset.pk}/"[^>]*>\s*{re.escape(asset.title)}\s*</a>', page
        ), asset.title
    assert re.search(r'<a href="/library/"[^>]*>\s*Saved to your library\s*</a>', page)
