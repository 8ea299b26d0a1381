"""Page views made by real requests, rolled up by a real worker's beat schedule."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from analytics.models import DailyEvent, DailyTraffic, Dimension, Journey
from aurastream import events
from aurastream.celery import app as celery_app
from tests.factories import UserFactory
from tests.worker import Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def wait_for(check, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the roll-up")


def test_beat_rolls_up_what_requests_recorded(client, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()
    visitors = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    for address in visitors:
        client.get("/?utm_campaign=launch", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address)
    client.get(
        "/pricing/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=visitors[0], HTTP_REFERER="https://twitch.tv/x"
    )
    client.get("/pricing/", HTTP_USER_AGENT="Googlebot/2.1", REMOTE_ADDR="66.249.66.1")
    client.get("/pricing/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.9", HTTP_DNT="1")
    creator = UserFactory()
    with transaction.atomic():
        events.record(events.SIGNUP, user=creator, method="email")

    worker = Worker(beat=True, ANALYTICS_ROLLUP_SECONDS="1").start()
    try:
        total = wait_for(lambda: DailyTraffic.objects.filter(dimension=Dimension.TOTAL).first())
    finally:
        worker.stop()
        celery_app.control.purge()
    assert (total.views, total.visitors) == (4, 3)
    by = {(row.dimension, row.value): row.views for row in DailyTraffic.objects.all()}
    assert by[(Dimension.PAGE, "/")] == 3
    assert by[(Dimension.PAGE, "/pricing/")] == 1
    assert by[(Dimension.UTM_CAMPAIGN, "launch")] == 3
    assert by[(Dimension.REFERRER, "twitch.tv")] == 1
    assert DailyEvent.objects.get(name=events.SIGNUP, detail="").events == 1
    assert Journey.objects.get(user=creator).signed_up_at is not None
