"""A creator starts an emote pack, goes to the library, and is told when it is ready: a toast,
the bell's count, and the bell's list leads back to the job.

Pages and the notification socket are served by daphne in a child process (tests/e2e/asgi.py);
the pack is made by a real worker process. Without Redis the worker and daphne share no channel
layer, so the socket finds the stored notification by itself (NOTIFICATION_POLL_SECONDS); with
REDIS_URL it is pushed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from aurastream.celery import app as celery_app
from tests.e2e.asgi import DaphneLiveServer
from tests.factories import PASSWORD, PlanGrantFactory, UserFactory
from tests.worker import Worker

pytestmark = pytest.mark.worker

JOB_TIMEOUT = 30_000


@pytest.fixture
def creator(transactional_db):
    user = UserFactory(email="nova.streams@example.com", display_name="Nova")
    PlanGrantFactory(user=user, plan="pro")
    return user


@pytest.fixture
def server(transactional_db, settings) -> Iterator[DaphneLiveServer]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.NOTIFICATION_POLL_SECONDS = 0.5
    server = DaphneLiveServer().start()
    yield server
    server.stop()


@pytest.fixture
def worker(transactional_db, monkeypatch) -> Iterator[Worker]:
    """A real worker on the run's broker; daphne (forked with eager tasks off) queues, not runs."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()
    worker = Worker(slow_seconds=0.5).start()
    yield worker
    worker.stop()
    celery_app.control.purge()


@pytest.fixture
def page(browser: Browser, worker, server: DaphneLiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not violations, violations


def test_a_pack_finishing_while_on_another_page_shows_a_toast_and_counts_on_the_bell(page: Page, creator):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", creator.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has([name=login]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
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
