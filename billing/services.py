"""Writes to the usage ledger (reserve, charge, release: each atomic and idempotent) and the
start of an upgrade."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.urls import reverse

from accounts.models import User
from workspaces.access import account_id
from workspaces.models import personal_workspace_id

from . import payments
from .entitlements import (
    CoachAllowance,
    GenerationAllowance,
    MotionAllowance,
    RefineAllowance,
    coach_allowance,
    current_period,
    generation_allowance,
    refine_allowance,
    standing,
)
from .models import UsageEntry
from .plans import Plan


class QuotaExceeded(Exception):
    """The creator's plan has no room for this much more usage this period."""

    def __init__(self, allowance: GenerationAllowance, cost: int) -> None:
        self.allowance = allowance
        self.cost = cost
        remaining = allowance.remaining or 0
        plural = "s" if cost != 1 else ""
        if remaining == 0:
            message = (
                f"You have used all {allowance.limit} generations of your {allowance.plan.name} plan "
                f"{allowance.period.words}. Upgrade to keep creating."
            )
        else:
            message = (
                f"This would make {cost} asset{plural}, but your {allowance.plan.name} plan has "
                f"{remaining} generation{'s' if remaining != 1 else ''} left {allowance.period.words}. "
                "Make fewer, or upgrade."
            )
        super().__init__(message)
        self.message = message


class CoachLimitReached(Exception):
    """The creator's plan allows no more coach sessions."""

    def __init__(self, allowance: CoachAllowance) -> None:
        self.allowance = allowance
        self.message = allowance.explanation
        super().__init__(self.message)


class MotionNotAllowed(QuotaExceeded):
    """The creator's plan has no animated assets. A kind of QuotaExceeded, so every place that
    starts jobs tells the creator why and offers the upgrade."""

    def __init__(self, allowance: MotionAllowance) -> None:
        # Not QuotaExceeded's __init__: its counts of generations left don't apply.
        Exception.__init__(self, allowance.explanation)
        self.allowance = allowance  # type: ignore[assignment]  # a MotionAllowance also has .upgrade and .plan
        self.cost = 0
        self.message = allowance.explanation


class RefineNotAllowed(Exception):
    """The creator's plan has no refines."""

    def __init__(self, allowance: RefineAllowance) -> None:
        self.allowance = allowance
        self.message = allowance.explanation
        super().__init__(self.message)


@transaction.atomic
def refine_reserve(*, user: User | int, reference: str, workspace_id: int | None = None) -> UsageEntry:
    """Reserve one refine for ``reference``: an included refine while the plan has some left this
    period, else one generation (which may raise QuotaExceeded). Raises RefineNotAllowed on a
    plan without refines. Idempotent per reference, like ``usage_reserve``."""
    User.objects.select_for_update().filter(pk=account_id(user)).first()
    existing = UsageEntry.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    allowance = refine_allowance(user)
    if not allowance.may_refine:
        raise RefineNotAllowed(allowance)
    if allowance.limit is None or allowance.used < allowance.limit:
        return UsageEntry.objects.create(
            user_id=account_id(user),
            workspace_id=workspace_id or personal_workspace_id(account_id(user)),
            kind=UsageEntry.Kind.REFINE,
            quantity=1,
            period_start=allowance.period.start,
            reference=reference,
        )
    return usage_reserve(user=user, quantity=1, reference=reference, workspace_id=workspace_id)


@transaction.atomic
def coach_session_record(
    *, user: User | int, reference: str, workspace_id: int | None = None
) -> CoachAllowance:
    """Count a new coach session against the plan, or raise CoachLimitReached.

    Locks the creator's row like ``usage_reserve``, so two tabs cannot both start the Free
    plan's one trial. Returns the allowance the session was started under.
    """
    User.objects.select_for_update().filter(pk=account_id(user)).first()
    allowance = coach_allowance(user)
    if not allowance.may_start:
        raise CoachLimitReached(allowance)
    period = current_period(user)
    UsageEntry.objects.create(
        user_id=account_id(user),
        workspace_id=workspace_id or personal_workspace_id(account_id(user)),
        kind=UsageEntry.Kind.COACH_SESSION,
        quantity=1,
        state=UsageEntry.State.CHARGED,
        period_start=period.start,
        reference=reference,
    )
    return allowance


@transaction.atomic
def usage_reserve(
    *, user: User | int, quantity: int, reference: str, workspace_id: int | None = None
) -> UsageEntry:
    """Reserve `quantity` generations for `reference`, or raise QuotaExceeded.

    The creator's row is locked first, so concurrent requests reserve one after another and
    can never together exceed the plan (SQLite serialises writers by itself).
    """
    User.objects.select_for_update().filter(pk=account_id(user)).first()
    existing = UsageEntry.objects.filter(kind=UsageEntry.Kind.GENERATION, reference=reference).first()
    if existing is not None:
        return existing
    allowance = generation_allowance(user)
    if not allowance.allows(quantity):
        raise QuotaExceeded(allowance, quantity)
    return UsageEntry.objects.create(
        user_id=account_id(user),
        workspace_id=workspace_id or personal_workspace_id(account_id(user)),
        kind=UsageEntry.Kind.GENERATION,
        quantity=quantity,
        period_start=allowance.period.start,
        reference=reference,
    )


def usage_charge(*, reference: str) -> bool:
    """Turn a reservation into a charge. True only the first time (a retry charges nothing)."""
    updated = UsageEntry.objects.filter(reference=reference, state=UsageEntry.State.RESERVED).update(
        state=UsageEntry.State.CHARGED
    )
    return updated == 1


def usage_release(*, reference: str) -> bool:
    """Give a reservation back (failed or canceled work). A charge is never released here."""
    updated = UsageEntry.objects.filter(reference=reference, state=UsageEntry.State.RESERVED).update(
        state=UsageEntry.State.RELEASED
    )
    return updated == 1


def upgrade_start(*, user: User, plan: Plan, absolute_url: Callable[[str], str]) -> str:
    """Where to send a creator who wants ``plan``: Stripe Checkout, or the Customer Portal when
    they already subscribe (Stripe changes the plan there and prorates the difference).

    ``absolute_url`` turns a path into a full URL (``request.build_absolute_uri``). Raises
    ``payments.PaymentsError`` with a message for the creator.
    """
    billing_url = absolute_url(reverse("billing:billing"))
    if standing(user).subscription is not None:
        return payments.portal_start(user=user, return_url=billing_url)
    done = absolute_url(reverse("billing:checkout_done"))
    return payments.checkout_start(
        user=user,
        plan=plan,
        # Stripe fills in the session id, so the return page can confirm it at once.
        success_url=f"{done}?session_id={{CHECKOUT_SESSION_ID}}",
        cancel_url=absolute_url(reverse("billing:pricing") + "?checkout=canceled"),
    )
