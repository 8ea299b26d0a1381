"""A creator types a thumbnail's description into Create in Chromium, watches what the engine
understood fill in as they type, generates, and finds the same reading beside a result that
shows it: the named colour is measured in the image's pixels, against a kit with no purple."""

from __future__ import annotations

import colorsys
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from brandkits.services import brand_kit_create
from generation.engine.reading import LAYOUT_LABELS, LAYOUTS
from generation.models import GenerationJob
from library.models import Asset
from tests.e2e.browser import sign_in

JOB_TIMEOUT = 30_000
PROMPT_START = "YouTube thumbnail of a purple cat"
PROMPT_REST = ' with a crown, neon, "CLUTCH KING", ranked grind'


@pytest.fixture
def creator(pro_creator):
    # Sky, amber and green: no purple anywhere in the kit, so purple in the art came from the words.
    brand_kit_create(
        owner=pro_creator,
        name="Tide",
        primary_color="#0EA5E9",
        secondary_color="#F59E0B",
        accent_color="#10B981",
        background_color="#0B1320",
        text_color="#FFFFFF",
    )
    return pro_creator


def understood_rows(region: Locator) -> dict[str, str]:
    """The reading's rows as a person reads them: label → value."""
    return region.locator("dl").first.evaluate(
        """dl => Object.fromEntries(Array.from(dl.querySelectorAll("dt")).map(dt =>
             [dt.textContent.trim(), dt.nextElementSibling.textContent.replace(/\\s+/g, " ").trim()]))"""
    )


def purple_share(data: bytes) -> float:
    """The share of an image's pixels in #8E24AA's hue family (violet to magenta), saturated
    and not dark."""
    with Image.open(io.BytesIO(data)) as image:
        pixels = list(image.convert("RGB").resize((320, 180)).getdata())
    purple = 0
    for r, g, b in pixels:
        hue, saturation, value = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
        if 0.75 <= hue <= 0.86 and saturation >= 0.35 and value >= 0.25:
            purple += 1
    return purple / len(pixels)


def test_create_says_what_it_understood_as_the_creator_types_and_the_result_matches(page: Page, creator):
    sign_in(page, creator.email)
    page.goto("/create/")
    panel = page.get_by_role("region", name="What we understood")
    expect(panel).to_contain_text("Describe it and this shows what the art will have")

    # Only the chosen type's layouts are offered; an emote has one of its own, so none is asked.
    asset_type, layout = page.get_by_label("Platform and asset type"), page.get_by_label("Layout")
    asset_type.select_option(label="Twitch · Emote (static)")
    expect(layout).to_be_hidden()
    asset_type.select_option(label="YouTube · Thumbnail")
    expect(layout).to_be_visible()
    offered = layout.locator("option:not([disabled])")
    expect(offered).to_have_count(1 + len(LAYOUTS["thumbnail"]))
    expect(offered.first).to_have_text("Let the words decide")

    # ---- Live, as the creator types ----
    describe = page.get_by_label("Describe it")
    describe.press_sequentially(PROMPT_START, delay=10)
    expect(panel.locator("dl")).to_contain_text("Subject cat")
    expect(panel.locator("dl")).to_contain_text("Colours purple")
    assert "With" not in understood_rows(panel)
    describe.press_sequentially(PROMPT_REST, delay=10)
    expect(panel).to_contain_text("Not used: ranked, grind.")
    live = understood_rows(panel)
    assert live == {
        "Subject": "cat",
        "With": "crown",
        "Colours": "purple #8E24AA",
        "Style": "neon",
        "Layout": "Picked for you when you generate",
        "Text": "CLUTCH KING",
    }
    swatch = panel.locator("dd .swatch").first
    expect(swatch).to_have_css("background-color", "rgb(142, 36, 170)")
    expect(panel).to_contain_text("Purple from your words, fonts and logo from your kit.")
    # A screen reader hears it as one line, from a live region that stays put.
    expect(page.locator("#understood-announcer")).to_have_text(
        "subject cat; with crown; colours purple #8E24AA; style neon; layout picked for you when you "
        "generate; text CLUTCH KING. Not used: ranked, grind."
    )

    # ---- Generate: the job page keeps the same reading, with the layout it settled ----
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=JOB_TIMEOUT)

    kept = page.get_by_role("region", name="What we understood")
    expect(kept).to_contain_text("Not used: ranked, grind.")
    expect(kept).to_contain_text("Purple from your words, fonts and logo from your kit.")
    result = understood_rows(kept)
    settled = GenerationJob.objects.get(user=creator).items[0]["reading"]["layout"]
    assert result.pop("Layout") == LAYOUT_LABELS[settled]
    live.pop("Layout")
    assert result == live

    # ---- The result shows it: purple art, from a kit without any ----
    results = page.get_by_role("region", name="Your 1 asset")
    full_size = results.locator("figure", has_text="Full size, 1280×720").locator("img")
    full_size.scroll_into_view_if_needed()
    expect(full_size).to_have_js_property("naturalWidth", 1280)
    image = page.request.get(full_size.get_attribute("src") or "")
    assert image.ok
    assert purple_share(image.body()) >= 0.10

    # ---- And the library's copy of the recipe ----
    asset = Asset.objects.get(owner=creator)
    page.goto(f"/library/assets/{asset.pk}/")
    recipe = page.get_by_role("region", name="Recipe")
    expect(recipe.get_by_role("heading", name="What we understood")).to_be_visible()
    assert understood_rows(recipe.locator("#understood")) == result | {"Layout": LAYOUT_LABELS[settled]}
