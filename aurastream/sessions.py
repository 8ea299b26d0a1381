"""Django's cached-database session store, reading and writing the database as system work.

A session is found by its key before anyone is known to be signed in, so row-level security
keeps ``django_session`` to system work only (no acting creator may list sessions): this store
is the one piece of the app that reaches it, each database operation as system work
(``db.system_work``). Sessions are read through the cache first (Redis in production), so a
signed-in page costs no session query; every write and delete goes to the database and the
cache together (Django's ``cached_db``), and the cache failing open (a read misses, a write is
dropped) falls back to the database; an entry is read again from the database every few
minutes (``CACHED_FOR_S``). The async methods run the same sync ones in a thread,
where that transaction applies.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import cached_db

from .db import system_work

# How long a session stays in the cache before it is read from the database again. Django keeps
# it for the session's whole life; capped, a sign-out whose cache delete was lost (Redis down
# at that moment: the cache fails open) outlives it by minutes at most, not weeks.
CACHED_FOR_S = 300


class _CappedCache:
    """The session cache, every entry kept at most ``CACHED_FOR_S``."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self._cache.set(key, value, CACHED_FOR_S if timeout is None else min(timeout, CACHED_FOR_S))

    def __contains__(self, key: str) -> bool:
        return key in self._cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    _cache: Any  # Django's cache, wrapped

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = _CappedCache(self._cache)

    def _get_session_from_db(self) -> Any:
        with system_work():
            return super()._get_session_from_db()  # type: ignore[misc]  # not in the stubs

    def exists(self, session_key: str) -> bool:
        with system_work():
            return super().exists(session_key)

    def create(self) -> None:
        with system_work():
            super().create()

    def save(self, must_create: bool = False) -> None:
        with system_work():
            super().save(must_create=must_create)

    def delete(self, session_key: str | None = None) -> None:
        with system_work():
            super().delete(session_key)

    @classmethod
    def clear_expired(cls) -> None:
        with system_work():
            super().clear_expired()

    async def aload(self) -> dict[str, Any]:
        return await sync_to_async(self.load)()

    async def aexists(self, session_key: str) -> bool:
        return await sync_to_async(self.exists)(session_key)

    async def acreate(self) -> None:
        await sync_to_async(self.create)()

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create=must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        await sync_to_async(self.delete)(session_key)

    @classmethod
    async def aclear_expired(cls) -> None:
        await sync_to_async(cls.clear_expired)()
