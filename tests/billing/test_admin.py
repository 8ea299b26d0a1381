"""Staff see each creator's plan, usage and comp grants, and dj-stripe's records, in the admin."""

from __future__ import annotations

import pytest

from billing.payments import customer_for, subscription_sync
from tests.factories import PlanGrantFactory

pytestmark = pytest.mark.django_db


def test_the_user_page_shows_a_subscribers_plan_and_usage(staff_client, user, fake_stripe):
    subscription = fake_stripe.subscription(customer=customer_for(user).id, price="price_pro_monthly")
    subscription_sync(subscription["id"])

    page = staff_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()

    assert "Plan and usage" in page
    assert f"Pro, from Stripe subscription {subscription['id']} (active). 0 of 50 generations used" in page
    assert "Plan grants" in page


def test_the_user_page_shows_a_comp_grant(staff_client, user):
    PlanGrantFactory(user=user, plan="studio", reason="Partner streamer")

    page = staff_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()

    assert "Studio, from staff grant. 0 of unlimited generations used" in page
    assert "Partner streamer" in page


def test_the_add_user_page_still_works(staff_client):
    response = staff_client.get("/admin/accounts/user/add/")

    assert response.status_code == 200
    assert "Plan and usage" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/billing/paymentissue/",
        "/admin/djstripe/customer/",
        "/admin/djstripe/subscription/",
        "/admin/djstripe/webhookeventtrigger/",
        "/admin/djstripe/webhookendpoint/",
    ],
)
def test_billing_records_are_listed_for_staff(staff_client, path):
    assert staff_client.get(path).status_code == 200
