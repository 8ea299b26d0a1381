"""Websockets that accept before they touch the database, and the threads they touch it on.

When many pages open their sockets at once (a deploy, a network blip, a popular stream), a
handshake must not wait behind the database: daphne drops a socket its application has not
accepted within ``--websocket_connect_timeout``. Two things used to make every handshake wait:

- channels' ``AuthMiddlewareStack`` looks up the session and its account before the consumer
  even runs. ``SocketAuthMiddlewareStack`` puts a lazy user in the scope instead and looks
  nothing up; a consumer accepts first, then resolves the user with ``scope_user`` (on the
  threads below) and closes with ``NOT_AUTHENTICATED`` when nobody is signed in.
- channels' ``database_sync_to_async`` is thread-sensitive: in daphne every call of every
  socket queues on asgiref's one process-wide thread (``ASGI_THREADS`` sizes a different pool,
  which thread-sensitive calls never use). ``database_sync_to_async`` here is the same wrapper
  (it closes stale connections around each call) on a pool of ``WEBSOCKET_DB_THREADS``
  threads. That is safe because each call is a unit of its own, opening and closing its own
  ``acting_user`` transaction, so no call needs the thread of the one before; Django keeps one
  connection per thread, so the pool also bounds the process's database connections.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from channels.auth import UserLazyObject
from channels.db import DatabaseSyncToAsync
from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.crypto import constant_time_compare
from django.utils.functional import empty

from .db import system_work

# Close codes a page acts on (static/js): retrying will not help, so it stops and says why.
NOT_AUTHENTICATED = 4401
NOT_FOUND = 4404  # a missing session and another creator's alike

# PostgreSQL: enough threads that a burst's lookups overlap their round trips, few enough that
# each daphne process holds a handful of connections. SQLite: one, because every acting-user
# transaction there takes the database's write lock (BEGIN IMMEDIATE), so more threads would
# only wait for each other.
DEFAULT_DB_THREADS = 8

P = ParamSpec("P")
R = TypeVar("R")

_executor: ThreadPoolExecutor | None = None
_executor_size = 0
_executor_lock = threading.Lock()


def database_threads() -> int:
    """How many threads socket handlers run their database calls on, in this process."""
    configured = settings.WEBSOCKET_DB_THREADS
    if configured:
        return int(configured)
    return 1 if connections["default"].vendor == "sqlite" else DEFAULT_DB_THREADS


def _pool() -> ThreadPoolExecutor:
    global _executor, _executor_size  # one pool per process, made on first use
    if _executor is None:
        with _executor_lock:
            if _executor is None:
                _executor_size = database_threads()
                _executor = ThreadPoolExecutor(max_workers=_executor_size, thread_name_prefix="socket-db")
    return _executor


def _forget_pool() -> None:
    """In a forked child (a test's live daphne, say) the pool's threads did not survive: calls
    would queue on them forever. The child makes its own pool on first use."""
    global _executor, _executor_size, _executor_lock
    _executor, _executor_size, _executor_lock = None, 0, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def database_sync_to_async(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """channels' ``database_sync_to_async`` on the sockets' pool of database threads.

    Only for calls that stand alone: a sync function that opens its own ``acting_user`` block
    (or is an identity lookup, which is system work), never one that relies on the thread or
    transaction of an earlier call.
    """
    wrapped: Callable[P, Awaitable[R]] = DatabaseSyncToAsync(func, thread_sensitive=False, executor=_pool())
    return wrapped


def close_database_connections() -> None:
    """Close the database connection of every thread in the pool (blocking).

    For tests, whose database must have no connections left when it is dropped; the app
    itself lets ``CONN_MAX_AGE`` retire them.
    """
    if _executor is None:
        return
    executor, size = _executor, _executor_size
    # Each task holds its thread at the barrier until all have started, so every thread of
    # the pool runs exactly one of them.
    barrier = threading.Barrier(size)

    def close() -> None:
        connections.close_all()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)

    for future in [executor.submit(close) for _ in range(size)]:
        future.result()


def has_session_cookie(scope: dict[str, Any]) -> bool:
    """Whether the socket brought a session cookie at all; without one it is signed out,
    which needs no query to know."""
    return bool(scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME))


def scope_user(scope: dict[str, Any]) -> Any:
    """The account signed in on the socket's session, or ``AnonymousUser`` (sync: call it
    through ``database_sync_to_async``). Resolves ``scope["user"]`` once.

    Django's own session check (the id, the backend, the session hash under the current or a
    fallback ``SECRET_KEY``), read-only: where a request would flush or re-key a session, a
    socket (which cannot set cookies) just counts as signed out, and the next page load does
    the rest. The lookups are system work (``aurastream.sessions``, ``accounts.backends``).
    """
    lazy = scope["user"]
    if isinstance(lazy, UserLazyObject) and lazy._wrapped is not empty:
        return lazy._wrapped
    user = None
    if has_session_cookie(scope):
        # One system-work transaction for the session and its account (the session store and
        # the backends join it rather than opening one each).
        with system_work():
            user = _session_account(scope["session"])
    resolved = user if user is not None else AnonymousUser()
    if isinstance(lazy, UserLazyObject):
        lazy._wrapped = resolved
    return resolved


def _session_account(session: Any) -> Any:
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = load_backend(backend_path).get_user(user_id)
    if user is None or not hasattr(user, "get_session_auth_hash"):
        return user
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash:
        return None
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return user if any(constant_time_compare(session_hash, known) for known in hashes) else None


class LazyAuthMiddleware(BaseMiddleware):
    """channels' ``AuthMiddleware`` without the lookup: ``scope["user"]`` stays unresolved (and
    raises if read) until the consumer calls ``scope_user``."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if "session" not in scope:
            raise ValueError("LazyAuthMiddleware needs channels' SessionMiddleware above it.")
        scope = dict(scope)
        scope.setdefault("user", UserLazyObject())
        return await self.inner(scope, receive, send)


def SocketAuthMiddlewareStack(inner: Any) -> Any:  # named like channels' AuthMiddlewareStack
    """Cookies, the session (loaded only when read) and a lazy user: no query before accept."""
    return CookieMiddleware(SessionMiddleware(LazyAuthMiddleware(inner)))
