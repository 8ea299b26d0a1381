"""Payments through Stripe: Checkout for a new subscription, the Customer Portal for the rest.

Stripe's API is called through the official SDK and dj-stripe, which keeps local copies of
customers, subscriptions and invoices (the webhook handlers in ``billing/webhooks.py`` keep
them in step). Nothing here runs when no Stripe key is configured: ``payments_configured()``
says so and the pages explain it instead of failing.
"""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from djstripe.models import Customer, Session, Subscription
from djstripe.settings import djstripe_settings

from accounts.models import User
from aurastream import events
from aurastream.db import acting_user

from .plans import PLANS, Plan

logger = logging.getLogger(__name__)

NOT_CONFIGURED = (
    "Billing is not configured on this server, so plans can't be bought here yet. "
    "An admin can grant a plan in the admin."
)
UNREACHABLE = "We couldn't reach our payment provider just now. Nothing was charged; please try again."


class PaymentsError(Exception):
    """Stripe can't do what was asked; ``message`` says so in words for the creator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _price_ids() -> dict[str, str]:
    return {"pro": settings.STRIPE_PRICE_PRO, "studio": settings.STRIPE_PRICE_STUDIO}


def payments_configured() -> bool:
    """True when this server can take payments: a Stripe key and both plans' prices are set."""
    return bool(settings.STRIPE_SECRET_KEY) and all(_price_ids().values())


def price_for(plan: Plan) -> str:
    """The Stripe price a paid plan sells."""
    return _price_ids()[plan.code]


def plan_for_price(price_id: str) -> Plan | None:
    """The plan a Stripe price belongs to; None for a price this server does not sell."""
    for code, configured in _price_ids().items():
        if configured and configured == price_id:
            return PLANS[code]
    return None


def _api_key() -> str:
    return djstripe_settings.get_default_api_key(livemode=djstripe_settings.STRIPE_LIVE_MODE)


def customer_for(user: User) -> Customer:
    """The creator's Stripe customer, created in Stripe the first time they check out."""
    try:
        # Mirroring Stripe's objects touches dj-stripe's system-only tables (its API keys, the
        # platform account): system work, for the creator asking.
        with acting_user(None):
            customer, _created = Customer.get_or_create(subscriber=user, api_key=_api_key())
    except stripe.StripeError as error:
        logger.warning("Stripe customer for user %s failed: %s", user.pk, error)
        raise PaymentsError(UNREACHABLE) from error
    return customer


def customer_existing(user: User) -> Customer | None:
    """The creator's Stripe customer if they have one (no call to Stripe)."""
    return Customer.objects.filter(
        subscriber=user, livemode=djstripe_settings.STRIPE_LIVE_MODE, date_purged__isnull=True
    ).first()


def checkout_start(*, user: User, plan: Plan, success_url: str, cancel_url: str) -> str:
    """Open a Stripe Checkout session for ``plan`` and return its URL.

    Subscription mode, linked to the creator's customer (so the subscription lands on their
    account), with Stripe's promotion-code field for coupons.
    """
    if not payments_configured():
        raise PaymentsError(NOT_CONFIGURED)
    customer = customer_for(user)
    try:
        session = stripe.checkout.Session.create(
            api_key=_api_key(),
            mode="subscription",
            customer=customer.id,
            client_reference_id=str(user.pk),
            line_items=[{"price": price_for(plan), "quantity": 1}],
            allow_promotion_codes=True,
            success_url=success_url,
            cancel_url=cancel_url,
            metadata={"plan": plan.code},
            subscription_data={"metadata": {"plan": plan.code}},
        )
    except stripe.StripeError as error:
        logger.warning("Stripe Checkout for user %s failed: %s", user.pk, error)
        raise PaymentsError(UNREACHABLE) from error
    events.record(events.CHECKOUT_STARTED, user=user, plan=plan.code)
    return str(session.url)


def portal_start(*, user: User, return_url: str) -> str:
    """Open a Stripe Customer Portal session (cards, plan changes, cancellation, invoices)."""
    if not payments_configured():
        raise PaymentsError(NOT_CONFIGURED)
    customer = customer_existing(user)
    if customer is None:
        raise PaymentsError("You have no billing account yet: choose a plan to start one.")
    try:
        session = stripe.billing_portal.Session.create(
            api_key=_api_key(), customer=customer.id, return_url=return_url
        )
    except stripe.StripeError as error:
        logger.warning("Stripe portal for user %s failed: %s", user.pk, error)
        raise PaymentsError(UNREACHABLE) from error
    return str(session.url)


def subscription_sync(subscription_id: str) -> Subscription:
    """Fetch a subscription from Stripe and store it (its customer too, if new here)."""
    data = stripe.Subscription.retrieve(subscription_id, api_key=_api_key())
    return Subscription.sync_from_stripe_data(data, api_key=_api_key())


def checkout_finish(*, user: User, session_id: str) -> Subscription | None:
    """Bring a just-paid Checkout session's subscription in, so the success page shows the
    new plan even before Stripe's webhook arrives. Another creator's session changes nothing.
    """
    if not payments_configured():
        return None
    try:
        data = stripe.checkout.Session.retrieve(session_id, api_key=_api_key())
    except stripe.InvalidRequestError:
        return None
    except stripe.StripeError as error:
        logger.warning("Stripe Checkout session %s could not be read: %s", session_id, error)
        return None
    customer = customer_existing(user)
    if customer is None or data.customer != customer.id:
        return None
    # The session is the creator's (checked above); mirroring it and its subscription writes
    # items, lines and keys only system work may touch.
    with acting_user(None):
        Session.sync_from_stripe_data(data, api_key=_api_key())
    subscription_id = data.subscription
    if not subscription_id or data.status != "complete":
        return None
    try:
        with acting_user(None):
            return subscription_sync(str(subscription_id))
    except stripe.StripeError as error:
        logger.warning("Stripe subscription %s could not be read: %s", subscription_id, error)
        return None
