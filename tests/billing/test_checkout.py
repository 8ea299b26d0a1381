"""Checkout and the Customer Portal, asserted on the requests the fake Stripe server received."""

from __future__ import annotations

import pytest

from billing import entitlements
from billing.payments import customer_for
from tests.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db

PRO = "price_pro_monthly"
STUDIO = "price_studio_monthly"


@pytest.mark.parametrize(("plan", "price"), [("pro", PRO), ("studio", STUDIO)])
def test_checkout_opens_a_subscription_session_for_the_plan_with_promotion_codes(
    auth_client, user, fake_stripe: FakeStripe, plan, price
):
    response = auth_client.post("/billing/checkout/", {"plan": plan})

    assert response.status_code == 303
    (customer_call,) = fake_stripe.calls_to("POST", "/v1/customers")
    assert customer_call.params["email"] == user.email
    assert customer_call.params["metadata[djstripe_subscriber]"] == str(user.pk)
    (session_call,) = fake_stripe.calls_to("POST", "/v1/checkout/sessions")
    sent = session_call.params
    assert sent["mode"] == "subscription"
    assert sent["customer"] == customer_for(user).id
    assert sent["line_items[0][price]"] == price
    assert sent["line_items[0][quantity]"] == "1"
    assert sent["allow_promotion_codes"] == "true"
    assert sent["client_reference_id"] == str(user.pk)
    assert sent["success_url"] == "http://testserver/billing/checkout/done/?session_id={CHECKOUT_SESSION_ID}"
    assert sent["cancel_url"] == "http://testserver/pricing/?checkout=canceled"
    assert sent["metadata[plan]"] == plan
    session = fake_stripe.objects[response["Location"].rsplit("/", 1)[-1]]
    assert response["Location"] == session["url"]
    # Nothing changes until Stripe says the creator paid.
    assert entitlements.plan_for(user).code == "free"


def test_a_second_checkout_reuses_the_creators_stripe_customer(auth_client, fake_stripe):
    auth_client.post("/billing/checkout/", {"plan": "pro"})
    auth_client.post("/billing/checkout/", {"plan": "studio"})

    assert len(fake_stripe.calls_to("POST", "/v1/customers")) == 1
    sessions = fake_stripe.calls_to("POST", "/v1/checkout/sessions")
    assert [call.params["customer"] for call in sessions] == [sessions[0].params["customer"]] * 2


def test_a_subscriber_changing_plan_goes_to_the_portal(auth_client, user, fake_stripe):
    customer = customer_for(user)
    subscription = fake_stripe.subscription(customer=customer.id, price=PRO)
    from billing.payments import subscription_sync

    subscription_sync(subscription["id"])

    response = auth_client.post("/billing/checkout/", {"plan": "studio"})

    assert response.status_code == 303
    assert "/portal/" in response["Location"]
    assert not fake_stripe.calls_to("POST", "/v1/checkout/sessions")


def test_the_portal_opens_for_the_creators_customer(auth_client, user, fake_stripe):
    customer = customer_for(user)

    response = auth_client.post("/billing/portal/")

    assert response.status_code == 303
    (call,) = fake_stripe.calls_to("POST", "/v1/billing_portal/sessions")
    assert call.params == {"customer": customer.id, "return_url": "http://testserver/billing/"}
    assert response["Location"] == fake_stripe.objects[response["Location"].rsplit("/", 1)[-1]]["url"]


def test_the_portal_needs_a_billing_account(auth_client, fake_stripe):
    response = auth_client.post("/billing/portal/")

    assert response.status_code == 400
    assert "You have no billing account yet" in response.content.decode()
    assert not fake_stripe.calls_to("POST", "/v1/billing_portal/sessions")


def test_returning_from_checkout_shows_the_new_plan_at_once(auth_client, user, fake_stripe):
    response = auth_client.post("/billing/checkout/", {"plan": "pro"})
    session_id = response["Location"].rsplit("/", 1)[-1]
    subscription = fake_stripe.subscription(customer=customer_for(user).id, price=PRO)
    fake_stripe.checkout_completed(session_id, subscription=subscription["id"])

    response = auth_client.get(f"/billing/checkout/done/?session_id={session_id}", follow=True)

    page = response.content.decode()
    assert "Welcome to Pro!" in page
    assert "Pro plan" in page
    assert "0 of 50 used" in page
    assert "Renews" in page
    assert "Manage billing" in page
    assert entitlements.plan_for(user).code == "pro"


def test_another_creators_checkout_session_changes_nothing(auth_client, user, other_user, fake_stripe):
    theirs = customer_for(other_user)
    customer_for(user)
    subscription = fake_stripe.subscription(customer=theirs.id, price=PRO)
    session = fake_stripe.put(
        {"id": "cs_test_theirs", "object": "checkout.session", "mode": "subscription", "customer": theirs.id}
    )
    fake_stripe.checkout_completed(session["id"], subscription=subscription["id"])

    response = auth_client.get("/billing/checkout/done/?session_id=cs_test_theirs", follow=True)

    assert "Stripe is confirming your payment" in response.content.decode()
    assert entitlements.plan_for(user).code == "free"


def test_checkout_when_stripe_is_down_says_so_and_charges_nothing(auth_client, user, fake_stripe):
    fake_stripe.stop()

    response = auth_client.post("/billing/checkout/", {"plan": "pro"})

    assert response.status_code == 502
    assert "couldn&#x27;t reach our payment provider" in response.content.decode()
    assert entitlements.plan_for(user).code == "free"


def test_canceling_checkout_says_nothing_was_charged(auth_client, fake_stripe):
    page = auth_client.get("/pricing/?checkout=canceled").content.decode()

    assert "Checkout canceled: nothing was charged" in page
    assert "Enter it at checkout." in page


# --- API -------------------------------------------------------------------------------------


def test_the_api_returns_the_checkout_url(api_client, user, fake_stripe):
    api_client.force_login(user)

    response = api_client.post("/api/v1/billing/checkout/", {"plan": "studio"}, format="json")

    assert response.status_code == 200
    (call,) = fake_stripe.calls_to("POST", "/v1/checkout/sessions")
    assert call.params["line_items[0][price]"] == STUDIO
    assert response.json()["url"].startswith(f"{fake_stripe.url}/pay/cs_test_")


def test_the_api_refuses_an_unknown_plan(api_client, user, fake_stripe):
    api_client.force_login(user)

    response = api_client.post("/api/v1/billing/checkout/", {"plan": "free"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["plan"]
    assert not fake_stripe.calls


def test_the_api_portal_url_and_its_missing_account_error(api_client, user, fake_stripe):
    api_client.force_login(user)

    missing = api_client.post("/api/v1/billing/portal/")
    customer_for(user)
    found = api_client.post("/api/v1/billing/portal/")

    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "no_billing_account"
    assert found.status_code == 200
    assert found.json()["url"].startswith(f"{fake_stripe.url}/portal/")


def test_the_api_without_stripe_says_billing_is_not_configured(api_client, user):
    api_client.force_login(user)

    for path, body in (("/api/v1/billing/checkout/", {"plan": "pro"}), ("/api/v1/billing/portal/", {})):
        response = api_client.post(path, body, format="json")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "billing_not_configured"
        assert "Billing is not configured on this server" in response.json()["error"]["message"]


# --- The billing page, per subscription state -------------------------------------------------


def _subscribe(user, fake_stripe: FakeStripe, **fields) -> dict:
    from billing.payments import subscription_sync

    subscription = fake_stripe.subscription(customer=customer_for(user).id, price=PRO, **fields)
    subscription_sync(subscription["id"])
    return subscription


def test_the_billing_page_shows_the_renewal_date_and_manage_billing(auth_client, user, fake_stripe):
    subscription = _subscribe(user, fake_stripe)
    _start, end = fake_stripe.subscription_period(subscription["id"])

    page = auth_client.get("/billing/").content.decode()

    assert "Pro plan" in page
    assert "Renews <time" in page
    assert time_text(end) in page
    assert 'action="/billing/portal/"' in page
    assert "Comped" not in page


def test_a_canceled_subscription_says_when_pro_ends(auth_client, user, fake_stripe):
    subscription = _subscribe(user, fake_stripe, cancel_at_period_end=True)
    _start, end = fake_stripe.subscription_period(subscription["id"])

    page = auth_client.get("/billing/").content.decode()

    assert "Canceled" in page
    assert "Pro ends <time" in page
    assert time_text(end) in page
    assert "then you're on Free" in page
    assert "Renews" not in page


def test_a_past_due_subscription_warns_with_the_grace_end(auth_client, user, fake_stripe):
    _subscribe(user, fake_stripe, status="past_due")

    page = auth_client.get("/billing/").content.decode()

    assert "Your last payment didn't go through." in page
    assert "You keep Pro until" in page
    assert "Manage billing" in page


def time_text(timestamp: int) -> str:
    import datetime as dt

    return f"{dt.datetime.fromtimestamp(timestamp, tz=dt.UTC):%-d %B %Y}"
