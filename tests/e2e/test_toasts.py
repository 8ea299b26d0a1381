"""A toast never covers the brand kit editor's live preview, the thing the creator watches."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from brandkits.services import brand_kit_create
from tests.e2e.browser import sign_in
from tests.factories import UserFactory


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The area two boxes share, in CSS pixels."""
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(0.0, width) * max(0.0, height)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 1440, "height": 900}])
def test_the_saved_toast_leaves_the_live_preview_in_sight(page: Page, viewport):
    user = UserFactory()
    kit = brand_kit_create(owner=user, name="Neon")
    page.set_viewport_size(viewport)
    sign_in(page, user.email)

    page.goto(f"/brand/{kit.pk}/")
    page.locator("#kit-form button[type=submit]").first.click()

    toast = page.locator("#toasts .toast").first
    expect(toast).to_contain_text("Brand kit saved")
    preview = page.locator("aside[aria-label=Preview]")
    expect(preview.locator("#kit-preview img").first).to_be_visible()
    assert overlap(toast.bounding_box(), preview.bounding_box()) == 0
