"""Reads for the billing pages and API: the creator's plan, comp and usage in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from accounts.models import User

from . import entitlements, payments
from .entitlements import CoachAllowance, GenerationAllowance, Period
from .models import PlanGrant
from .plans import PLANS, Plan
from .subscriptions import PaidSubscription


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
