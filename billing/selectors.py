"""Reads for the billing pages and API: the creator's plan, comp and usage in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone
from djstripe.models import Price, Subscription
from djstripe.settings import djstripe_settings

from accounts.models import User

from . import entitlements, payments
from .entitlements import CoachAllowance, GenerationAllowance, Period
from .models import PlanGrant
from .plans import PLANS, Plan
from .subscriptions import PAST_DUE, PaidSubscription


@dataclass(frozen=True)
class BillingOverview:
    plan: Plan
    period: Period
    generations: GenerationAllowance
    coach: CoachAllowance
    comp: PlanGrant | None  # the staff grant that gives the plan, if one does
    subscription: PaidSubscription | None  # the Stripe subscription in force, if any
    has_billing_account: bool  # a Stripe customer exists, so the portal can open

    @property
    def comped(self) -> bool:
        return self.comp is not None

    @property
    def comped_until(self) -> dt.datetime | None:
        return self.comp.ends_at if self.comp else None

    @property
    def renews_at(self) -> dt.datetime | None:
        """When the subscription renews; None when it ends instead (or there is none)."""
        sub = self.subscription
        return sub.period_end if sub and not sub.cancel_at_period_end and not sub.past_due else None

    @property
    def ends_at(self) -> dt.datetime | None:
        """When a subscription canceled at period end stops."""
        sub = self.subscription
        return sub.period_end if sub and sub.cancel_at_period_end else None

    @property
    def upgrades(self) -> list[Plan]:
        """The plans above this one, cheapest first."""
        return [plan for plan in PLANS.values() if plan.monthly_price > self.plan.monthly_price]


def plan_grant_current(*, user: User, plan: Plan) -> PlanGrant | None:
    """The active grant giving ``plan``: the one that lasts longest (no end date first)."""
    if plan.is_free:
        return None
    return (
        entitlements.active_grants(user)
        .filter(plan=plan.code)
        .order_by(F("ends_at").desc(nulls_first=True))
        .first()
    )


def billing_overview(*, user: User) -> BillingOverview:
    standing = entitlements.standing(user)
    generations = entitlements.generation_allowance(user, now=standing)
    return BillingOverview(
        plan=standing.plan,
        period=standing.period,
        generations=generations,
        coach=entitlements.coach_allowance(user, now=standing),
        comp=plan_grant_current(user=user, plan=standing.plan) if standing.grant else None,
        subscription=standing.subscription,
        has_billing_account=payments.customer_existing(user) is not None,
    )


# --- Revenue (the staff dashboard's key metrics) --------------------------------------------
# Subscriptions that pay: active, and past_due (a failed renewal still inside Stripe's retries
# is revenue we expect). Trialing is left out: nothing has been paid yet, so it is not MRR.
PAYING = ("active", PAST_DUE)
# Months per recurring interval, to bring every price to a month.
MONTHS_PER_INTERVAL = {"day": 12 / 365, "week": 12 / 52, "month": 1.0, "year": 12.0}


@dataclass(frozen=True)
class Revenue:
    at: dt.datetime
    subscribers: int  # creators with at least one paying subscription
    subscriptions: int
    mrr_cents: int  # monthly recurring revenue, in the smallest unit of the prices' currency


def _price_data(item: dict[str, Any], prices: dict[str, dict[str, Any]]) -> dict[str, Any]:
    price = item.get("price") or item.get("plan") or {}
    if isinstance(price, str):
        return prices.get(price, {})
    return price if isinstance(price, dict) else {}


def item_monthly_cents(item: dict[str, Any], prices: dict[str, dict[str, Any]] | None = None) -> float:
    """One subscription item's price × quantity brought to a month (0 for a one-off or a
    metered price, which has no fixed monthly amount)."""
    price = _price_data(item, prices or {})
    recurring = price.get("recurring") or {}
    months = MONTHS_PER_INTERVAL.get(str(recurring.get("interval", "")))
    amount = price.get("unit_amount")
    if months is None or amount is None or recurring.get("usage_type") == "metered":
        return 0.0
    count = int(recurring.get("interval_count") or 1)
    quantity = int(item.get("quantity") or 1)
    return int(amount) * quantity / (months * count)


def _when(value: Any) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value not in (None, "") else None


def _paying_at(data: dict[str, Any], at: dt.datetime) -> bool:
    """Whether a subscription paid at ``at``, as far as its stored Stripe object tells: started
    by then, and either paying now or ended after ``at`` (Stripe keeps only the current state)."""
    started = _when(data.get("start_date") or data.get("created"))
    ended = _when(data.get("ended_at"))
    if started is None or started > at:
        return False
    if ended is not None:
        return ended > at
    return data.get("status") in PAYING


def revenue(*, at: dt.datetime | None = None) -> Revenue:
    """Paying subscribers and MRR at ``at`` (now by default) from the dj-stripe mirror: each
    paying subscription's items, price × quantity normalised to a month. Discounts and taxes
    are not taken off; a price stored only by id is read from the Price mirror."""
    at = at or timezone.now()
    subscriptions = Subscription.objects.filter(livemode=djstripe_settings.STRIPE_LIVE_MODE).values_list(
        "customer__subscriber_id", "stripe_data"
    )
    paying = [(subscriber, data) for subscriber, data in subscriptions if _paying_at(data, at)]
    items = [item for _, data in paying for item in (data.get("items") or {}).get("data") or []]
    ids = {item.get("price") for item in items if isinstance(item.get("price"), str)}
    prices = dict(Price.objects.filter(id__in=ids).values_list("id", "stripe_data")) if ids else {}
    return Revenue(
        at=at,
        subscribers=len({subscriber for subscriber, _ in paying if subscriber is not None}),
        subscriptions=len(paying),
        mrr_cents=round(sum(item_monthly_cents(item, prices) for item in items)),
    )
