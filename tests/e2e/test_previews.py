"""A finished job's page and the same asset's library page show the same platform guides.

A story cover (1080×1920) is made by the real engine (local provider, Celery eager). Its registry
row has a safe area and two bands the apps cover; both pages draw them over the image, switched
on, at the same places relative to the image.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from generation.services import JobRequest, job_create
from library.models import Asset
from tests.e2e.browser import sign_in
from tests.factories import UserFactory


@pytest.fixture
def cover(transactional_db) -> Asset:
    user = UserFactory(email="nova.previews@example.com")
    job_create(user=user, request=JobRequest(spec_key="all.story_cover", prompt='Neon city "LIVE NOW"'))
    return Asset.objects.get(owner=user)


def guides(page: Page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each guide drawn over the preview: its kind and its box in percent of the image's box."""
    preview = page.locator("[class~='group/guides']")
    expect(preview).to_have_count(1)
    toggle = preview.get_by_label("Show the safe area and what the platform covers")
    expect(toggle).to_be_checked()  # a cover's guides are on from the start
    image = preview.locator("img").first
    expect(image).to_have_js_property("complete", True)
    box = image.bounding_box()
    assert box is not None
    drawn = []
    for guide in preview.locator("[aria-hidden=true][style*='left:']").all():
        expect(guide).to_be_visible()
        kind = "safe area" if "border-dashed" in (guide.get_attribute("class") or "") else "covered"
        area = guide.bounding_box()
        assert area is not None
        drawn.append(
            (
                kind,
                (
                    round(100 * (area["x"] - box["x"]) / box["width"], 1),
                    round(100 * (area["y"] - box["y"]) / box["height"], 1),
                    round(100 * area["width"] / box["width"], 1),
                    round(100 * area["height"] / box["height"], 1),
                ),
            )
        )
    return drawn


def test_the_job_page_and_the_library_page_show_the_same_guides(page: Page, tmp_path, cover: Asset):
    sign_in(page, cover.owner.email)

    page.goto(f"/create/jobs/{cover.source_job_id}/")
    expect(page.get_by_role("heading", name=cover.title)).to_be_visible()
    on_job_page = guides(page)
    page.locator("[class~='group/guides']").screenshot(path=str(tmp_path / "job.png"))

    page.get_by_role("link", name=cover.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/library/assets/{cover.pk}/$"))
    on_library_page = guides(page)
    page.locator("[class~='group/guides']").screenshot(path=str(tmp_path / "library.png"))

    # The registry's story cover: the safe area (90, 270, 900×1150) and the bands the apps lay
    # their buttons and captions over (the top 250 px and the bottom 480 px of 1920).
    assert sorted(on_job_page) == [
        ("covered", (0.0, 0.0, 100.0, 13.0)),
        ("covered", (0.0, 75.0, 100.0, 25.0)),
        ("safe area", (8.3, 14.1, 83.3, 59.9)),
    ]
    assert on_library_page == on_job_page

    # Switched off, the guides go on both pages alike.
    page.get_by_label("Show the safe area and what the platform covers").uncheck()
    expect(page.locator("[class~='group/guides'] [aria-hidden=true][style*='left:']").first).to_be_hidden()
