"""A creator finds an asset in the library, shares it, and a signed-out visitor opens the link.

The assets are made by the real engine (local provider, Celery eager, in the test's thread);
the browser then filters the library, deletes and undoes from the grid, opens an asset, makes it
public and copies the link. A fresh, signed-out browser context opens the link and sees the
image and the unfurl tags, until the owner revokes it and the same link is a 404.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from generation.services import JobRequest, job_create
from library.models import Asset
from tests.e2e.browser import sign_in, watch_csp


@pytest.fixture
def creator(creator):
    """A Free creator with a YouTube thumbnail, a Twitch emote and a Twitch sub badge."""
    for spec_key, prompt in (
        ("youtube.thumbnail", 'Neon arcade at night, headline "BOSS RUSH"'),
        ("twitch.emote", 'a cozy purple cat "GG"'),
        ("twitch.sub_badge", "a tiny purple crown"),
    ):
        job_create(user=creator, request=JobRequest(spec_key=spec_key, prompt=prompt))
    assert Asset.objects.filter(owner=creator).count() == 3
    return creator


def test_filter_share_revoke_and_undo_a_delete(page: Page, browser: Browser, live_server, creator):
    sign_in(page, creator.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page).to_have_url(re.compile(r"/library/$"))
    grid = page.get_by_role("list", name="Assets")
    tiles = grid.locator("li[id^=asset-card-]")
    expect(tiles).to_have_count(3)
    expect(page.locator("#storage-used")).to_contain_text("used")
    expect(page.get_by_text("assets are kept 30 days")).to_be_visible()

    # ---- Filter by platform: only the YouTube thumbnail stays ----
    search = page.get_by_role("search", name="Search and filter the library")
    search.get_by_text("Filters", exact=True).click()
    search.get_by_label("Platform").select_option(label="YouTube")
    search.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"platform=youtube"))
    expect(tiles).to_have_count(1)
    expect(tiles.first).to_contain_text("YouTube · Thumbnail")
    thumbnail = tiles.first.locator("img")
    expect(thumbnail).to_have_js_property("naturalWidth", 480)  # a small WebP of its 1280 px file
    # What Chromium downloaded: the tile a few kilobytes, the page gzipped.
    tile_bytes = thumbnail.evaluate("img => performance.getEntriesByName(img.currentSrc)[0].encodedBodySize")
    assert 0 < tile_bytes <= 50_000
    html = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.encodedBodySize, n.decodedBodySize]; })()"
    )
    assert 0 < html[0] * 3 < html[1]

    # ---- Delete from the grid, then undo ----
    page.goto("/library/?platform=twitch")
    expect(tiles).to_have_count(2)
    badge_tile = tiles.filter(has_text="Sub badge")
    badge_tile.get_by_role("checkbox", name=re.compile(r"^Select Twitch subscriber badge")).check()
    selection = page.get_by_role("group", name="Selected assets")
    expect(selection).to_be_visible()
    selection.get_by_role("button", name="Delete").click()
    expect(tiles).to_have_count(1)
    toast = page.locator("#toasts [data-undo-toast]")
    expect(toast).to_contain_text("Deleted 1 asset.")
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("#toasts")).to_contain_text("Restored 1 asset.")
    expect(tiles).to_have_count(2)

    # ---- Open the thumbnail and make it public ----
    page.goto("/library/?platform=youtube")
    tiles.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/library/assets/[0-9a-f-]{36}/$"))
    title = page.get_by_role("heading", level=1).inner_text().strip()
    assert title.startswith("YouTube thumbnail")
    expect(page.get_by_role("heading", name="Validation report")).to_be_visible()
    expect(page.get_by_role("heading", name="Recipe")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Kept until "))).to_be_visible()

    sharing = page.get_by_role("region", name="Sharing")
    sharing.get_by_role("button", name="Create a public link").click()
    link = sharing.get_by_label("Public link")
    expect(link).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/s/[A-Za-z0-9_-]{{43}}/$"))
    expect(page.locator("#share-announcer")).to_contain_text("Public link created.")
    share_url = link.input_value()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sharing.get_by_role("button", name="Copy").click()
    expect(sharing.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == share_url

    # ---- A signed-out visitor opens the link ----
    visitor_context = browser.new_context()
    try:
        visitor = visitor_context.new_page()
        visitor_violations = watch_csp(visitor)
        response = visitor.goto(share_url)
        assert response is not None
        assert response.status == 200
        expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
        image = visitor.get_by_role("img", name=title)
        expect(image).to_be_visible()
        assert visitor.evaluate("document.querySelector('img[alt]').naturalWidth") > 0
        expect(image).to_have_js_property("naturalWidth", 1280)
        expect(visitor.locator('meta[property="og:title"]')).to_have_attribute("content", title)
        expect(visitor.locator('meta[property="og:image"]')).to_have_attribute(
            "content", re.compile(rf"^{re.escape(share_url)}files/1280x720/$")
        )
        expect(visitor.get_by_role("link", name="Make your own, free")).to_be_visible()

        # ---- The owner revokes it: the same link is now a 404 ----
        sharing.get_by_role("button", name="Revoke link").click()
        expect(sharing.get_by_role("button", name="Create a public link")).to_be_visible()
        expect(page.locator("#toasts")).to_contain_text("Link revoked.")
        expect(page.locator("#toasts").get_by_role("button", name="Undo")).to_be_visible()
        expect(sharing).to_contain_text("Earlier links had 1 view.")

        gone = visitor.goto(share_url)
        assert gone is not None
        assert gone.status == 404
        expect(visitor.get_by_role("heading", level=1)).not_to_have_text(title)
    finally:
        visitor_context.close()
    assert not visitor_violations, visitor_violations
