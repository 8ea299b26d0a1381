"""Reads for the billing pages and API: the creator's plan, comp and usage in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from accounts.models import User

from . import entitlements
from .entitlements import CoachAllowance, GenerationAllowance, Period
from .models import PlanGrant
from .plans import PLANS, Plan


@dataclass(frozen=True)
class BillingOverview:
    plan: Plan
    period: Period
    generations: GenerationAllowance
    coach: CoachAllowance
    comp: PlanGrant | None  # the staff grant that gives the plan, if one does

    @property
    def comped(self) -> bool:
        return self.comp is not None

    @property
    def comped_until(self) -> dt.datetime | None:
        return self.comp.ends_at if self.comp else None

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
    generations = entitlements.generation_allowance(user)
    return BillingOverview(
        plan=generations.plan,
        period=generations.period,
        generations=generations,
        coach=entitlements.coach_allowance(user),
        comp=plan_grant_current(user=user, plan=generations.plan),
    )
