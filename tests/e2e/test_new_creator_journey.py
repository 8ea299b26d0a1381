"""A new creator's first session, end to end in Chromium, as issue 18's first "done when" reads.

They sign up through the real form and follow the onboarding tour (brand kit → first asset →
library): make a brand kit (celebrated), add its logo, make an emote (celebrated), find it again
through Ctrl+K, delete the kit and bring it back with Undo, tick the rest of the getting-started
checklist from its own links (channel name, email verified through the mailed link), start an
emote pack and hear about it on the library page (a toast, the bell's count, the bell's list
leading to the job); the dashboard then shows their work and no checklist, because it is done.

Pages and the notification socket are served by daphne in a child process (tests/e2e/asgi.py);
the assets are made, and the mail sent, by a real worker process, its mail into files the test
reads (a locmem outbox would stay in the other process). Without Redis
the socket finds stored notifications by polling (NOTIFICATION_POLL_SECONDS); with REDIS_URL they
are pushed.
"""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect

from tests.e2e.browser import sign_up

pytestmark = pytest.mark.worker

JOB_TIMEOUT = 30_000  # worker start-up plus a render, with room for a busy machine

EMAIL = "nova.newcomer@example.com"
PASSWORD = "purple-comet-2026"
CHANNEL = "Nova Streams"
KIT_NAME = "Neon Arcade"


@pytest.fixture
def mailbox(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def page(new_page, start_worker, start_daphne, settings, mailbox: Path) -> Page:
    """A page on daphne, which (forked with eager tasks off) queues jobs and mail for a real
    worker; the worker sends the mail into files the test reads."""
    start_worker(slow_seconds=0.2, EMAIL_URL=f"filemail:///{mailbox}")
    settings.NOTIFICATION_POLL_SECONDS = 0.5
    # Any mail the child sends itself, where the test can read it too.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mailbox)
    return new_page(start_daphne().url)


@pytest.fixture
def logo_file(tmp_path: Path) -> Path:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 280, 280), fill=(255, 0, 255, 255))
    path = tmp_path / "nova-logo.png"
    image.save(path)
    return path


def mailed_link(mailbox: Path, pattern: str) -> str:
    """The first link matching ``pattern`` in the mail the server has sent."""
    for file in sorted(mailbox.glob("*.log")):
        for raw in file.read_text().split("-" * 79):
            if not raw.strip():
                continue
            message = email.message_from_string(raw.strip(), policy=email.policy.default)
            text = message.get_body(preferencelist=("plain",))
            if text is not None and (match := re.search(pattern, text.get_content())):
                return match.group(0)
    raise AssertionError(f"no mail holds {pattern}")


def tour_region(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name=title)


def wait_until_done(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=JOB_TIMEOUT)


def test_a_new_creator_signs_up_takes_the_tour_and_ends_with_a_dashboard_that_is_all_done(
    page: Page, mailbox: Path, logo_file: Path, tmp_path: Path
):
    # ---- Sign up through the real form ----
    sign_up(page, EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
    checklist = page.get_by_role("region", name="Getting started")
    expect(checklist).to_contain_text("0 of 5 done")

    # ---- The tour, step 1: the brand kit ----
    step = tour_region(page, "First, your brand kit")
    expect(step).to_be_visible()
    expect(step).to_contain_text("step 1 of 3")
    step.get_by_role("link", name="Make a brand kit").click()
    expect(page).to_have_url(re.compile(r"/brand/new/$"))
    page.get_by_label("Name", exact=True).fill(KIT_NAME)
    page.locator("#kit-form input[type=color][name=primary_color]").fill("#ff2e88")
    page.get_by_role("button", name="Create kit").click()
    expect(page).to_have_url(re.compile(r"/brand/\d+/$"))
    kit_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(KIT_NAME)
    celebration = page.locator("[data-celebration]")
    expect(celebration).to_contain_text("Milestone: First brand kit!")
    celebration.get_by_role("button", name="Nice, thanks").click()
    expect(page.locator("[data-celebration]")).to_have_count(0)
    # Its logo (the checklist's "Add your logo").
    page.locator("#logo-file-primary").set_input_files(logo_file)
    page.get_by_role("button", name="Upload primary logo").click()
    expect(page).to_have_url(kit_url)
    expect(page.get_by_role("img", name=f"Primary logo of {KIT_NAME}")).to_be_visible()

    # ---- Step 2: the first asset ----
    tour_region(page, "First, your brand kit").get_by_role("button", name="Next").click()
    step = tour_region(page, "Then, your first asset")
    expect(step).to_contain_text("step 2 of 3")
    step.get_by_role("link", name="Create", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/$"))
    page.get_by_label("Platform and asset type").select_option(label="Twitch · Emote (static)")
    page.get_by_label("Describe it").fill('A cozy purple cat "GG"')
    page.get_by_role("button", name="Generate", exact=True).click()
    wait_until_done(page)
    results = page.get_by_role("region", name="Your 1 asset")
    title_link = results.get_by_role("heading", level=3).get_by_role("link")
    asset_title = title_link.inner_text().strip()
    asset_url_pattern = re.compile(r"/library/assets/[0-9a-f-]{36}/$")

    # ---- Step 3: the library, where the first asset is celebrated ----
    tour_region(page, "Then, your first asset").get_by_role("button", name="Next").click()
    step = tour_region(page, "Everything lands in your library")
    expect(step).to_contain_text("step 3 of 3")
    step.get_by_role("link", name="Open the library").click()
    expect(page).to_have_url(re.compile(r"/library/$"))
    expect(page.locator("[data-celebration]")).to_contain_text("Milestone: First asset!")
    expect(page.locator("main")).to_contain_text(asset_title)
    tour_region(page, "Everything lands in your library").get_by_role("button", name="Done").click()
    expect(page.locator("[data-tour]")).to_have_count(0)

    # ---- Ctrl+K finds the asset by part of its title; Enter opens it ----
    page.keyboard.press("Control+k")
    palette = page.get_by_role("dialog", name="Search and commands")
    expect(palette).to_be_visible()
    field = palette.get_by_role("combobox")
    expect(field).to_be_focused()
    assert "GG" in asset_title  # the emote's word, which the creator remembers
    field.press_sequentially("gg")
    expect(palette.get_by_role("option").first).to_contain_text(asset_title)
    page.keyboard.press("Enter")
    expect(page).to_have_url(asset_url_pattern)
    expect(page.get_by_role("heading", level=1)).to_have_text(asset_title)

    # ---- Delete the brand kit, then Undo ----
    page.get_by_role("link", name="Brand kits", exact=True).click()
    expect(page).to_have_url(re.compile(r"/brand/$"))
    page.locator("summary", has_text=f"Delete {KIT_NAME}…").click()
    page.get_by_role("button", name="Delete kit").click()
    toast = page.locator("#toasts [data-undo-toast]")
    expect(toast).to_contain_text(f"Deleted “{KIT_NAME}”")
    expect(page.get_by_role("heading", name=KIT_NAME)).to_have_count(0)
    toast.get_by_role("button", name="Undo").click()
    expect(page.locator("#toasts")).to_contain_text(f"Restored “{KIT_NAME}”")
    expect(page.get_by_role("heading", name=KIT_NAME)).to_be_visible()

    # ---- The rest of the checklist, from its own links ----
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    checklist = page.get_by_role("region", name="Getting started")
    expect(checklist).to_contain_text("3 of 5 done")
    checklist.get_by_role("link", name="Add your channel name").click()
    expect(page).to_have_url(re.compile(r"/profile/$"))
    page.get_by_label("Display name").fill(CHANNEL)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profile")

    # The address: the link signing up mailed.
    page.goto(mailed_link(mailbox, r"http://[^\s]+/accounts/confirm-email/[^\s]+/"))
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("region", name="Getting started")).to_have_count(0)

    # ---- An emote pack finishes while the creator is on the library page ----
    bell = page.locator("details[data-bell] > summary")
    unread = int(page.locator("details[data-bell]").get_attribute("data-unread") or "0")
    page.get_by_role("link", name="Create", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/create/$"))
    page.get_by_label("Platform and asset type").select_option(label="Twitch · Emote (static)")
    page.get_by_label("Make", exact=True).select_option(label="Emote pack")
    page.get_by_label("Pack items").fill("HYPE, love heart")
    page.get_by_label("Describe it").fill("A cozy purple cat mascot")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    job_url = page.url

    page.get_by_role("link", name="Library", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/library/$"))
    toast = page.locator("#toasts [data-toast]", has_text="Your emote pack is ready")
    expect(toast).to_be_visible(timeout=JOB_TIMEOUT)
    expect(bell).to_have_attribute("aria-label", f"Notifications, {unread + 1} unread")
    expect(page.locator("[data-bell-count]")).to_have_text(str(unread + 1))
    bell.click()
    item = page.locator("#notification-panel [data-notification]", has_text="Your emote pack is ready")
    expect(item).to_be_visible()
    item.click()
    expect(page).to_have_url(job_url)
    expect(page.get_by_role("region", name="Your 2 assets")).to_be_visible()

    # ---- The dashboard: the work, and a checklist that is done and gone ----
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome back, {CHANNEL}")
    expect(page.get_by_role("region", name="Getting started")).to_have_count(0)
    recent = page.get_by_role("region", name="Recent assets")
    expect(recent.get_by_role("link", name=asset_title)).to_be_visible()
    expect(recent.get_by_role("listitem")).to_have_count(3)
    expect(page.locator("main")).to_contain_text("3 assets in your library.")
    expect(page.get_by_role("region", name=KIT_NAME)).to_contain_text("Edit brand kit")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
