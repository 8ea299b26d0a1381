"""The staff analytics dashboard: who may see it, what it shows, its CSV exports, and how many
queries it takes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import services
from analytics.dashboard import REPORT_OF, table_get
from analytics.reports.period import Period
from aurastream import events
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URLS = ["/admin/analytics/", *(f"/admin/analytics/export/{name}.csv" for name in REPORT_OF)]


def _lines(days: int, creators: int) -> list[events.Line]:
    now = timezone.now()
    users = UserFactory.create_batch(creators)
    lines = []
    for offset in range(days):
        at = now - dt.timedelta(days=offset)
        lines += [
            events.new_line(events.PAGE_VIEW, at=at, v=f"v{n}", path="/", dev="desktop") for n in range(3)
        ]
    for user in users:
        lines.append(
            events.new_line(events.PRODUCT_EVENT, at=now, n=events.SIGNUP, u=user.pk, p={"method": "email"})
        )
    return lines


class TableRows(HTMLParser):
    """The rows of one <table id=...> as text, header cells included."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def html_table(html: str, table_id: str) -> list[list[str]]:
    parser = TableRows(table_id)
    parser.feed(html)
    return parser.rows


def test_staff_see_the_dashboard_in_the_admins_look(staff_client):
    services.lines_store(_lines(3, 2))
    response = staff_client.get("/admin/analytics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "admin/css/base.css" in page
    assert "analytics/dashboard.css" in page
    for heading in (
        "Key metrics and six-month targets",
        "Traffic",
        "Activation funnel",
        "Weekly signup cohorts",
    ):
        assert heading in page
    for heading in ("Generation health", "Coach usage", "Monthly active users", "Free → Paid"):
        assert heading in page
    assert page.count('role="img"') >= 9
    assert 'aria-current="true">30 days</a>' in page  # the default range


@pytest.mark.parametrize("url", URLS)
def test_a_creator_gets_404_on_every_analytics_url(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_signed_out_visitors_are_sent_to_the_admin_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/analytics/")


def test_a_staff_account_made_inactive_is_refused(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    staff.is_active = False
    staff.save()
    # Signed out by the authentication backend (inactive accounts aren't users any more).
    response = client.get("/admin/analytics/")
    assert response.status_code in (302, 404)
    assert response.status_code == 404 or response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("range=custom&start=2026-02-30&end=2026-03-01", "Enter a valid date"),
        ("range=custom&start=2026-03-10&end=2026-03-01", "The start date is after the end date."),
        ("range=custom&start=2026-03-01", "A custom range needs both a start and an end date."),
        ("range=custom&start=2020-01-01&end=2022-01-01", "A range covers at most 366 days."),
        ("range=12", "Select a valid choice"),
    ],
)
def test_a_bad_range_says_what_is_wrong_and_shows_the_last_30_days(staff_client, query, message):
    response = staff_client.get(f"/admin/analytics/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Showing the last 30 days instead." in page
    assert response.context["period"].days == 30


def test_a_preset_and_a_custom_range(staff_client):
    assert staff_client.get("/admin/analytics/?range=7").context["period"].days == 7
    end = timezone.localdate()
    start = end - dt.timedelta(days=9)
    response = staff_client.get(f"/admin/analytics/?range=custom&start={start}&end={end}")
    assert response.context["period"] == Period(start, end)
    assert (
        f"range=custom&amp;start={start}&amp;end={end}" in response.content.decode()
    )  # the CSV links keep it


@pytest.mark.parametrize("name", ["funnel", "traffic_daily", "metrics", "top_pages"])
def test_a_csv_export_holds_the_same_figures_as_the_table_on_the_page(staff_client, name):
    services.lines_store(_lines(5, 3))
    page = staff_client.get("/admin/analytics/?range=7").content.decode()
    response = staff_client.get(f"/admin/analytics/export/{name}.csv?range=7")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    on_page = html_table(page, f"table-{name}")
    assert rows[0] == on_page[0]
    assert [[cell or "–" for cell in row] for row in rows[1:]] == on_page[1:]
    assert rows[1:] == table_get(name, Period.last(7)).text_rows()


def test_an_unknown_export_is_404(staff_client):
    assert staff_client.get("/admin/analytics/export/passwords.csv").status_code == 404


def test_the_dashboards_queries_dont_grow_with_days_or_creators(staff_client):
    services.lines_store(_lines(2, 1))
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get("/admin/analytics/?range=7").status_code == 200
    services.lines_store(_lines(25, 12))
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get("/admin/analytics/?range=90").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 40
