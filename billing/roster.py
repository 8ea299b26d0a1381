"""Plans and usage of many creators at once, for staff's lists (the admin's creators and
subscriptions): the same rules as ``entitlements.standing``, in a few queries however many
creators a page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User

from .entitlements import Standing, standing_of
from .models import PlanGrant, UsageEntry
from .plans import PLANS, Plan
from .subscriptions import paid_subscriptions


def standings(*, user_ids: Collection[int], at: dt.datetime | None = None) -> dict[int, Standing]:
    """``standing`` for many creators at once (a staff list's page), by user id: three queries
    at most however many there are."""
    at = at or timezone.now()
    codes: dict[int, set[str]] = {}
    grants = PlanGrant.objects.filter(user_id__in=list(user_ids), starts_at__lte=at).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    )
    for user_id, code in grants.values_list("user_id", "plan"):
        codes.setdefault(user_id, set()).add(code)
    subscriptions = paid_subscriptions(subscriber_ids=user_ids, at=at)
    return {
        user_id: standing_of(
            subscription=subscriptions.get(user_id), granted_codes=codes.get(user_id, set()), at=at
        )
        for user_id in user_ids
    }


def generations_used(*, standings: Mapping[int, Standing]) -> dict[int, int]:
    """Generations each creator has used in their current period (reserved and charged), by
    user id, in one query: ``generation_allowance``'s count for many creators."""
    if not standings:
        return {}
    rows = (
        UsageEntry.objects.filter(
            user_id__in=list(standings),
            kind=UsageEntry.Kind.GENERATION,
            period_start__in={now.period.start for now in standings.values()},
            state__in=[UsageEntry.State.RESERVED, UsageEntry.State.CHARGED],
        )
        .values_list("user_id", "period_start")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    used = dict.fromkeys(standings, 0)
    for user_id, period_start, total in rows:
        if standings[user_id].period.start == period_start:
            used[user_id] = total or 0
    return used


def users_on_plan(users: QuerySet[User], *, plan: Plan, at: dt.datetime | None = None) -> QuerySet[User]:
    """``users`` narrowed to those on ``plan`` right now, by ``standing``'s rule: a grant or a
    subscription gives the plan unless the other gives a better one. Grants are matched in the
    database; subscriptions in force are read first (one row per paying subscriber)."""
    at = at or timezone.now()
    subscribed: dict[str, set[int]] = {}
    for user_id, paid in paid_subscriptions(at=at).items():
        subscribed.setdefault(paid.plan.code, set()).add(user_id)
    in_force = PlanGrant.objects.filter(starts_at__lte=at).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))

    def on(code: str) -> Q:
        return Q(pk__in=in_force.filter(plan=code).values("user_id")) | Q(pk__in=subscribed.get(code, set()))

    chosen = users if plan.is_free else users.filter(on(plan.code))
    for better in PLANS.values():
        if better.monthly_price > plan.monthly_price:
            chosen = chosen.exclude(on(better.code))
    return chosen
