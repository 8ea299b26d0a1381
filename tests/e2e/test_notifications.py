"""A creator starts an emote pack, goes to the library, and is told when it is ready: a toast,
the bell's count, and the bell's list leads back to the job.

Pages and the notification socket are served by daphne in a child process (tests/e2e/asgi.py);
the pack is made by a real worker process. Without Redis the worker and daphne share no channel
layer, so the socket finds the stored notification by itself (NOTIFICATION_POLL_SECONDS); with
REDIS_URL it is pushed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in

pytestmark = pytest.mark.worker

JOB_TIMEOUT = 30_000


@pytest.fixture
def page(new_page, start_worker, start_daphne, settings) -> Page:
    """A page on daphne, which (forked with eager tasks off) queues the pack for a real worker."""
    start_worker(slow_seconds=0.5)
    settings.NOTIFICATION_POLL_SECONDS = 0.5
    return new_page(start_daphne().url)


def test_a_pack_finishing_while_on_another_page_shows_a_toast_and_counts_on_the_bell(page: Page, pro_creator):
    sign_in(page, pro_creator.email)
    bell = page.locator("details[data-bell] > summary")
    expect(bell).to_have_attribute("aria-label", "Notifications")

    page.goto("/create/")
    page.get_by_label("Platform and asset type").select_option(label="Twitch · Emote (static)")
    page.get_by_label("Make", exact=True).select_option(label="Emote pack")
    page.get_by_label("Pack items").fill("GG, HYPE, love heart")
    page.get_by_label("Describe it").fill("A cozy purple cat mascot")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    job_url = page.url

    # Off to the library while the worker makes it.
    page.goto("/library/")
    toast = page.locator("#toasts [data-toast]", has_text="Your emote pack is ready")
    expect(toast).to_be_visible(timeout=JOB_TIMEOUT)
    expect(toast.get_by_role("link", name="Open")).to_have_attribute("href", re.compile(r"^/create/jobs/"))
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(page.locator("[data-bell-count]")).to_have_text("1")

    bell.click()
    item = page.locator("#notification-panel [data-notification]", has_text="Your emote pack is ready")
    expect(item).to_be_visible()
    item.click()
    expect(page).to_have_url(job_url)
    expect(page.locator("details[data-bell] > summary")).to_have_attribute("aria-label", "Notifications")
