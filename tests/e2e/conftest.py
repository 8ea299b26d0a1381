"""A real Chromium (the system's, driven by Playwright) against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

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
def browser() -> Iterator[object]:
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


def watch_csp(page: object) -> list[str]:
    """Every Content-Security-Policy violation Chromium reports on ``page`` (its console)."""
    violations: list[str] = []

    def on_console(message: object) -> None:
        text = message.text  # type: ignore[attr-defined]  # a Playwright ConsoleMessage
        if "Content Security Policy" in text:
            violations.append(text)

    page.on("console", on_console)  # type: ignore[attr-defined]  # a Playwright Page
    return violations


@pytest.fixture
def page(browser, live_server, transactional_db) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    # Every page runs under the enforced policy: nothing it needs may be refused.
    assert not violations, violations
