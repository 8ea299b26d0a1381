"""What a creator may do, answered from their current plan.

Every other app asks here ("may this creator start this job?", "which queue?") and never
looks at plans or subscriptions itself. A creator's plan is the best of their Stripe
subscription in force (``billing/subscriptions.py``) and any plan staff granted them.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from aurastream.db import current_acting_user_id, system_work

from . import standing_cache
from .models import PlanGrant, UsageEntry
from .plans import FREE, PLANS, Plan, upgrade_for
from .subscriptions import PaidSubscription, paid_subscription


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive

    @property
    def words(self) -> str:
        """The period as a creator says it: "this month" for a calendar month (Free plans, and
        subscriptions that renew on the 1st), else "this billing period"."""
        calendar = self.start.day == 1 and self.end == (self.start + dt.timedelta(days=32)).replace(day=1)
        return "this month" if calendar else "this billing period"


@dataclass(frozen=True)
class GenerationAllowance:
    plan: Plan
    period: Period
    limit: int | None  # None: unlimited
    used: int  # reserved + charged in the period

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    def allows(self, cost: int) -> bool:
        return self.limit is None or self.used + cost <= self.limit

    @property
    def upgrade(self) -> Plan | None:
        """The plan to offer when this limit is hit."""
        return upgrade_for(self.plan, limit=lambda plan: plan.generations_per_month)


def active_grants(user: User | int, *, at: dt.datetime | None = None) -> QuerySet[PlanGrant]:
    """The creator's plan grants in force right now (or at ``at``)."""
    at = at or timezone.now()
    return PlanGrant.objects.filter(user=user, starts_at__lte=at).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    )


@dataclass(frozen=True)
class Standing:
    """Where a creator stands right now: their plan, its usage period and its source."""

    plan: Plan
    period: Period
    subscription: PaidSubscription | None  # the Stripe subscription in force, if any
    grant: bool  # the plan comes from a staff grant


def reading_for(user: User | int) -> AbstractContextManager[None]:
    """Another account's plan and usage (a team's are its owner's) are read as system work:
    its grants, subscription and ledger are its own under row-level security, and the ledger
    spans workspaces the reader may not be in."""
    user_id = user if isinstance(user, int) else user.pk
    acting = current_acting_user_id()
    return nullcontext() if acting is None or acting == user_id else system_work()


def _calendar_month(at: dt.datetime) -> Period:
    today = at.astimezone(dt.UTC).date()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start=start, end=end)


def standing(user: User | int, *, at: dt.datetime | None = None) -> Standing:
    """The creator's plan and period: the better of their subscription and their grants.

    Usage counts per subscription period while a subscription is in force, per calendar
    month (UTC) otherwise.
    """
    if at is not None:
        return _read_standing(user, at=at)[0]
    user_id = user if isinstance(user, int) else user.pk
    return standing_cache.remembered(user_id, lambda: _read_standing(user, at=timezone.now()))


def _read_standing(user: User | int, *, at: dt.datetime) -> tuple[Standing, dt.datetime]:
    """The standing at ``at``, and the next moment it changes on its own (a grant starting or
    ending, the period or a grace ending) if nothing is written before."""
    with reading_for(user):
        grants = list(
            PlanGrant.objects.filter(user=user)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
            .values_list("plan", "starts_at", "ends_at")
        )
        subscription = paid_subscription(user, at=at)
    codes = {plan for plan, starts_at, _ in grants if starts_at <= at}
    now = standing_of(subscription=subscription, granted_codes=codes, at=at)
    moments = [dt.datetime.combine(now.period.end, dt.time.min, tzinfo=dt.UTC)]
    moments += [starts_at for _, starts_at, _ in grants if starts_at > at]
    moments += [ends_at for _, _, ends_at in grants if ends_at is not None]
    if subscription is not None:
        moments += [subscription.period_end, subscription.grace_ends_at or subscription.period_end]
    return now, min(moments)


def standing_of(
    *, subscription: PaidSubscription | None, granted_codes: set[str], at: dt.datetime
) -> Standing:
    granted = next((PLANS[code] for code in ("studio", "pro") if code in granted_codes), FREE)
    plan = granted
    if subscription is not None and subscription.plan.monthly_price > granted.monthly_price:
        plan = subscription.plan
    if subscription is not None:
        period = Period(start=subscription.period_start.date(), end=subscription.period_end.date())
        if period.end <= period.start:
            period = Period(start=period.start, end=period.start + dt.timedelta(days=1))
    else:
        period = _calendar_month(at)
    return Standing(
        plan=plan, period=period, subscription=subscription, grant=plan is granted and not plan.is_free
    )


def plan_for(user: User | int, *, at: dt.datetime | None = None) -> Plan:
    """The creator's plan right now: the best of their subscription and grants, else Free."""
    return standing(user, at=at).plan


def current_period(user: User | int, *, at: dt.datetime | None = None) -> Period:
    """The billing period usage counts in right now."""
    return standing(user, at=at).period


def generation_allowance(
    user: User | int, *, at: dt.datetime | None = None, now: Standing | None = None
) -> GenerationAllowance:
    """The plan's generations this period and how many are used (``now``: a standing the
    caller already has, to avoid reading it again)."""
    now = now or standing(user, at=at)
    plan, period = now.plan, now.period
    with reading_for(user):
        used = (
            UsageEntry.objects.filter(
                user=user,
                kind=UsageEntry.Kind.GENERATION,
                period_start=period.start,
                state__in=[UsageEntry.State.RESERVED, UsageEntry.State.CHARGED],
            ).aggregate(total=Sum("quantity"))["total"]
            or 0
        )
    return GenerationAllowance(plan=plan, period=period, limit=plan.generations_per_month, used=used)


@dataclass(frozen=True)
class BrandKitAllowance:
    plan: Plan
    limit: int | None  # None: unlimited
    used: int
    custom_fonts: bool

    @property
    def may_create(self) -> bool:
        return self.limit is None or self.used < self.limit

    @property
    def upgrade(self) -> Plan | None:
        """The plan to offer when this limit is hit."""
        return upgrade_for(self.plan, limit=lambda plan: plan.brand_kits)

    @property
    def explanation(self) -> str:
        """Why a creator cannot make another kit, in words for the page."""
        if self.may_create:
            return ""
        kits = "kit" if self.limit == 1 else "kits"
        return (
            f"Your {self.plan.name} plan includes {self.limit} brand {kits}. Upgrade to Pro for 5 kits "
            "and your own fonts, or to Studio for unlimited kits. You can still edit the kits you have."
        )


def brand_kit_allowance(user: User | int, *, kits_owned: int) -> BrandKitAllowance:
    """What the creator's plan allows for brand kits (the brandkits app counts the kits)."""
    plan = plan_for(user)
    return BrandKitAllowance(
        plan=plan, limit=plan.brand_kits, used=kits_owned, custom_fonts=plan.custom_fonts
    )


@dataclass(frozen=True)
class CoachAllowance:
    plan: Plan
    limit: int | None  # sessions a creator may ever start; None: unlimited
    used: int  # sessions started so far (deleting one does not give the trial back)
    grounding: bool  # replies may draw on a web search

    @property
    def may_start(self) -> bool:
        return self.limit is None or self.used < self.limit

    @property
    def upgrade(self) -> Plan | None:
        """The plan to offer when this limit is hit."""
        return upgrade_for(self.plan, limit=lambda plan: plan.coach_sessions)

    @property
    def explanation(self) -> str:
        """Why a creator cannot start another session, in words for the page."""
        if self.may_start:
            return ""
        return (
            f"Your {self.plan.name} plan includes {self.limit} Prompt Coach trial session, and you have "
            "used it. Upgrade to Pro for unlimited coaching, or to Studio for coaching with web search. "
            "You can still open your existing sessions."
        )


def coach_allowance(user: User | int, *, now: Standing | None = None) -> CoachAllowance:
    """What the creator's plan allows for the Prompt Coach."""
    plan = (now or standing(user)).plan
    with reading_for(user):
        used = UsageEntry.objects.filter(user=user, kind=UsageEntry.Kind.COACH_SESSION).count()
    return CoachAllowance(plan=plan, limit=plan.coach_sessions, used=used, grounding=plan.coach_grounding)


@dataclass(frozen=True)
class RefineAllowance:
    plan: Plan
    period: Period
    limit: int | None  # refines included this period; None: unlimited; 0: not on this plan
    used: int  # included refines reserved or charged this period

    @property
    def may_refine(self) -> bool:
        return self.limit != 0

    @property
    def included_left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    @property
    def explanation(self) -> str:
        if self.may_refine:
            return ""
        return (
            f"Refining a result in plain words isn't part of the {self.plan.name} plan. Upgrade to Pro for "
            "5 refines a month (more count as generations), or to Studio for unlimited refines."
        )

    @property
    def upgrade(self) -> Plan | None:
        return upgrade_for(self.plan, limit=lambda plan: plan.refines_per_month)


def refine_allowance(user: User | int, *, at: dt.datetime | None = None) -> RefineAllowance:
    """What the creator's plan allows for refines this period."""
    now = standing(user, at=at)
    with reading_for(user):
        used = (
            UsageEntry.objects.filter(
                user=user,
                kind=UsageEntry.Kind.REFINE,
                period_start=now.period.start,
                state__in=[UsageEntry.State.RESERVED, UsageEntry.State.CHARGED],
            ).aggregate(total=Sum("quantity"))["total"]
            or 0
        )
    return RefineAllowance(plan=now.plan, period=now.period, limit=now.plan.refines_per_month, used=used)


@dataclass(frozen=True)
class MediaAllowance:
    plan: Plan
    limit: int | None  # images a creator may keep; None: unlimited
    used: int

    @property
    def may_add(self) -> bool:
        return self.limit is None or self.used < self.limit

    @property
    def explanation(self) -> str:
        if self.may_add:
            return ""
        return (
            f"Your {self.plan.name} plan keeps {self.limit} of your own images, and you have {self.used}. "
            "Delete one you no longer use, or upgrade to keep more."
        )

    @property
    def upgrade(self) -> Plan | None:
        return upgrade_for(self.plan, limit=lambda plan: plan.media_items)


def media_allowance(user: User | int, *, items_owned: int) -> MediaAllowance:
    """What the creator's plan allows for their media library (brandkits counts the items)."""
    plan = plan_for(user)
    return MediaAllowance(plan=plan, limit=plan.media_items, used=items_owned)


@dataclass(frozen=True)
class ConnectionAllowance:
    plan: Plan
    limit: int | None  # channels connected at once; None: unlimited
    used: int

    @property
    def may_connect(self) -> bool:
        return self.limit is None or self.used < self.limit

    @property
    def upgrade(self) -> Plan | None:
        return upgrade_for(self.plan, limit=lambda plan: plan.platform_connections)

    @property
    def explanation(self) -> str:
        if self.may_connect:
            return ""
        channels = "channel" if self.limit == 1 else "channels"
        more = f" Upgrade to {self.upgrade.name} to connect more." if self.upgrade else ""
        return (
            f"Your {self.plan.name} plan connects {self.limit} {channels} at a time, "
            f"and you have {self.used}. "
            f"Disconnect one to connect another.{more}"
        )


def connection_allowance(user: User, *, connected: int) -> ConnectionAllowance:
    """What the creator's plan allows for platform connections (connections counts them)."""
    plan = plan_for(user)
    return ConnectionAllowance(plan=plan, limit=plan.platform_connections, used=connected)


@dataclass(frozen=True)
class TeamAllowance:
    plan: Plan
    seats: int  # seats in each team the creator owns; 0: teams aren't in the plan

    @property
    def may_own_teams(self) -> bool:
        return self.seats > 0

    @property
    def upgrade(self) -> Plan | None:
        return upgrade_for(self.plan, limit=lambda plan: plan.team_seats)

    @property
    def explanation(self) -> str:
        if self.may_own_teams:
            return ""
        more = f" Upgrade to {self.upgrade.name} to make one." if self.upgrade else ""
        return f"Team workspaces aren't part of the {self.plan.name} plan.{more}"


def team_allowance(user: User | int) -> TeamAllowance:
    """Whether the creator may own team workspaces, and how many seats each has (a team's
    seats are its owner's plan's, read for its members as system work: another account's
    grants and subscription are theirs alone under row-level security)."""
    plan = plan_for(user)
    return TeamAllowance(plan=plan, seats=plan.team_seats)


def asset_expiry(user: User | int, *, made_at: dt.datetime | None = None) -> dt.datetime | None:
    """When an asset made now (or at ``made_at``) leaves the library; None: kept."""
    days = plan_for(user).asset_retention_days
    if days is None:
        return None
    return (made_at or timezone.now()) + dt.timedelta(days=days)


def coach_grounding(user: User | int) -> bool:
    """May the creator's coach replies draw on a web search?"""
    return plan_for(user).coach_grounding


@dataclass(frozen=True)
class MotionAllowance:
    plan: Plan

    @property
    def may_animate(self) -> bool:
        return self.plan.motion

    @property
    def explanation(self) -> str:
        if self.may_animate:
            return ""
        return (
            f"Animated emotes, stickers, alerts and overlays aren't part of the {self.plan.name} plan. "
            "Upgrade to Pro or Studio to animate your designs; each animated asset counts as one generation."
        )

    @property
    def upgrade(self) -> Plan | None:
        return next((plan for plan in PLANS.values() if plan.motion and not plan.is_free), None)


def motion_allowance(user: User | int, *, now: Standing | None = None) -> MotionAllowance:
    """May the creator make animated assets? (Each counts as one generation, like a still.)
    ``now``: a standing the caller already has, to avoid reading it again."""
    return MotionAllowance(plan=(now or standing(user)).plan)


def uses_priority_queue(user: User | int) -> bool:
    return plan_for(user).priority_queue


@dataclass(frozen=True)
class DeveloperApiAllowance:
    plan: Plan

    @property
    def may_use_keys(self) -> bool:
        return self.plan.developer_api

    @property
    def upgrade(self) -> Plan | None:
        return next((plan for plan in PLANS.values() if plan.developer_api and not plan.is_free), None)

    @property
    def explanation(self) -> str:
        if self.may_use_keys:
            return ""
        more = (
            f" Upgrade to {self.upgrade.name} to make keys for your scripts and tools."
            if self.upgrade
            else ""
        )
        return f"Personal API keys aren't part of the {self.plan.name} plan.{more}"


def developer_api(user: User | int) -> DeveloperApiAllowance:
    """May the creator make personal API keys?"""
    return DeveloperApiAllowance(plan=plan_for(user))
