"""A creator's standing (plan and usage period), kept in the cache between the writes that
change it.

Every signed-in page asks for it (the plan card, the allowance, the retention line), and reading
it is two queries (grants, then the Stripe subscription). It changes only when a grant, a
subscription, its customer or a payment issue is written, or when a moment it depends on
passes (a grant starting or ending, a period ending, a grace running out). So it is cached
under the creator's id until the earliest of those moments (and at most ``TTL_S``), and
forgotten when a transaction that writes any of those rows commits (``billing/signals.py``),
so an upgrade shows on the very next page.

Only where every process shares the cache (``aurastream.caches``): a webhook handled by one
process must reach all of them. With the cache down a read misses and goes to the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from aurastream.caches import cache_is_shared

if TYPE_CHECKING:
    from .entitlements import Standing

# An upper bound on staleness should a forget ever be lost (the cache down as it was sent).
TTL_S = 300


def _key(user_id: int) -> str:
    return f"billing:standing:{user_id}"


def remembered(user_id: int, read: Callable[[], tuple[Standing, dt.datetime]]) -> Standing:
    """The creator's standing from the cache, else ``read()`` (the standing and the moment it
    may next change on its own), kept until that moment."""
    if not cache_is_shared():
        return read()[0]
    now = timezone.now()
    held = cache.get(_key(user_id))
    if held is not None:
        standing, until = held
        if now < until:
            return standing
    standing, until = read()
    until = min(until, now + dt.timedelta(seconds=TTL_S))
    if until > now:
        cache.set(_key(user_id), (standing, until), max(1, int((until - now).total_seconds())))
    return standing


def forget(user_ids: Iterable[int | None]) -> None:
    """These creators' standings change in this transaction: forget them once it commits (and
    now, so this unit of work reads its own writes)."""
    keys = [_key(user_id) for user_id in set(user_ids) if user_id is not None]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
