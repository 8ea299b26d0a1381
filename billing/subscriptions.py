"""A creator's paid plan as their Stripe subscription says it is.

dj-stripe keeps each subscription's latest Stripe object in ``stripe_data``; the webhook
handlers re-fetch it from Stripe on every event, so whatever order events arrive in, the stored
copy is Stripe's current state. This module reads it: which plan, which period, and whether a
failed renewal is still inside its grace period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from djstripe.models import Subscription
from djstripe.settings import djstripe_settings

from accounts.models import User

from .models import PaymentIssue
from .payments import plan_for_price
from .plans import Plan

# Stripe statuses that keep the plan (past_due only during the grace period).
IN_GOOD_STANDING = ("active", "trialing")
PAST_DUE = "past_due"


@dataclass(frozen=True)
class PaidSubscription:
    id: str
    plan: Plan
    status: str
    period_start: dt.datetime
    period_end: dt.datetime
    cancel_at_period_end: bool
    # Set while a renewal payment has failed: the plan stays until then.
    grace_ends_at: dt.datetime | None

    @property
    def past_due(self) -> bool:
        return self.status == PAST_DUE


def _timestamp(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)


def _first_item(data: dict[str, Any]) -> dict[str, Any]:
    items = (data.get("items") or {}).get("data") or []
    return items[0] if items else {}


def subscription_price_id(data: dict[str, Any]) -> str:
    """The price a subscription object charges for (its first item's)."""
    item = _first_item(data)
    price = item.get("price") or item.get("plan") or data.get("plan") or {}
    return str(price.get("id", "")) if isinstance(price, dict) else str(price)


def subscription_period(data: dict[str, Any]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The current period; Stripe keeps it on the subscription's items since API 2025-03-31."""
    item = _first_item(data)
    start = item.get("current_period_start", data.get("current_period_start"))
    end = item.get("current_period_end", data.get("current_period_end"))
    return _timestamp(start), _timestamp(end)


def grace_days() -> dt.timedelta:
    return dt.timedelta(days=settings.BILLING_GRACE_DAYS)


def _paid_subscription(subscription: Subscription, *, at: dt.datetime) -> PaidSubscription | None:
    data = subscription.stripe_data
    plan = plan_for_price(subscription_price_id(data))
    start, end = subscription_period(data)
    if plan is None or start is None or end is None:
        return None
    status = str(data.get("status", ""))
    grace_ends_at = None
    if status == PAST_DUE:
        issue = (
            PaymentIssue.objects.filter(subscription_id=subscription.id, resolved_at__isnull=True)
            .order_by("started_at")
            .first()
        )
        # Before the payment_failed event is seen, the grace runs from the period's start.
        grace_ends_at = issue.grace_ends_at if issue else start + grace_days()
        if grace_ends_at <= at:
            return None
    elif status not in IN_GOOD_STANDING:
        return None
    # A subscription canceled at period end keeps its plan until then, and not after, even if
    # Stripe's "deleted" event has not arrived yet.
    if data.get("cancel_at_period_end") and end <= at:
        return None
    return PaidSubscription(
        id=subscription.id,
        plan=plan,
        status=status,
        period_start=start,
        period_end=end,
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        grace_ends_at=grace_ends_at,
    )


def paid_subscription(user: User | int, *, at: dt.datetime | None = None) -> PaidSubscription | None:
    """The creator's subscription in force right now (the best plan if there are several)."""
    at = at or timezone.now()
    subscriptions = Subscription.objects.filter(
        customer__subscriber=user,
        livemode=djstripe_settings.STRIPE_LIVE_MODE,
        stripe_data__status__in=[*IN_GOOD_STANDING, PAST_DUE],
    ).order_by("-created")
    best: PaidSubscription | None = None
    for subscription in subscriptions:
        paid = _paid_subscription(subscription, at=at)
        if paid is not None and (best is None or paid.plan.monthly_price > best.plan.monthly_price):
            best = paid
    return best
