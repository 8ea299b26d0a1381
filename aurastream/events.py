"""The analytics buffer: page views and product events, written where they happen, kept
briefly in Redis (or a spool file on the embedded default) and rolled up into PostgreSQL by
the ``analytics.rollup`` beat task.

Recording never slows or fails a request: a push is one Redis ``RPUSH`` (or one appended
line) with a short timeout, and a buffer that is down is skipped for ``BREAKER_SECONDS``
(a warning is logged; the events of that moment are lost, the request goes on).

Every app records its product events through :func:`record`, from its services::

    events.record(events.SIGNUP, user=user, method="email")

The event is pushed when the surrounding transaction commits, so a rolled-back signup is
never counted. Each carries a random id (or one derived from its ``key``), so rolling up the
same line twice stores it once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, cast

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Product events, recorded by the services where they happen (analytics.models.EventName
# gives each its label; these names are what the buffer carries).
SIGNUP = "signup"
EMAIL_VERIFIED = "email_verified"
BRAND_KIT_CREATED = "brand_kit_created"
ASSET_CREATED = "asset_created"
PACK_CREATED = "pack_created"
COACH_SESSION = "coach_session"
CHECKOUT_STARTED = "checkout_started"
SUBSCRIPTION_STARTED = "subscription_started"
SUBSCRIPTION_CANCELLED = "subscription_cancelled"
REFINE = "refine"
SHARE_CREATED = "share_created"
SHARE_VIEWED = "share_viewed"
NAMES = frozenset(
    {
        SIGNUP, EMAIL_VERIFIED, BRAND_KIT_CREATED, ASSET_CREATED, PACK_CREATED, COACH_SESSION,
        CHECKOUT_STARTED, SUBSCRIPTION_STARTED, SUBSCRIPTION_CANCELLED, REFINE, SHARE_CREATED,
        SHARE_VIEWED,
    }
)  # fmt: skip

# Events that happen to a creator rather than by them (a stranger opening their share link):
# they count, but don't make the creator active that day.
PASSIVE = frozenset({SHARE_VIEWED, SUBSCRIPTION_CANCELLED})

PAGE_VIEW = "pv"
PRODUCT_EVENT = "ev"
# A buffered line: {"k": PAGE_VIEW | PRODUCT_EVENT, "id": hex, "at": ISO time, ...}.
Line = dict[str, Any]

BREAKER_SECONDS = 30.0

# Robots, crawlers, link unfurlers, monitors and HTTP libraries (a user agent that names one
# of these isn't a visitor). Matched case-insensitively anywhere in the user agent.
ROBOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|quora link|"
    r"whatsapp|telegram|discordbot|slackbot|twitterbot|linkedinbot|pinterestbot|preview|"
    r"headless|phantomjs|lighthouse|pagespeed|gtmetrix|pingdom|uptime|monitor|statuscake|"
    r"curl/|wget/|python-requests|python-urllib|aiohttp|httpx|okhttp|go-http-client|java/|"
    r"libwww|scrapy|axios/|node-fetch|postman|insomnia|httpie|feed|rss|archiver",
    re.IGNORECASE,
)


def is_robot(user_agent: str) -> bool:
    """Whether a user agent names a robot (one that names nothing is left to the caller)."""
    return bool(ROBOTS.search(user_agent))


# The namespace of keyed events' ids (``record(..., key=...)``): uuid5 of "<name>:<key>".
EVENT_KEYS = uuid.UUID("5f0d7f8e-3c1a-4a2e-9d0b-6a4e0c2b9e71")


class Buffer(Protocol):
    def push(self, line: str) -> None: ...

    def take(self, limit: int) -> list[str]:
        """Up to ``limit`` lines, oldest first, held until :meth:`done` (a crash re-offers them)."""
        ...

    def done(self) -> None: ...

    def exclusive(self) -> contextlib.AbstractContextManager[bool]:
        """Whether this process may roll up now (one roll-up at a time, across processes)."""
        ...

    def salt(self, day: dt.date) -> str: ...

    def clear(self) -> None: ...


# Lines still held from a run that didn't finish, else the oldest ``limit`` moved from the
# buffer to the processing list, in one step (nothing is ever only in the roll-up's memory).
TAKE = """
local held = redis.call('LRANGE', KEYS[2], 0, ARGV[1] - 1)
if #held == 0 then
    held = redis.call('LRANGE', KEYS[1], 0, ARGV[1] - 1)
    if #held > 0 then
        redis.call('LTRIM', KEYS[1], #held, -1)
        redis.call('RPUSH', KEYS[2], unpack(held))
    end
end
return held
"""


class RedisBuffer:
    """A Redis list; :meth:`take` moves lines to a processing list so none is lost mid-roll-up."""

    def __init__(self, url: str, *, key: str) -> None:
        self.key = key
        self.processing = f"{key}:processing"
        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25)
        self._take = self.client.register_script(TAKE)

    def push(self, line: str) -> None:
        # One round trip; the newest ANALYTICS_BUFFER_MAX lines are kept should the roll-up
        # stop (the Redis it shares with the queue and the cache never fills up with them).
        with self.client.pipeline(transaction=False) as pipe:
            pipe.rpush(self.key, line)
            pipe.ltrim(self.key, -settings.ANALYTICS_BUFFER_MAX, -1)
            pipe.execute()

    def take(self, limit: int) -> list[str]:
        held = cast(list[bytes], self._take(keys=[self.key, self.processing], args=[limit]))
        return [item.decode() for item in held]

    def done(self) -> None:
        self.client.delete(self.processing)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        # Expires on its own should its holder die (well past a roll-up's time limit).
        lock = self.client.lock(f"{self.key}:rolling-up", timeout=900, blocking=False)
        held = bool(lock.acquire())
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()

    def salt(self, day: dt.date) -> str:
        # A random salt per day, forgotten two days later: yesterday's visitors can't be
        # linked to today's, and nobody (us included) can recompute a hash from an address.
        key = f"{self.key}:salt:{day.isoformat()}"
        self.client.set(key, secrets.token_hex(16), nx=True, ex=2 * 86400)
        value = cast(bytes | None, self.client.get(key))
        return value.decode() if value else ""

    def clear(self) -> None:
        self.client.delete(self.key, self.processing)


class SpoolBuffer:
    """Lines appended to a file under ``folder`` (one process tree on one machine: the
    embedded default). Writers lock the file; :meth:`take` renames it aside first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "events.jsonl"
        self.processing = folder / "processing.jsonl"

    def push(self, line: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            with open(self.path, "a", encoding="utf-8") as spool:
                fcntl.flock(spool, fcntl.LOCK_EX)
                # Renamed aside while we waited for the lock: write to the new file instead.
                if _same_file(spool, self.path):
                    spool.write(line + "\n")
                    return

    def take(self, limit: int) -> list[str]:
        if not self.processing.exists() and self.path.exists():
            with open(self.path, "a", encoding="utf-8") as spool:
                fcntl.flock(spool, fcntl.LOCK_EX)
                os.replace(self.path, self.processing)
        if not self.processing.exists():
            return []
        lines = self.processing.read_text(encoding="utf-8").splitlines()
        # The spool is taken whole (a day of a small site is a few MB); ``limit`` is Redis's.
        return [line for line in lines if line.strip()]

    def done(self) -> None:
        self.processing.unlink(missing_ok=True)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "rolling-up.lock", "a", encoding="utf-8") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True  # the lock goes with the file's closing

    def salt(self, day: dt.date) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"salt-{day.isoformat()}"
        with contextlib.suppress(FileExistsError), open(path, "x", encoding="utf-8") as fresh:
            fresh.write(secrets.token_hex(16))
        for old in self.folder.glob("salt-*"):
            if old.name < f"salt-{day - dt.timedelta(days=1)}":
                old.unlink(missing_ok=True)
        return path.read_text(encoding="utf-8").strip()

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.processing.unlink(missing_ok=True)


def _same_file(handle: Any, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


_buffer: Buffer | None = None
_buffer_lock = threading.Lock()
_broken_until = 0.0


def buffer() -> Buffer:
    """The process's buffer, from settings (Redis when ``REDIS_URL`` is set)."""
    global _buffer
    with _buffer_lock:
        if _buffer is None:
            if settings.REDIS_URL:
                _buffer = RedisBuffer(settings.REDIS_URL, key=settings.ANALYTICS_BUFFER_KEY)
            else:
                _buffer = SpoolBuffer(Path(settings.ANALYTICS_SPOOL_DIR))
        return _buffer


def reset() -> None:
    """Forget the process's buffer and breaker (settings changed: tests)."""
    global _buffer, _broken_until
    with _buffer_lock:
        _buffer = None
        _broken_until = 0.0


def available() -> bool:
    """Whether collection is on and the buffer isn't resting after a failure."""
    return settings.ANALYTICS_ENABLED and time.monotonic() >= _broken_until


def _trip(error: Exception) -> None:
    global _broken_until
    _broken_until = time.monotonic() + BREAKER_SECONDS
    logger.warning("analytics buffer unavailable, skipping it for %ss: %s", BREAKER_SECONDS, error)


def push(line: Line) -> bool:
    """Buffer ``line`` now; False (and a warning) when the buffer is down or resting."""
    if not available():
        return False
    try:
        buffer().push(json.dumps(line, separators=(",", ":")))
    except (redis.RedisError, OSError) as error:
        _trip(error)
        return False
    return True


def new_line(kind: str, *, at: dt.datetime | None = None, **fields: Any) -> Line:
    return {"k": kind, "id": uuid.uuid4().hex, "at": (at or timezone.now()).isoformat(), **fields}


def record(
    name: str, *, user: Any, at: dt.datetime | None = None, key: str | None = None, **properties: Any
) -> None:
    """Record product event ``name`` for ``user`` (a User or its id) once the transaction
    commits. ``properties`` are small JSON values (a plan, an asset type), never personal data.

    ``key`` names what happened (a Stripe event's id, an asset's id) when the same thing may be
    recorded again (a redelivered webhook): the event's id is derived from it, so the roll-up
    stores it once however often it is recorded."""
    if name not in NAMES:
        raise ValueError(f"unknown product event {name!r}")
    user_id = getattr(user, "pk", user)
    line = new_line(PRODUCT_EVENT, at=at, n=name, u=user_id, p=properties)
    if key is not None:
        line["id"] = event_id(name, key)
    transaction.on_commit(lambda: push(line))


def event_id(name: str, key: str) -> str:
    """The id of event ``name`` keyed by ``key``: the same for the same pair, every time."""
    return uuid.uuid5(EVENT_KEYS, f"{name}:{key}").hex


def daily_salt(day: dt.date) -> str:
    """Today's salt for visitor hashes ("" when the buffer is down: nothing is recorded then)."""
    if day in _salts:
        return _salts[day]
    if not available():
        return ""
    try:
        salt = buffer().salt(day)
    except (redis.RedisError, OSError) as error:
        _trip(error)
        return ""
    _salts.clear()  # only today's is kept in memory
    _salts[day] = salt
    return salt


_salts: dict[dt.date, str] = {}


def forget_salts() -> None:
    _salts.clear()


def exclusive() -> contextlib.AbstractContextManager[bool]:
    """Whether this process may roll up now: two at once (beat and a manual run) could let go
    of lines the other had taken, so the second does nothing."""
    return buffer().exclusive()


@contextlib.contextmanager
def taken(limit: int = 5000) -> Iterator[list[Line]]:
    """The buffered lines, oldest first, removed once the block finishes without error."""
    source = buffer()
    lines = []
    for raw in source.take(limit):
        try:
            lines.append(json.loads(raw))
        except ValueError:
            logger.warning("analytics buffer: dropped an unreadable line")
    yield lines
    source.done()
