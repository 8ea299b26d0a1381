"""What browser tests do on a page: sign up, sign in, watch for Content-Security-Policy violations,
save a download."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Through the sign-in form, as a creator does; they land on the dashboard."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form:has([name=login]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def sign_up(page: Page, email: str, password: str) -> None:
    """From the landing page's "Get started" through the sign-up form, as a newcomer does."""
    page.goto("/")
    page.get_by_role("link", name=re.compile("get started", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.locator("form:has([name=password2]) button[type=submit]").first.click()


def watch_csp(page: Page) -> list[str]:
    """Every Content-Security-Policy violation Chromium reports on ``page`` (its console)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def download(page: Page, link: Locator, folder: Path) -> Path:
    """Click ``link`` and save the file it downloads into ``folder`` under its suggested name."""
    with page.expect_download() as info:
        link.click()
    file = folder / info.value.suggested_filename
    info.value.save_as(file)
    return file
