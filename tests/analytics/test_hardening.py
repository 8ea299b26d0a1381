"""What a hostile or odd request can't do to the analytics: break a page, put a formula in an
operator's spreadsheet, or make two operators read different days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from analytics import collect, services
from aurastream import events
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def test_a_page_never_fails_for_its_count(client, monkeypatch, caplog):
    def broken(request):
        raise RuntimeError("the collection broke")

    monkeypatch.setattr(collect, "page_view", broken)
    assert client.get("/", HTTP_USER_AGENT=FIREFOX).status_code == 200
    assert "page view not counted" in caplog.text


def test_a_csv_cell_never_starts_a_formula(staff_client):
    now = timezone.now()
    services.lines_store(
        [
            events.new_line(events.PAGE_VIEW, at=now, v="v1", path="/", dev="desktop", utm_campaign=campaign)
            for campaign in ('=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-2+3", "-2")
        ]
    )
    text = staff_client.get("/admin/analytics/export/utm_campaigns.csv?range=7").content.decode()
    cells = {line.split(",")[0].strip('"') for line in text.splitlines()[1:]}
    assert '\'=HYPERLINK(""http://x"")' in cells
    assert {"'+1+1", "'@SUM(A1)", "'-2+3", "-2"} <= cells  # a plain number stays one
    page = staff_client.get("/admin/analytics/?range=7").content.decode()
    assert "=HYPERLINK(" in page  # the page shows what was sent, escaped as text


def test_every_operator_reads_the_same_utc_days(client, settings):
    """A staff member whose profile is in Tokyo sees the figures of the same (UTC) days."""
    utc_late = timezone.now().replace(hour=23, minute=30)
    if utc_late > timezone.now():
        utc_late -= dt.timedelta(days=1)
    services.lines_store([events.new_line(events.PAGE_VIEW, at=utc_late, v="v1", path="/", dev="desktop")])
    pages = []
    for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        staff = UserFactory(is_staff=True, timezone=zone)
        client.force_login(staff)
        response = client.get("/admin/analytics/?range=7")
        pages.append((response.context["period"].start, response.context["board"].traffic.views))
    assert len(set(pages)) == 1
    assert pages[0][1] == 1


@pytest.mark.parametrize("start", ["0001-01-01", "1999-12-31"])
def test_a_range_from_before_the_product_is_refused_with_a_message(staff_client, start):
    response = staff_client.get(f"/admin/analytics/?range=custom&start={start}&end={start}")
    assert response.status_code == 200
    assert "can&#x27;t start before" in response.content.decode()
    for name in ("traffic_daily", "funnel", "metrics"):
        export = staff_client.get(f"/admin/analytics/export/{name}.csv?start={start}&end={start}")
        assert export.status_code == 200


def test_the_dashboard_is_never_cached(staff_client):
    response = staff_client.get("/admin/analytics/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
