"""The signed-in shell's per-creator reads, cached: the bell's unread count and the milestones
not yet celebrated, shown on every page but changed rarely.

Each is cached under the creator's id (another creator's key is never read) for at most
``TTL_S``, and forgotten when the transaction that changes it commits (``shell_changed``, called
by every service that writes notifications or milestones), so a change shows on the next
page. With the cache down a read misses and goes to the database (the cache fails open).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from aurastream.caches import cache_is_shared

from .models import Milestone, Notification

# An upper bound on staleness should a forget ever be lost (the cache down as it was sent).
TTL_S = 60


def _keys(user_id: int) -> tuple[str, str]:
    return f"shell:unread:{user_id}", f"shell:celebrate:{user_id}"


def unread_count(user_id: int) -> int:
    """The creator's unread notifications."""
    key = _keys(user_id)[0]
    count = cache.get(key) if cache_is_shared() else None
    if count is None:
        count = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
        cache.set(key, count, TTL_S)
    return int(count)


def milestones_to_celebrate(user_id: int) -> list[Milestone]:
    """The creator's milestones not yet celebrated, oldest first."""
    key = _keys(user_id)[1]
    milestones = cache.get(key) if cache_is_shared() else None
    if milestones is None:
        milestones = list(Milestone.objects.filter(user_id=user_id, celebrated_at__isnull=True))
        cache.set(key, milestones, TTL_S)
    return list(milestones)


def shell_changed(user_id: int) -> None:
    """The creator's notifications or milestones change in this transaction: forget the cached
    reads once it commits (and now, so this unit of work reads its own writes)."""
    keys = list(_keys(user_id))
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
