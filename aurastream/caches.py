"""Whether every process reads the same cache.

Reads cached per creator and forgotten when a write commits (the shell's unread count, a
creator's plan) are only right where every process sees the forget: with Redis, yes; with the
embedded default's local-memory cache, each process has its own, and a forget sent by the
worker (or another web process) never reaches the one holding the value. There such reads go
to the database every time.
"""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache


def cache_is_shared() -> bool:
    return not isinstance(caches["default"], LocMemCache)
