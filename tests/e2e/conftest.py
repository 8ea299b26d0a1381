"""A real Chromium (the system's, driven by Playwright) against a live stack: pytest-django's
``live_server`` (WSGI, in this process), or daphne with the websockets (``start_daphne``), and a
real Celery worker (``start_worker``) where jobs must run as in production.

``creator`` is a Free creator and ``pro_creator`` one on Pro, both with a verified address and
the kit's password; a module whose creator needs more (a brand kit, finished jobs) overrides
``creator`` with a fixture that builds on one of them. Tests sign in through the form with
``tests.e2e.browser.sign_in``.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page

from accounts.models import User
from aurastream.celery import app as celery_app
from tests.e2e.asgi import DaphneLiveServer
from tests.e2e.browser import watch_csp
from tests.factories import UserFactory
from tests.worker import Worker

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# there are ordinary blocking calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


# Package scope: Playwright's event loop must be gone before later async tests run.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("AURASTREAM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_live_requests(timeout_s: float = 15.0) -> None:
    """Waits for the live server's request threads (one per browser connection) to finish
    what they are serving, so no request is still in a transaction when the test's database
    is emptied (a request holding one table while the flush holds the next is a deadlock)."""
    deadline = time.monotonic() + timeout_s
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))


# transactional_db: set up first, so it is torn down last, once the pages are closed.
@pytest.fixture
def new_page(browser: Browser, transactional_db) -> Iterator[Callable[..., Page]]:
    """Opens a page on the server at ``base_url``, each in a context of its own, with
    ``init_script`` (if given) installed before the page's own scripts. Every page runs under the
    enforced policy: the test fails on anything Chromium refused. At the end, the pages are
    closed and the requests they had started are let finish."""
    contexts = []
    violations: list[list[str]] = []

    def open_page(base_url: str, *, init_script: str | None = None) -> Page:
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        page = context.new_page()
        violations.append(watch_csp(page))
        return page

    yield open_page
    for context in contexts:
        context.close()
    wait_for_live_requests()
    refused = [violation for page_violations in violations for violation in page_violations]
    assert not refused, refused


@pytest.fixture
def page(new_page, live_server, transactional_db) -> Page:
    """A page on pytest-django's live server."""
    return new_page(live_server.url)


@pytest.fixture
def start_daphne(transactional_db, settings) -> Iterator[Callable[[], DaphneLiveServer]]:
    """Starts daphne (pages and websockets) in a child process, forked with the test's settings
    of that moment; every server started is stopped at the end."""
    servers: list[DaphneLiveServer] = []

    def start() -> DaphneLiveServer:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
        servers.append(DaphneLiveServer().start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def start_worker(transactional_db, monkeypatch) -> Iterator[Callable[..., Worker]]:
    """Starts a real worker on the run's broker (its local image provider slowed by
    ``slow_seconds`` an image, its environment added to by keywords). The test's own process
    (the live server, daphne forked after this) queues tasks instead of running them."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()
    workers: list[Worker] = []

    def start(slow_seconds: float = 0.0, **env: str) -> Worker:
        workers.append(Worker(slow_seconds=slow_seconds, **env).start())
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()
    celery_app.control.purge()


@pytest.fixture
def worker(start_worker) -> Worker:
    """A real worker at full speed (a module that needs it slower overrides this)."""
    return start_worker()


@pytest.fixture
def creator(transactional_db) -> User:
    """A Free creator."""
    return UserFactory(email="nova.streams@example.com", display_name="Nova")


@pytest.fixture
def pro_creator(transactional_db) -> User:
    """A creator on Pro: unlimited coach sessions, refines, packs and generations enough."""
    return UserFactory(email="nova.pro@example.com", display_name="Nova", plan="pro")
