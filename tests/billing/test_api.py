"""GET /api/v1/billing/: the creator's plan and usage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from billing.models import UsageEntry
from tests.factories import PlanGrantFactory, UsageEntryFactory

pytestmark = pytest.mark.django_db


def use_generations(user, quantity: int) -> None:
    period_start = dt.datetime.now(dt.UTC).date().replace(day=1)
    UsageEntryFactory(user=user, quantity=quantity, period_start=period_start)


def test_anonymous_is_refused(api_client):
    response = api_client.get("/api/v1/billing/")

    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_free_plan_numbers(api_client, user):
    use_generations(user, 2)
    UsageEntryFactory(user=user, kind=UsageEntry.Kind.COACH_SESSION, period_start=dt.date(2020, 1, 1))
    api_client.force_login(user)

    body = api_client.get("/api/v1/billing/").json()

    today = dt.datetime.now(dt.UTC).date()
    assert body["plan"] == {"code": "free", "name": "Free", "monthly_price": "0.00"}
    assert body["comped"] is False
    assert body["comped_until"] is None
    assert body["period"]["start"] == today.replace(day=1).isoformat()
    assert body["period"]["end"] > today.isoformat()
    assert body["generations"] == {"used": 2, "limit": 3, "remaining": 1}
    assert body["coach_sessions"] == {"used": 1, "limit": 1, "grounding": False}
    assert body["brand_kit_limit"] == 1
    assert body["retention_days"] == 30
    assert body["priority_queue"] is False


def test_pro_comp_numbers(api_client, user):
    ends = timezone.now() + dt.timedelta(days=10)
    PlanGrantFactory(user=user, plan="pro", ends_at=ends)
    use_generations(user, 5)
    api_client.force_login(user)

    body = api_client.get("/api/v1/billing/").json()

    assert body["plan"] == {"code": "pro", "name": "Pro", "monthly_price": "9.99"}
    assert body["comped"] is True
    assert dt.datetime.fromisoformat(body["comped_until"]) == ends
    assert body["generations"] == {"used": 5, "limit": 50, "remaining": 45}
    assert body["coach_sessions"] == {"used": 0, "limit": None, "grounding": False}
    assert body["brand_kit_limit"] == 5
    assert body["retention_days"] is None
    assert body["priority_queue"] is True


def test_studio_numbers_are_unlimited(api_client, user):
    PlanGrantFactory(user=user, plan="studio")
    use_generations(user, 7)
    api_client.force_login(user)

    body = api_client.get("/api/v1/billing/").json()

    assert body["plan"]["code"] == "studio"
    assert body["plan"]["monthly_price"] == "29.99"
    assert body["comped"] is True
    assert body["comped_until"] is None
    assert body["generations"] == {"used": 7, "limit": None, "remaining": None}
    assert body["coach_sessions"]["grounding"] is True
    assert body["brand_kit_limit"] is None


def test_an_ended_comp_falls_back_to_free(api_client, user):
    now = timezone.now()
    PlanGrantFactory(
        user=user, plan="pro", starts_at=now - dt.timedelta(days=30), ends_at=now - dt.timedelta(days=1)
    )
    api_client.force_login(user)

    body = api_client.get("/api/v1/billing/").json()

    assert body["plan"]["code"] == "free"
    assert body["comped"] is False
