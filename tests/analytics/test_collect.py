"""Page views: what the collection middleware counts, and what it keeps."""

from __future__ import annotations

import json
import time

import pytest

from analytics import services
from analytics.models import DailyTraffic, Dimension
from aurastream import events
from tests.factories import AssetFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
)


def buffered() -> list[dict]:
    source = events.buffer()
    lines = [json.loads(raw) for raw in source.take(10_000)]
    source.done()
    return lines


@pytest.mark.django_db
def test_a_page_view_is_buffered_with_its_route_not_its_url(client):
    asset = AssetFactory()
    client.force_login(asset.owner)
    response = client.get(
        f"/library/assets/{asset.pk}/?utm_source=twitter&utm_campaign=launch",
        HTTP_USER_AGENT=IPHONE,
        HTTP_REFERER="https://www.twitter.com/some/post?id=3",
    )
    assert response.status_code == 200
    [line] = buffered()
    assert line["k"] == "pv"
    assert line["path"] == "/library/assets/<uuid:asset_id>/"
    assert str(asset.pk) not in json.dumps(line)
    assert line["ref"] == "twitter.com"
    assert line["utm_source"] == "twitter"
    assert line["utm_campaign"] == "launch"
    assert line["dev"] == "mobile"
    assert line["si"] is True
    assert line["u"] == asset.owner.pk
    assert len(line["v"]) == 16


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_DNT": "1"},
        {"HTTP_SEC_GPC": "1"},
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"HTTP_USER_AGENT": "curl/8.5.0"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_USER_AGENT": FIREFOX, "HTTP_HX_REQUEST": "true"},
        {"HTTP_USER_AGENT": FIREFOX, "HTTP_SEC_PURPOSE": "prefetch"},
    ],
    ids=["dnt", "gpc", "googlebot", "curl", "no-agent", "htmx-fragment", "prefetch"],
)
def test_requests_that_are_not_counted(client, headers):
    headers.setdefault("HTTP_USER_AGENT", FIREFOX)
    assert client.get("/", **headers).status_code == 200
    assert buffered() == []


@pytest.mark.django_db
def test_errors_posts_the_api_and_the_admin_are_not_page_views(client, staff_client):
    client.get("/no-such-page/", HTTP_USER_AGENT=FIREFOX)
    client.post("/theme/", {"theme": "dark"}, HTTP_USER_AGENT=FIREFOX)
    client.get("/api/v1/", HTTP_USER_AGENT=FIREFOX)
    client.get("/healthz", HTTP_USER_AGENT=FIREFOX)
    staff_client.get("/admin/", HTTP_USER_AGENT=FIREFOX)
    assert buffered() == []


@pytest.mark.django_db
def test_the_same_browser_is_one_visitor_a_day_and_visitors_differ(client):
    for _ in range(3):
        client.get("/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.5")
    client.get("/pricing/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="198.51.100.7")
    services.rollup()
    total = DailyTraffic.objects.get(dimension=Dimension.TOTAL)
    assert (total.views, total.visitors) == (4, 2)
    pages = dict(DailyTraffic.objects.filter(dimension=Dimension.PAGE).values_list("value", "views"))
    assert pages == {"/": 3, "/pricing/": 1}


@pytest.mark.django_db
def test_country_only_from_the_configured_proxy_header(client, settings):
    client.get("/", HTTP_USER_AGENT=FIREFOX, HTTP_CF_IPCOUNTRY="DE")
    settings.ANALYTICS_COUNTRY_HEADER = "CF-IPCountry"
    client.get("/", HTTP_USER_AGENT=FIREFOX, HTTP_CF_IPCOUNTRY="de")
    client.get("/", HTTP_USER_AGENT=FIREFOX, HTTP_CF_IPCOUNTRY="XX")
    assert [line.get("c") for line in buffered()] == [None, "DE", None]


@pytest.mark.django_db
def test_collection_off_records_nothing(client, settings):
    settings.ANALYTICS_ENABLED = False
    client.get("/", HTTP_USER_AGENT=FIREFOX)
    assert buffered() == []


@pytest.mark.django_db
def test_a_buffer_that_is_down_costs_pages_nothing(client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    events.reset()
    started = time.perf_counter()
    for _ in range(5):
        assert client.get("/", HTTP_USER_AGENT=FIREFOX).status_code == 200
    assert time.perf_counter() - started < 3
    # One warning, then the buffer is skipped for a while instead of tried on every page.
    assert sum("analytics" in record.getMessage() for record in caplog.records) == 1
