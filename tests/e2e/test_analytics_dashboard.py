"""An operator opens the analytics dashboard on 90 days of demo figures: every chart is drawn
with its points, the funnel and the key metrics show, in the admin's light and dark themes,
with nothing refused by the Content-Security-Policy and nothing wrong in the console."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.factories import PASSWORD, UserFactory

# Where the screenshots go, to look at (dash-light.png, dash-dark-full.png, …).
SHOTS = Path(os.environ.get("AURASTREAM_SCREENSHOTS", tempfile.gettempdir()))
CHARTS = [
    "traffic_daily",
    "top_pages",
    "referrers",
    "utm_campaigns",
    "funnel",
    "jobs_by_status",
    "failures",
    "latency_by_provider",
    "latency_by_asset_type",
    "coach_daily",
]


@pytest.fixture
def operator(transactional_db):
    call_command("seed_analytics", "--days", "90", "--seed", "3", stdout=io.StringIO())
    return UserFactory(email="ops@example.com", is_staff=True, is_superuser=True)


def _errors(page: Page) -> list[str]:
    errors: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        # Chromium asks every site for /favicon.ico; the admin has none.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", seen)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_an_operator_reads_the_dashboard_in_both_themes(new_page, live_server, operator):
    page = new_page(live_server.url)
    page.set_viewport_size({"width": 1366, "height": 768})
    errors = _errors(page)

    page.goto("/admin/analytics/?range=90")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next="))
    page.fill("input[name=username]", operator.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()

    for name in CHARTS:
        chart = page.locator(f"svg[aria-labelledby^='chart-{name}-title']")
        expect(chart).to_be_visible()
        assert int(chart.get_attribute("data-points") or 0) > 0, name
    assert page.locator("#chart-traffic_daily-title ~ g.chart-points.chart-s1 circle").count() == 90

    funnel = page.locator("#table-funnel")
    for step in ("Visitors", "Signed up", "Verified email", "Created a brand kit", "Paid"):
        expect(funnel.get_by_role("rowheader", name=step)).to_be_visible()
    for metric in ("mau", "paid", "assets", "mrr", "free_to_paid"):
        expect(page.locator(f"#metric-{metric} .metric-value")).not_to_have_text("–")
    expect(page.locator("#metric-mrr .metric-value")).to_have_text(re.compile(r"^\$[\d,]+(\.\d\d)?$"))
    expect(page.locator("#cohort-grid tbody tr").first).to_contain_text("100 %")

    page.screenshot(path=SHOTS / "dash-light.png")
    page.screenshot(path=SHOTS / "dash-light-full.png", full_page=True)
    page.evaluate("localStorage.setItem('theme', 'dark')")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.screenshot(path=SHOTS / "dash-dark.png")
    page.screenshot(path=SHOTS / "dash-dark-full.png", full_page=True)

    # A custom range from the form, then a bad one: a message, not an error page.
    page.locator("input[name=start]").fill("2026-01-10")
    page.locator("input[name=end]").fill("2026-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("The start date is after the end date.")
    assert errors == []
