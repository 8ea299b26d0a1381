"""Concurrent requests never reserve more than the plan allows."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from billing.models import UsageEntry
from billing.services import QuotaExceeded
from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest, dispatch, jobs

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_concurrent_requests_with_three_left_accept_exactly_three(user, monkeypatch):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a shared database file")
    # No job runs in this test: the reservations are what is measured.
    monkeypatch.setattr(dispatch, "enqueue", lambda job: None)
    start = threading.Barrier(10)

    def attempt(index: int) -> str:
        try:
            start.wait()
            services.job_create(
                user=user, request=JobRequest(spec_key="twitch.emote", prompt=f"idea {index}")
            )
            return "accepted"
        except QuotaExceeded:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(10)))

    assert outcomes.count("accepted") == 3
    assert outcomes.count("refused") == 7
    assert GenerationJob.objects.filter(user=user).count() == 3
    assert sum(e.quantity for e in UsageEntry.objects.filter(user=user, state="reserved")) == 3


def test_ten_identical_requests_with_one_key_get_one_job_whatever_the_quota(user, monkeypatch):
    """The job costs everything the plan has left: every repeat of the request still gets that
    job back (201 once, 200 nine times), never "you have used all your generations"."""
    from django.test import Client

    from aurastream.api.tokens import BoundRefreshToken

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a shared database file")
    monkeypatch.setattr(dispatch, "enqueue", lambda job: None)
    for index in range(2):  # two of the Free plan's three generations used
        services.job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt=f"earlier {index}"))
    token = str(BoundRefreshToken.for_user(user).access_token)
    # The first request holds its reservation a moment before committing, so the other nine
    # have all looked for the key (and found nothing) by the time it commits.
    reserve = jobs.usage_reserve

    def slow_reserve(**kwargs: object) -> object:
        entry = reserve(**kwargs)
        time.sleep(0.3)
        return entry

    monkeypatch.setattr(jobs, "usage_reserve", slow_reserve)
    body = {"platform": "twitch", "asset_type": "emote", "prompt": "a cozy purple cat"}
    start = threading.Barrier(10)

    def attempt(_: int) -> tuple[int, str]:
        try:
            start.wait()
            response = Client().post(
                "/api/v1/generations/",
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "one-cat-please"},
            )
            return response.status_code, str(response.json().get("id", ""))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(attempt, range(10)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 9 + [201]
    assert len({job_id for _, job_id in answers}) == 1
    assert GenerationJob.objects.filter(user=user).count() == 3
    assert sum(e.quantity for e in UsageEntry.objects.filter(user=user, state="reserved")) == 3
