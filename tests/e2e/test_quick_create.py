"""A creator makes a Starting Soon screen from a Quick Create template in Chromium: picks the
template, changes its title, watches the brand-kit preview redraw, generates in one click, then
refines it with "brighter" and compares before and after."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from brandkits.services import brand_kit_create
from generation.models import GenerationJob
from library.models import Asset
from tests.e2e.browser import sign_in

# Previews are drawn by the real engine at full size; on a busy machine a gallery's worth of
# them takes several seconds the first time.
PREVIEW_TIMEOUT = 30_000


@pytest.fixture
def creator(pro_creator):  # refines are on Pro
    brand_kit_create(owner=pro_creator, name="Luma", primary_color="#7C3AED", accent_color="#22D3EE")
    return pro_creator


def mean_luminance(page: Page, selector: str) -> float:
    """The average luminance of an image as Chromium decoded it."""
    return page.locator(selector).evaluate(
        """img => {
          const canvas = document.createElement("canvas");
          canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
          const context = canvas.getContext("2d");
          context.drawImage(img, 0, 0);
          const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
          let sum = 0;
          for (let i = 0; i < data.length; i += 4) {
            sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
          }
          return sum / (data.length / 4);
        }"""
    )


def test_a_creator_makes_a_starting_soon_screen_from_a_template(page: Page, creator):
    sign_in(page, creator.email)

    page.goto("/create/quick/")
    gallery_preview = page.get_by_role("img", name="Starting soon in your brand")
    gallery_preview.scroll_into_view_if_needed()
    # The first visit draws every preview in the creator's kit (later ones come from the cache).
    expect(gallery_preview).to_have_js_property("complete", True, timeout=PREVIEW_TIMEOUT)
    assert gallery_preview.evaluate("img => img.naturalWidth") == 640
    page.get_by_role("link", name="Starting soon", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/quick/starting-soon/$"))

    preview = page.locator("img[data-quick-preview]")
    expect(preview).to_have_attribute("src", re.compile(r"f_title=Starting\+soon"))
    page.get_by_label("Cozy").check()
    page.get_by_label("Title").fill("Back in 5")
    expect(preview).to_have_attribute("src", re.compile(r"f_title=Back\+in\+5"))
    expect(preview).to_have_attribute("src", re.compile(r"vibe=cozy"))
    page.wait_for_function(
        "() => { const img = document.querySelector('img[data-quick-preview]');"
        " return img && img.complete && img.naturalWidth === 640; }",
        timeout=PREVIEW_TIMEOUT,
    )

    page.get_by_role("button", name="Generate", exact=True).click()

    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=30_000)
    job = GenerationJob.objects.get(user=creator)
    assert (job.template, job.text) == ("starting-soon", "Back in 5")
    assert job.prompt.startswith("cozy")

    # ---- Almost: brighter ----
    page.get_by_role("group", name="Quick changes").get_by_role("button", name="Brighter").click()
    expect(page.get_by_text("“brighter” — a new version of")).to_be_visible()
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Compare with the version before").click()

    expect(page.get_by_role("heading", name="Before and after")).to_be_visible()
    before = page.get_by_role("img", name="Before: version 1")
    after = page.get_by_role("img", name="After: version 2")
    for image in (before, after):
        expect(image).to_have_js_property("complete", True, timeout=PREVIEW_TIMEOUT)
    assert mean_luminance(page, "img[alt='After: version 2']") > mean_luminance(
        page, "img[alt='Before: version 1']"
    )
    refined = Asset.objects.get(owner=creator, version=2)
    assert refined.is_current
    assert refined.refine_note["applied"] == ["Brighter"]
