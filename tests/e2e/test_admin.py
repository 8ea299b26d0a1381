"""Operators in the admin at a laptop's 1366×768: previews that load, lists without a sideways
scroll, the creators' plans, and the product's sections before Stripe's."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import PASSWORD, AssetFactory, GenerationJobFactory, PlanGrantFactory, UserFactory

LAPTOP = {"width": 1366, "height": 768}
# Screenshots of each page, to look at (admin-*.png).
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def operator(transactional_db) -> User:
    return UserFactory(email="ops@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def library(transactional_db) -> list[User]:
    """Creators on each plan, with assets of several shapes and the jobs that made them."""
    creators = [
        UserFactory(email="nova.free@example.com"),
        UserFactory(email="kai.pro@example.com"),
        UserFactory(email="rio.studio@example.com"),
    ]
    PlanGrantFactory(user=creators[1], plan="pro", reason="Partner streamer")
    PlanGrantFactory(user=creators[2], plan="studio")
    shapes = [(112, 56, 28), (1280, 320), (512, 256)]
    for n in range(10):
        creator = creators[n % 3]
        job = GenerationJobFactory(user=creator, prompt=f"a neon cat wearing a crown, take {n}")
        AssetFactory(
            owner=creator,
            title=f"Neon cat emote with a very long descriptive title number {n}",
            sizes=shapes[n % 3],
            source_job_id=job.pk,
            recipe={"prompt": job.prompt, "seed": n, "brand": {"name": "Neon Nights"}},
        )
    return creators


def sign_in_to_the_admin(page: Page, email: str) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto("/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def assert_previews_load(page: Page, count: int) -> None:
    images = page.locator("#result_list img.ops-thumb")
    expect(images).to_have_count(count)
    for image in images.all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0


def assert_fits(page: Page) -> None:
    """No sideways scroll: not the page's, and not the results' own scrolling box's."""
    widths = page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            return {
                table: table.scrollWidth,
                box: table.parentElement.clientWidth,
                right: table.getBoundingClientRect().right,
                page: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
            };
        }"""
    )
    assert widths["table"] <= widths["box"], widths
    assert widths["right"] <= widths["viewport"], widths
    assert widths["page"] <= widths["viewport"], widths


def test_the_asset_list_fits_a_laptop_and_its_previews_load(page: Page, operator, library):
    sign_in_to_the_admin(page, operator.email)

    page.goto("/admin/library/asset/")

    assert_previews_load(page, 10)
    assert_fits(page)
    page.screenshot(path=SHOTS / "admin-assets.png", full_page=True)
    page.locator("#result_list a", has_text="number 1").first.click()
    preview = page.locator("img.ops-preview")
    expect(preview).to_have_js_property("complete", True)
    assert preview.evaluate("img => img.naturalWidth") > 0
    expect(page.locator(".ops-recipe dt", has_text="Prompt")).to_be_visible()
    page.screenshot(path=SHOTS / "admin-asset-page.png", full_page=True)


def test_the_job_list_fits_a_laptop_and_shows_each_jobs_first_asset(page: Page, operator, library):
    sign_in_to_the_admin(page, operator.email)

    page.goto("/admin/generation/generationjob/")

    assert_previews_load(page, 10)
    assert_fits(page)
    page.screenshot(path=SHOTS / "admin-jobs.png", full_page=True)


def test_the_user_list_shows_plans_and_the_index_puts_products_before_stripe(page: Page, operator, library):
    sign_in_to_the_admin(page, operator.email)
    page.screenshot(path=SHOTS / "admin-index.png", full_page=True)
    main = page.locator("#content-main")
    headings = [heading.upper() for heading in main.locator("caption .section, summary").all_inner_texts()]
    assert headings[0] == "ACCOUNTS"  # the admin's headings are in capitals
    assert headings[-1].startswith("STRIPE")
    assert headings.index("BILLING") < len(headings) - 1
    stripe = main.locator("details.ops-section")
    expect(stripe).not_to_have_attribute("open", "")
    expect(stripe.get_by_role("link", name="Subscriptions")).to_be_hidden()

    page.goto("/admin/accounts/user/")

    plans = {
        row.locator("th.field-email").inner_text(): row.locator("td.field-plan").inner_text()
        for row in page.locator("#result_list tbody tr").all()
    }
    assert plans["nova.free@example.com"] == "Free"
    assert plans["kai.pro@example.com"] == "Pro grant"
    assert plans["rio.studio@example.com"] == "Studio grant"
    assert_fits(page)
    page.screenshot(path=SHOTS / "admin-users.png", full_page=True)
    page.get_by_role("link", name="Pro", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
