"""A creator's paid plan as their Stripe subscription says it is.

dj-stripe keeps each subscription's latest Stripe object in ``stripe_data``; the webhook
handlers re-fetch it from Stripe on every event, so whatever order events arrive in, the stored
copy is Stripe's current state. This module reads it: which plan, which period, and whether a
failed renewal is still inside its grace period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F
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


def _paid_subscription(
    subscription: Subscription, *, at: dt.datetime, issue_grace: dt.datetime | None
) -> PaidSubscription | None:
    """The plan ``subscription`` gives at ``at``, if any (``issue_grace``: when the grace of its
    oldest unresolved failed renewal ends, if it has one)."""
    data = subscription.stripe_data
    plan = plan_for_price(subscription_price_id(data))
    start, end = subscription_period(data)
    if plan is None or start is None or end is None:
        return None
    status = str(data.get("status", ""))
    grace_ends_at = None
    if status == PAST_DUE:
        # Before the payment_failed event is seen, the grace runs from the period's start.
        grace_ends_at = issue_grace or start + grace_days()
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


def _issue_graces(subscription_ids: list[str]) -> dict[str, dt.datetime]:
    """When the grace of each subscription's oldest unresolved payment issue ends."""
    if not subscription_ids:
        return {}
    issues = (
        PaymentIssue.objects.filter(subscription_id__in=subscription_ids, resolved_at__isnull=True)
        .order_by("-started_at")
        .values_list("subscription_id", "grace_ends_at")
    )
    return dict(issues)  # newest first, so each subscription keeps its oldest


def paid_subscriptions(
    *, subscriber_ids: Collection[int] | None = None, at: dt.datetime | None = None
) -> dict[int, PaidSubscription]:
    """Each subscriber's subscription in force right now (the best plan if there are several),
    by user id: among ``subscriber_ids``, or every subscriber. Two queries at most, however
    many subscribers (the second only when a renewal is past due)."""
    at = at or timezone.now()
    subscriptions = Subscription.objects.filter(
        livemode=djstripe_settings.STRIPE_LIVE_MODE,
        stripe_data__status__in=[*IN_GOOD_STANDING, PAST_DUE],
    )
    if subscriber_ids is not None:
        subscriptions = subscriptions.filter(customer__subscriber_id__in=list(subscriber_ids))
    rows = list(subscriptions.annotate(subscriber_pk=F("customer__subscriber_id")).order_by("-created"))
    graces = _issue_graces([row.id for row in rows if row.stripe_data.get("status") == PAST_DUE])
    best: dict[int, PaidSubscription] = {}
    for row in rows:
        paid = _paid_subscription(row, at=at, issue_grace=graces.get(row.id))
        subscriber = row.subscriber_pk  # annotated above
        held = best.get(subscriber)
        if paid is not None and (held is None or paid.plan.monthly_price > held.plan.monthly_price):
            best[subscriber] = paid
    return best


def paid_subscription(user: User | int, *, at: dt.datetime | None = None) -> PaidSubscription | None:
    """The creator's subscription in force right now (the best plan if there are several)."""
    user_id = user if isinstance(user, int) else user.pk
    return paid_subscriptions(subscriber_ids=[user_id], at=at).get(user_id)
