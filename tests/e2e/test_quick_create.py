"""A creator makes a Starting Soon screen from a Quick Create template in Chromium: picks the
template, changes its title, watches the brand-kit preview redraw, and generates in one click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from brandkits.services import brand_kit_create
from generation.models import GenerationJob
from tests.factories import UserFactory

from .test_generation import sign_in


@pytest.fixture
def creator(transactional_db):
    user = UserFactory(email="luma.live@example.com")
    brand_kit_create(owner=user, name="Luma", primary_color="#7C3AED", accent_color="#22D3EE")
    return user


def test_a_creator_makes_a_starting_soon_screen_from_a_template(page: Page, creator):
    sign_in(page, creator.email)

    page.goto("/create/quick/")
    gallery_preview = page.get_by_role("img", name="Starting soon in your brand")
    gallery_preview.scroll_into_view_if_needed()
    expect(gallery_preview).to_have_js_property("complete", True)
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
        " return img && img.complete && img.naturalWidth === 640; }"
    )

    page.get_by_role("button", name="Generate", exact=True).click()

    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=30_000)
    job = GenerationJob.objects.get(user=creator)
    assert (job.template, job.text) == ("starting-soon", "Back in 5")
    assert job.prompt.startswith("cozy")
