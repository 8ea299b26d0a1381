"""The pricing and billing pages, and checkout while Stripe is not configured."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from billing.models import PlanGrant, UsageEntry
from tests.factories import PlanGrantFactory, UsageEntryFactory

pytestmark = pytest.mark.django_db

FORM = {"spec_key": "youtube.thumbnail", "prompt": '"RANKED GRIND"', "variants": "1", "pack": ""}


def test_pricing_shows_every_plan_to_visitors(client):
    response = client.get("/pricing/")

    assert response.status_code == 200
    page = response.content.decode()
    for name, price in (("Free", "$0"), ("Pro", "$9.99"), ("Studio", "$29.99")):
        assert f'id="plan-{name.lower()}"' in page
        assert price in page
    assert "Unlimited generations" in page
    assert "Start with Pro" in page
    assert "Your plan" not in page


def test_pricing_marks_the_current_plan_and_offers_the_higher_ones(auth_client):
    page = auth_client.get("/pricing/").content.decode()

    assert "(your plan)" in page
    assert 'action="/billing/checkout/"' in page
    assert 'name="plan" value="pro"' in page
    assert "Choose Pro" in page
    assert "Choose Studio" in page


def test_the_landing_page_shares_the_plan_cards(client):
    page = client.get("/").content.decode()

    assert 'id="pricing"' in page
    assert 'id="plan-studio"' in page
    assert "Start with Studio" in page


def test_the_billing_page_needs_a_sign_in(client):
    response = client.get("/billing/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_billing_page_shows_generations_used(auth_client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post("/create/", FORM)

    response = auth_client.get("/billing/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Free plan" in page
    assert "1 of 3 used" in page
    assert 'aria-valuenow="1"' in page
    assert "0 of 1 trial session used" in page
    assert "30 days" in page
    assert "Choose Pro" in page
    assert "Choose Studio" in page
    assert 'href="/billing/" class="nav-link" aria-current="page"' in page


def test_a_pro_comp_shows_pro_and_its_end_date(auth_client, user):
    ends = timezone.now() + dt.timedelta(days=40)
    PlanGrantFactory(user=user, plan="pro", ends_at=ends)
    today = timezone.now().date()
    UsageEntryFactory(user=user, quantity=4, period_start=today.replace(day=1))

    page = auth_client.get("/billing/").content.decode()

    assert "Pro plan" in page
    assert f'Comped until <time datetime="{ends.isoformat()}">{ends:%-d %B %Y}</time>' in page
    assert "4 of 50 used" in page
    assert "Choose Studio" in page
    assert "Choose Pro" not in page


def test_a_studio_comp_without_an_end_date_is_unlimited(auth_client, user):
    PlanGrantFactory(user=user, plan="studio")

    page = auth_client.get("/billing/").content.decode()

    assert "Studio plan" in page
    assert "Comped, no end date." in page
    assert "Unlimited on Studio" in page
    assert "with web search" in page
    assert "You're on the top plan" in page
    assert "Choose" not in page


def test_checkout_without_stripe_says_billing_is_not_configured(auth_client, user):
    response = auth_client.post("/billing/checkout/", {"plan": "pro"})

    assert response.status_code == 503
    page = response.content.decode()
    assert "Billing is not configured on this server, so plans can&#x27;t be bought here yet." in page
    assert "An admin can grant a plan in the admin." in page
    assert not PlanGrant.objects.exists()
    assert not UsageEntry.objects.exists()


@pytest.mark.parametrize("plan", ["free", "platinum", ""])
def test_checkout_refuses_an_unknown_plan(auth_client, plan):
    response = auth_client.post("/billing/checkout/", {"plan": plan})

    assert response.status_code == 400
    assert "That plan does not exist. Choose Pro or Studio." in response.content.decode()


def test_checkout_needs_a_sign_in(client):
    response = client.post("/billing/checkout/", {"plan": "pro"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
