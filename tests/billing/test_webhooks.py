"""Stripe webhooks, end to end: signed events posted to the real webhook URL, verified and
processed by dj-stripe and our handlers, with Stripe's API answered by the local fake server.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.core import mail
from django.core.management import call_command
from djstripe.models import Event, WebhookEndpoint, WebhookEventTrigger

from billing import entitlements
from billing.models import PaymentIssue
from billing.payments import customer_for
from tests.fakes.stripe import FakeStripe

pytestmark = pytest.mark.django_db(transaction=True)

PRO = "price_pro_monthly"
STUDIO = "price_studio_monthly"


@pytest.fixture
def endpoint(fake_stripe: FakeStripe) -> WebhookEndpoint:
    call_command("stripe_webhook", "https://aurastream.test")
    return WebhookEndpoint.objects.get()


@pytest.fixture
def deliver(client, endpoint: WebhookEndpoint):
    """Post an event to the webhook URL as Stripe does: JSON body, Stripe-Signature header."""
    path = endpoint.url.removeprefix("https://aurastream.test")

    def post(event: dict, *, secret: str | None = None, timestamp: int | None = None):
        payload = json.dumps(event).encode()
        signature = FakeStripe.sign(payload, secret or endpoint.secret, timestamp=timestamp)
        return client.post(path, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)

    return post


@pytest.fixture
def customer(user, fake_stripe):
    return customer_for(user)


def _checkout_paid(fake_stripe: FakeStripe, customer, *, price: str = PRO) -> tuple[dict, dict]:
    session = fake_stripe.put(
        {
            "id": fake_stripe.new_id("cs_test"),
            "object": "checkout.session",
            "mode": "subscription",
            "customer": customer.id,
            "status": "open",
            "payment_status": "unpaid",
            "subscription": None,
            "url": f"{fake_stripe.url}/pay/x",
        }
    )
    subscription = fake_stripe.subscription(customer=customer.id, price=price)
    fake_stripe.checkout_completed(session["id"], subscription=subscription["id"])
    return fake_stripe.objects[session["id"]], subscription


def test_the_webhook_endpoint_is_registered_with_stripe_for_our_events(fake_stripe, endpoint):
    created = fake_stripe.calls_to("POST", "/v1/webhook_endpoints")
    assert len(created) == 1
    assert created[0].params["url"] == endpoint.url
    assert endpoint.url.startswith("https://aurastream.test/stripe/webhook/")
    events = {value for key, value in created[0].params.items() if key.startswith("enabled_events")}
    assert {"checkout.session.completed", "invoice.payment_failed", "customer.subscription.deleted"} <= events
    assert endpoint.secret.startswith("whsec_")


def test_a_completed_checkout_makes_the_creator_pro_with_50_generations(user, customer, fake_stripe, deliver):
    assert entitlements.plan_for(user).code == "free"
    session, subscription = _checkout_paid(fake_stripe, customer)

    response = deliver(fake_stripe.event("checkout.session.completed", session))

    assert response.status_code == 200
    allowance = entitlements.generation_allowance(user)
    assert allowance.plan.code == "pro"
    assert allowance.limit == 50
    assert allowance.remaining == 50
    start, _end = fake_stripe.subscription_period(subscription["id"])
    assert allowance.period.start.isoformat() == time.strftime("%Y-%m-%d", time.gmtime(start))
    assert entitlements.uses_priority_queue(user)


def test_a_cancellation_at_period_end_keeps_pro_until_the_end_then_free(user, customer, fake_stripe, deliver):
    session, subscription = _checkout_paid(fake_stripe, customer)
    deliver(fake_stripe.event("checkout.session.completed", session))
    _start, end = fake_stripe.subscription_period(subscription["id"])

    # The creator cancels in the portal: Stripe marks the subscription to end with the period.
    updated = fake_stripe.update(subscription["id"], cancel_at_period_end=True, cancel_at=end)
    assert deliver(fake_stripe.event("customer.subscription.updated", updated)).status_code == 200

    assert entitlements.plan_for(user).code == "pro"
    ending = entitlements.standing(user).subscription
    assert ending is not None
    assert ending.cancel_at_period_end
    # Past the end the plan is Free even before Stripe's "deleted" event arrives...
    after_end = entitlements.standing(user, at=ending.period_end + dt.timedelta(seconds=1))
    assert after_end.plan.code == "free"
    # ...and once it does, the subscription is over for good.
    deleted = fake_stripe.update(subscription["id"], status="canceled", ended_at=end, canceled_at=end)
    assert deliver(fake_stripe.event("customer.subscription.deleted", deleted)).status_code == 200
    assert entitlements.plan_for(user).code == "free"
    assert entitlements.generation_allowance(user).limit == 3


def test_a_failed_payment_starts_the_grace_period_and_emails_the_creator(
    user, customer, fake_stripe, deliver
):
    session, subscription = _checkout_paid(fake_stripe, customer)
    deliver(fake_stripe.event("checkout.session.completed", session))
    fake_stripe.update(subscription["id"], status="past_due")
    invoice = fake_stripe.invoice(customer=customer.id, subscription=subscription["id"])
    failed_at = int(time.time())

    response = deliver(fake_stripe.event("invoice.payment_failed", invoice, created=failed_at))

    assert response.status_code == 200
    issue = PaymentIssue.objects.get()
    assert issue.user == user
    assert issue.invoice_id == invoice["id"]
    assert int(issue.started_at.timestamp()) == failed_at
    assert (issue.grace_ends_at - issue.started_at).days == 7
    # The creator keeps Pro during the grace period, and is told so.
    assert entitlements.plan_for(user).code == "pro"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [user.email]
    assert "Pro payment didn't go through" in email.subject
    assert "9.99 USD" in email.body
    assert "moves to the Free plan" in email.body
    assert "/billing/" in email.body
    # After the grace period, still unpaid: Free.
    later = issue.grace_ends_at + dt.timedelta(minutes=1)
    assert entitlements.plan_for(user, at=later).code == "free"

    # The card is updated and the retry succeeds: the issue is resolved and Pro stays.
    fake_stripe.update(invoice["id"], status="paid")
    fake_stripe.update(subscription["id"], status="active")
    assert deliver(fake_stripe.event("invoice.paid", fake_stripe.objects[invoice["id"]])).status_code == 200
    issue.refresh_from_db()
    assert issue.resolved_at is not None
    assert entitlements.plan_for(user, at=later).code == "pro"


def test_the_same_event_delivered_five_times_changes_state_once(user, customer, fake_stripe, deliver):
    session, subscription = _checkout_paid(fake_stripe, customer)
    deliver(fake_stripe.event("checkout.session.completed", session))
    fake_stripe.update(subscription["id"], status="past_due")
    invoice = fake_stripe.invoice(customer=customer.id, subscription=subscription["id"])
    event = fake_stripe.event("invoice.payment_failed", invoice)

    statuses = [deliver(event).status_code for _ in range(5)]

    assert statuses == [200] * 5
    assert Event.objects.filter(id=event["id"]).count() == 1
    assert PaymentIssue.objects.count() == 1
    assert len(mail.outbox) == 1
    # Stripe retrying the card reports the same invoice again in a new event: still one email.
    deliver(fake_stripe.event("invoice.payment_failed", invoice))
    assert PaymentIssue.objects.count() == 1
    assert len(mail.outbox) == 1


def test_subscription_updated_arriving_before_created_ends_in_the_right_plan(
    user, customer, fake_stripe, deliver
):
    subscription = fake_stripe.subscription(customer=customer.id, price=PRO)
    created = fake_stripe.event("customer.subscription.created", subscription)
    upgraded = fake_stripe.update(
        subscription["id"],
        items={
            **subscription["items"],
            "data": [{**subscription["items"]["data"][0], "price": fake_stripe.objects[STUDIO]}],
        },
    )
    updated = fake_stripe.event("customer.subscription.updated", upgraded)

    assert deliver(updated).status_code == 200
    assert entitlements.plan_for(user).code == "studio"
    assert deliver(created).status_code == 200  # late, with the old Pro copy inside
    assert entitlements.plan_for(user).code == "studio"


def test_a_late_created_event_does_not_bring_a_canceled_subscription_back(
    user, customer, fake_stripe, deliver
):
    subscription = fake_stripe.subscription(customer=customer.id, price=PRO)
    created = fake_stripe.event("customer.subscription.created", subscription)
    deleted = fake_stripe.update(subscription["id"], status="canceled", ended_at=int(time.time()))

    deliver(fake_stripe.event("customer.subscription.deleted", deleted))
    deliver(created)

    assert entitlements.plan_for(user).code == "free"


@pytest.mark.parametrize(
    ("secret", "age_s"),
    [("whsec_forged0123456789abcdef0123456789", 0), (None, 600)],
    ids=["forged", "stale"],
)
def test_a_forged_or_stale_signature_is_refused_and_changes_nothing(
    user, customer, fake_stripe, deliver, secret, age_s
):
    session, _subscription = _checkout_paid(fake_stripe, customer)
    event = fake_stripe.event("checkout.session.completed", session)

    response = deliver(event, secret=secret, timestamp=int(time.time()) - age_s)

    assert response.status_code == 400
    assert not Event.objects.exists()
    assert entitlements.plan_for(user).code == "free"
    # The genuine delivery of the same event still works afterwards.
    assert deliver(event).status_code == 200
    assert entitlements.plan_for(user).code == "pro"


def test_an_unsigned_post_is_refused(client, endpoint):
    path = endpoint.url.removeprefix("https://aurastream.test")
    response = client.post(path, b"{}", content_type="application/json")
    assert response.status_code == 400


def test_when_stripe_cannot_be_read_the_webhook_fails_so_stripe_retries(user, customer, fake_stripe, deliver):
    session, subscription = _checkout_paid(fake_stripe, customer)
    event = fake_stripe.event("checkout.session.completed", session)
    stored = fake_stripe.objects.pop(subscription["id"])  # Stripe answers 404 for a moment

    with pytest.raises(Exception, match="No such object"):
        deliver(event)  # the test client re-raises what Django would turn into a 500
    assert not Event.objects.filter(id=event["id"]).exists()
    assert entitlements.plan_for(user).code == "free"
    # The delivery and its error are kept for staff, though the processing was rolled back.
    assert WebhookEventTrigger.objects.filter(exception__contains="No such object", processed=False).exists()

    fake_stripe.put(stored)
    assert deliver(event).status_code == 200
    assert entitlements.plan_for(user).code == "pro"


@pytest.mark.parametrize("event_type", ["invoice.payment_failed", "invoice.paid"])
@pytest.mark.parametrize("gone", ["invoice", "subscription"])
def test_an_invoice_event_for_an_object_stripe_no_longer_has_is_acknowledged(
    user, customer, fake_stripe, deliver, event_type, gone
):
    """Stripe keeps retrying an event it is not answered 2xx for, for days, and may disable
    the endpoint; an object it no longer has will never come back, so the event is answered
    200, logged, and changes nothing."""
    session, subscription = _checkout_paid(fake_stripe, customer)
    deliver(fake_stripe.event("checkout.session.completed", session))
    invoice = fake_stripe.invoice(customer=customer.id, subscription=subscription["id"])
    event = fake_stripe.event(event_type, invoice)
    fake_stripe.objects.pop(invoice["id"] if gone == "invoice" else subscription["id"])

    response = deliver(event)

    assert response.status_code == 200
    assert not PaymentIssue.objects.exists()
    assert entitlements.plan_for(user).code == "pro"
    assert len(mail.outbox) == 0


def test_a_signed_event_dated_in_the_future_is_refused(user, customer, fake_stripe, deliver):
    session, _subscription = _checkout_paid(fake_stripe, customer)
    event = fake_stripe.event("checkout.session.completed", session)

    response = deliver(event, timestamp=int(time.time()) + 600)

    assert response.status_code == 400
    assert entitlements.plan_for(user).code == "free"
