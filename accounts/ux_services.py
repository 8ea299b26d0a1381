"""Writes for the creator-first experience: milestones, the onboarding tour and shortcut keys.

Milestones are reached by the services that make the work (``brandkits.services``,
``library.services``, ``generation.services``), in the same transaction, so a rolled-back
generation never celebrates. Reaching one twice does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SHORTCUT_DEFAULTS, Milestone, TourState, User
from .shell import shell_changed

# The tour's steps, in order (templates/accounts/partials/_tour.html draws each).
TOUR_STEPS = ("brand_kit", "first_asset", "library")
# How many assets make the "10 assets" and "100 assets" milestones.
ASSET_COUNT_MILESTONES = (
    (1, Milestone.Kind.FIRST_ASSET),
    (10, Milestone.Kind.ASSETS_10),
    (100, Milestone.Kind.ASSETS_100),
)


def milestone_reach(*, user_id: int, kind: str) -> bool:
    """Record that the creator reached ``kind``; True only the first time."""
    if Milestone.objects.filter(user_id=user_id, kind=kind).exists():
        return False
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin loses quietly
            Milestone.objects.create(user_id=user_id, kind=kind)
    except IntegrityError:
        return False
    shell_changed(user_id)
    return True


def milestones_for_asset_count(*, user_id: int, asset_count: int) -> list[str]:
    """Reach every asset-count milestone ``asset_count`` passes; returns those new now."""
    return [
        kind
        for threshold, kind in ASSET_COUNT_MILESTONES
        if asset_count >= threshold and milestone_reach(user_id=user_id, kind=kind)
    ]


def milestones_celebrate(*, user: User, ids: Iterable[int]) -> int:
    """The creator has seen these celebrations: they are not shown again."""
    shell_changed(user.pk)
    return Milestone.objects.filter(user=user, pk__in=list(ids), celebrated_at__isnull=True).update(
        celebrated_at=timezone.now()
    )


def tour_move(*, user: User, action: str) -> User:
    """Move the onboarding tour: ``next``, ``back``, ``skip`` (closes it, the step kept),
    ``finish`` or ``resume`` (opens it again where it stopped, from the start once finished)."""
    last = len(TOUR_STEPS) - 1
    if action == "next" and user.tour_step < last:
        user.tour_step += 1
    elif action == "back" and user.tour_step > 0:
        user.tour_step -= 1
    elif action == "skip":
        user.tour_state = TourState.SKIPPED
    elif action in ("finish", "next"):
        user.tour_state = TourState.DONE
    elif action == "resume":
        if user.tour_state == TourState.DONE:
            user.tour_step = 0
        user.tour_state = TourState.ACTIVE
    else:
        raise ValueError(f"unknown tour action {action!r}")
    user.save(update_fields=["tour_state", "tour_step"])
    return user


def shortcuts_update(*, user: User, enabled: bool, keys: dict[str, str]) -> User:
    """Save the creator's shortcut settings; only keys that differ from the defaults are kept."""
    user.shortcuts_enabled = enabled
    user.shortcut_keys = {
        action: key
        for action, key in keys.items()
        if action in SHORTCUT_DEFAULTS and key != SHORTCUT_DEFAULTS[action]
    }
    user.save(update_fields=["shortcuts_enabled", "shortcut_keys"])
    return user
