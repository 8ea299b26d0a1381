"""The coach's per-minute message allowance, counted in the cache through one client per process.

django's ``cache`` is a per-context handle (asgiref's ``Local``): every socket and every reply
task of a daphne process, each in an async context of its own, builds its own cache client the
first time it counts a message. Here the counters use one client, made once and shared by
every thread (django-redis' client and redis-py's connection pool are thread-safe; the local
memory cache locks itself), and on Redis a message is counted in one round trip.
"""

from __future__ import annotations

import functools
import logging
import time

import redis
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django_redis.cache import RedisCache

logger = logging.getLogger("aurastream.outages")

WINDOW_S = 60
KEEP_S = 90  # a little past its minute, so a counter never vanishes while it still counts


class CoachRateLimited(Exception):
    message = "You're sending messages faster than the coach can think. Wait a moment and try again."


@functools.cache
def counters() -> BaseCache:
    """The process's one cache client for the coach's counters."""
    return caches.create_connection("default")


def _count(key: str) -> int:
    """Add one to ``key``'s counter and return it."""
    store = counters()
    if isinstance(store, RedisCache):
        client = store.client.get_client(write=True)
        name = store.make_key(key)
        with client.pipeline(transaction=False) as pipe:
            pipe.incr(name)
            pipe.expire(name, KEEP_S, nx=True)
            count, _ = pipe.execute()
        return int(count)
    store.add(key, 0, timeout=KEEP_S)
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout=KEEP_S)
        return 1


def rate_limit_hit(*, user_id: int) -> None:
    """Count a message against the creator's per-minute allowance; raise when over it.

    With Redis down the message is let through (and the outage logged), as every counter in
    the cache fails open (settings: ``CACHES``): the coach's limit guards against floods, and
    refusing everyone while Redis restarts would be worse.
    """
    minute = int(time.time() // WINDOW_S)
    try:
        count = _count(f"coach:rate:{user_id}:{minute}")
    except redis.RedisError as error:
        logger.warning("The coach's rate limit could not be counted: %s", error)
        return
    if count > settings.COACH_MESSAGES_PER_MINUTE:
        raise CoachRateLimited


@receiver(setting_changed)
def _reset_on_settings_change(setting: str, **_: object) -> None:
    if setting == "CACHES":
        counters.cache_clear()
