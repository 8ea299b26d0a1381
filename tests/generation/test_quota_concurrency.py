"""Concurrent requests never reserve more than the plan allows."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from billing.models import UsageEntry
from billing.services import QuotaExceeded
from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_concurrent_requests_with_three_left_accept_exactly_three(user, monkeypatch):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a shared database file")
    # No job runs in this test: the reservations are what is measured.
    monkeypatch.setattr(services, "_enqueue", lambda job: None)
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
