"""The keyboard-first shell in Chromium, driven from the keyboard only.

A creator finds an asset through Ctrl+K and opens it with Enter; single-key shortcuts go places
but never fire while typing in a field; ? shows the shortcut sheet; a deleted brand kit comes
back with Undo; a new creator's tour shows on the first visit, is skipped with Esc and resumed
from the help menu; the first asset's milestone is celebrated once.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from brandkits import services as brandkits
from brandkits.models import BrandKit
from generation.services import JobRequest, job_create
from library.models import Asset
from tests.e2e.browser import sign_in
from tests.factories import UserFactory


@pytest.fixture
def creator(creator):
    """A creator past the tour, with one emote made by the real engine (Celery eager)."""
    creator.tour_state = "done"
    creator.save(update_fields=["tour_state"])
    job_create(user=creator, request=JobRequest(spec_key="twitch.emote", prompt='a cozy purple cat "GG"'))
    Asset.objects.filter(owner=creator).update(title="Cozy purple cat")
    return creator


def test_ctrl_k_finds_an_asset_by_title_and_enter_opens_it(page: Page, creator):
    asset = Asset.objects.get(owner=creator)
    sign_in(page, creator.email)

    page.keyboard.press("Control+k")
    palette = page.get_by_role("dialog", name="Search and commands")
    expect(palette).to_be_visible()
    field = palette.get_by_role("combobox")
    expect(field).to_be_focused()
    field.press_sequentially("purple ca")
    expect(palette.get_by_role("option").first).to_contain_text("Cozy purple cat")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/library/assets/{asset.pk}/$"))

    # Esc closes it and gives focus back; the header's button opens it too.
    page.get_by_role("button", name="Search").first.click()
    expect(palette).to_be_visible()
    page.keyboard.press("Escape")
    expect(palette).to_be_hidden()


def test_shortcuts_never_fire_while_typing_and_question_mark_shows_the_sheet(page: Page, creator):
    sign_in(page, creator.email)
    page.goto("/library/")
    search = page.get_by_role("searchbox").or_(page.locator("input[name=search]")).first
    search.click()
    page.keyboard.type("gb?l/n")
    page.keyboard.press("Control+k")
    expect(search).to_have_value("gb?l/n")
    expect(page).to_have_url(re.compile(r"/library/$"))
    expect(page.get_by_role("dialog")).to_have_count(0)

    search.blur()
    page.keyboard.press("?")
    sheet = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Quick Create")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()

    page.keyboard.press("b")
    expect(page).to_have_url(re.compile(r"/brand/$"))
    page.keyboard.press("g")
    page.keyboard.press("l")
    expect(page).to_have_url(re.compile(r"/library/$"))


def test_a_deleted_brand_kit_comes_back_with_undo(page: Page, creator):
    brandkits.brand_kit_create(owner=creator, name="Neon Arcade")
    sign_in(page, creator.email)
    page.goto("/brand/")

    page.locator("summary", has_text="Delete Neon Arcade…").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Delete kit").focus()
    page.keyboard.press("Enter")
    toast = page.locator("#toasts [data-undo-toast]")
    expect(toast).to_contain_text("Deleted “Neon Arcade”")
    expect(page.get_by_role("heading", name="Neon Arcade")).to_have_count(0)
    assert not BrandKit.objects.filter(owner=creator).exists()

    toast.get_by_role("button", name="Undo").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#toasts")).to_contain_text("Restored “Neon Arcade”")
    expect(page.get_by_role("heading", name="Neon Arcade")).to_be_visible()
    assert BrandKit.objects.get(owner=creator).is_default


def test_the_tour_shows_on_the_first_visit_and_is_skipped_and_resumed(page: Page, transactional_db):
    newcomer = UserFactory(email="new.creator@example.com")
    sign_in(page, newcomer.email)

    tour = page.get_by_role("region", name="First, your brand kit")
    expect(tour).to_be_visible()
    expect(page.locator("#tour-title")).to_be_focused()
    page.keyboard.press("Tab")  # the step's link
    page.keyboard.press("Tab")  # Skip tour
    page.keyboard.press("Tab")  # Next
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Then, your first asset")).to_be_visible()
    expect(page.locator("#tour-title")).to_be_focused()

    page.keyboard.press("Escape")  # focus is inside the tour: Esc closes it
    expect(page.locator("[data-tour]")).to_have_count(0)
    expect(page.locator("#main")).to_be_focused()

    page.reload()
    expect(page.locator("[data-tour]")).to_have_count(0)
    page.locator("[data-help-menu] summary").focus()
    page.keyboard.press("Enter")  # the help menu
    page.get_by_role("button", name="Resume the tour").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Then, your first asset")).to_be_visible()
    expect(page.locator("#tour-title")).to_be_focused()


def test_the_first_asset_is_celebrated_once(page: Page, transactional_db):
    user = UserFactory(email="first.asset@example.com", tour_state="done")
    job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG"'))
    sign_in(page, user.email)

    celebration = page.locator("[data-celebration]")
    expect(celebration).to_contain_text("Milestone: First asset!")
    expect(page.locator("#shell-announcer")).to_contain_text("First asset")

    page.reload()
    expect(page.locator("[data-celebration]")).to_have_count(0)
    page.goto("/profile/")
    expect(page.locator("#milestones")).to_contain_text("First asset")
