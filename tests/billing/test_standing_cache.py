"""A creator's plan is read from the cache between the writes that change it, and a change
shows on the very next page: a grant, a paid checkout, a grant running out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from billing import entitlements, standing_cache
from tests.billing.test_webhooks import _checkout_paid, customer, deliver, endpoint  # noqa: F401 - fixtures
from tests.factories import PlanGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache(monkeypatch):
    """As in production (Redis): every process would see a forget, so standings are cached."""
    monkeypatch.setattr(standing_cache, "cache_is_shared", lambda: True)


def test_a_plan_is_read_once_then_from_the_cache(user, django_assert_num_queries):
    assert entitlements.plan_for(user).code == "free"

    with django_assert_num_queries(0):
        assert entitlements.plan_for(user).code == "free"


def test_a_grant_shows_on_the_next_page(auth_client, user):
    before = auth_client.get("/billing/").content.decode()
    PlanGrantFactory(user=user, plan="studio")
    after = auth_client.get("/billing/").content.decode()

    assert "Free plan</h2>" in before
    assert "Studio plan</h2>" in after


def test_a_grant_stops_counting_the_moment_it_ends(user, monkeypatch):
    ends = timezone.now() + dt.timedelta(hours=1)
    PlanGrantFactory(user=user, plan="pro", ends_at=ends)
    assert entitlements.plan_for(user).code == "pro"

    monkeypatch.setattr(timezone, "now", lambda: ends + dt.timedelta(seconds=1))

    assert entitlements.plan_for(user).code == "free"


def test_a_grant_removed_by_staff_is_gone_at_once(user):
    grant = PlanGrantFactory(user=user, plan="pro")
    assert entitlements.plan_for(user).code == "pro"

    grant.delete()

    assert entitlements.plan_for(user).code == "free"


def test_a_paid_checkout_shows_at_once(user, customer, fake_stripe, deliver):  # noqa: F811 - fixtures
    assert entitlements.plan_for(user).code == "free"
    session, _subscription = _checkout_paid(fake_stripe, customer)

    assert deliver(fake_stripe.event("checkout.session.completed", session)).status_code == 200

    assert entitlements.plan_for(user).code == "pro"
    assert entitlements.generation_allowance(user).limit == 50
