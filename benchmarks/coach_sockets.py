"""Prompt Coach latency and capacity over real websockets against one daphne process.

Starts daphne (one process) on 127.0.0.1, then:

1. time to first token and full-reply time of the local coach, one message at a time
   (``--messages``);
2. how many coach sockets the process holds at once while every one of them gets its reply:
   N sockets connect and stay open, then all send a message together (``--sockets``);
3. a reconnect storm (``--burst``): N sockets open at the same instant, not ramped, each
   waits for its history and sends a message as soon as it has it. Every one must be
   accepted and get its whole reply; it prints the handshake, history and reply latencies
   and every failure by kind.

    createdb -h 127.0.0.1 -U aurastream_owner aurastream_bench_ws
    DATABASE_URL=postgres://aurastream_owner@127.0.0.1:5432/aurastream_bench_ws \\
    DATABASE_APP_ROLE=aurastream REDIS_URL=redis://127.0.0.1:6379/4 \\
    .venv/bin/python benchmarks/coach_sockets.py --messages 0 --sockets 0 --burst 1000

As in production, the script migrates as the database's owner (DATABASE_URL) and daphne
connects as DATABASE_APP_ROLE when it is set, so row-level security binds the server. Without
REDIS_URL the channel layer is in-memory (fine: daphne is one process); without DATABASE_URL,
SQLite in a temporary folder. It adds benchmark users to the database it is given: point it
at a scratch database, not production. daphne runs with the flags the compose file gives it
(``DAPHNE_FLAGS``); ``--daphne-defaults`` runs it with daphne's own defaults instead. The local
coach types at its configured pace (COACH_LOCAL_TOKEN_DELAY_S, 0.02 s a word by default),
which sets the full-reply time; ``--token-delay 0`` measures the machinery alone.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")
os.environ["COACH_MESSAGES_PER_MINUTE"] = "1000000"  # the benchmark is not a flood to refuse

import django

django.setup()

import websockets
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from billing.models import PlanGrant
from coach import services

REPLY_TIMEOUT_S = 60  # a socket that hears nothing for this long counts as failed
# Longer than any server-side limit, so a refused or dropped handshake is daphne's doing
# (its --websocket_connect_timeout), not this client giving up first.
OPEN_TIMEOUT_S = 60
# docker-compose.yml's `ws` command, less --proxy-headers: keep them in step. ``{port}`` is
# filled in; the listen backlog is in the endpoint (twisted's default is 50).
DAPHNE_FLAGS = [
    "--endpoint",
    "tcp:port={port}:interface=127.0.0.1:backlog=4096",
    "--websocket_connect_timeout",
    "15",
]
MESSAGE = 'A hype Twitch emote of a cat wearing a crown, neon style, with the text "GG"'


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def origin_of(url: str) -> str:
    """The page origin a browser would send for a socket on ``url`` (same host and port)."""
    return "http://" + urlsplit(url).netloc


def creators(count: int) -> list[tuple[str, str]]:
    """``count`` Pro creators with one session each: (session id, session cookie)."""
    made = []
    for index in range(count):
        user, _ = User.objects.get_or_create(email=f"coach-bench-{index}@aurastream.local")
        if not PlanGrant.objects.filter(user=user).exists():
            PlanGrant.objects.create(user=user, plan="pro", starts_at=timezone.now())
        session = services.session_create(user=user)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        made.append((str(session.pk), f"{settings.SESSION_COOKIE_NAME}={store.session_key}"))
    return made


class Crowd:
    """Sockets that connect, then wait to send their message together."""

    def __init__(self) -> None:
        self.connected = 0
        self.go = asyncio.Event()


async def converse(url: str, cookie: str, crowd: Crowd | None = None) -> tuple[float, float]:
    """Connect, (wait for the crowd,) send one message; seconds to the first token and to done."""
    async with websockets.connect(
        url, additional_headers={"Cookie": cookie, "Origin": origin_of(url)}, max_queue=None
    ) as ws:
        history = json.loads(await ws.recv())
        assert history["type"] == "history", history
        if crowd is not None:
            crowd.connected += 1
            await crowd.go.wait()
        started = time.perf_counter()
        await ws.send(json.dumps({"type": "message", "text": MESSAGE}))
        first = None
        while True:
            async with asyncio.timeout(REPLY_TIMEOUT_S):
                event = json.loads(await ws.recv())
            if event["type"] == "token" and first is None:
                first = time.perf_counter() - started
            elif event["type"] == "done":
                return first or 0.0, time.perf_counter() - started
            elif event["type"] == "error":
                raise RuntimeError(event["message"])


async def hold_many(base: str, sessions: list[tuple[str, str]]) -> tuple[int, int, list[tuple[float, float]]]:
    """(sockets open at once, replies completed, timings) for one socket per session."""
    crowd = Crowd()
    tasks = [
        asyncio.create_task(converse(f"{base}/ws/coach/{sid}/", cookie, crowd)) for sid, cookie in sessions
    ]
    deadline = time.monotonic() + 60
    while crowd.connected + sum(t.done() for t in tasks) < len(tasks) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    held = crowd.connected
    crowd.go.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    replies = [r for r in results if isinstance(r, tuple)]
    for failure in [r for r in results if isinstance(r, BaseException)][:3]:
        print(f"  failed: {failure!r}")
    return held, len(replies), replies


@dataclass
class Visit:
    """One socket of the storm: seconds from its connect call to the handshake, the history
    and the whole reply (None where it did not get that far), and what went wrong."""

    url: str = ""
    handshake: float | None = None
    history: float | None = None
    reply: float | None = None
    failure: str = ""
    events: list[str] = field(default_factory=list)  # the kinds of event heard, in order


def failure_kind(error: BaseException) -> str:
    if isinstance(error, websockets.InvalidStatus):
        return f"handshake refused: HTTP {error.response.status_code}"
    if isinstance(error, websockets.InvalidMessage):
        return "handshake dropped: the connection closed before any HTTP response"
    if isinstance(error, websockets.ConnectionClosed):
        code = error.rcvd.code if error.rcvd else "none"
        return f"closed by the server (code {code})"
    if isinstance(error, TimeoutError):
        return "timed out"
    return type(error).__name__


async def visit(url: str, cookie: str) -> Visit:
    """Open the coach, wait for the history, send a message, wait for the whole reply."""
    result = Visit(url=url)
    started = time.perf_counter()
    try:
        async with websockets.connect(
            url,
            additional_headers={"Cookie": cookie, "Origin": origin_of(url)},
            max_queue=None,
            open_timeout=OPEN_TIMEOUT_S,
            # Keepalive pings measure this client's own event loop under the storm, not daphne.
            ping_interval=None,
        ) as ws:
            result.handshake = time.perf_counter() - started
            async with asyncio.timeout(REPLY_TIMEOUT_S):
                history = json.loads(await ws.recv())
            if history.get("type") != "history":
                raise RuntimeError(f"first event was {history.get('type')!r}, not the history")
            result.history = time.perf_counter() - started
            await ws.send(json.dumps({"type": "message", "text": MESSAGE}))
            while True:
                async with asyncio.timeout(REPLY_TIMEOUT_S):
                    event = json.loads(await ws.recv())
                result.events.append(event["type"])
                if event["type"] == "done":
                    result.reply = time.perf_counter() - started
                    return result
                if event["type"] == "error":
                    raise RuntimeError(f"coach error {event.get('code')}: {event['message']}")
    except Exception as error:  # every failure is counted and reported, not raised
        result.failure = failure_kind(error)
        return result


async def storm(base: str, sessions: list[tuple[str, str]]) -> list[Visit]:
    """Every socket at once: all connect calls are made before any handshake completes."""
    return await asyncio.gather(*(visit(f"{base}/ws/coach/{sid}/", cookie) for sid, cookie in sessions))


def raise_open_file_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files (inherited by daphne) towards ``wanted``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def server_database_url(url: str, role: str) -> str:
    """DATABASE_URL with the app's role as the user: the server connects as production's does."""
    if not url.startswith("postgres") or not role:
        return url
    parts = urlsplit(url)
    password = os.environ.get("DATABASE_APP_PASSWORD", "")
    credentials = role + (f":{password}" if password else "")
    netloc = f"{credentials}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share) * 1000:>9.0f}"


def report_storm(count: int, visits: list[Visit], wall: float) -> None:
    accepted = [v for v in visits if v.handshake is not None]
    histories = [v for v in visits if v.history is not None]
    replied = [v for v in visits if v.reply is not None]
    print(f"\n{count} sockets opened at once (not ramped), each sends a message on its history")
    print(f"  accepted: {len(accepted)}   history: {len(histories)}   replied: {len(replied)}", end="")
    print(f"   failed: {count - len(replied)}   wall: {wall:.1f} s")
    print(f"  {'':26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for label, values in (
        ("handshake (accepted)", [v.handshake for v in accepted]),
        ("history", [v.history for v in histories]),
        ("whole reply", [v.reply for v in replied]),
    ):
        numbers = [value for value in values if value is not None]
        if numbers:
            print(f"  {label:26}{ms(numbers, 0.5)}{ms(numbers, 0.95)}{ms(numbers, 1.0)}")
    for kind, seen in collections.Counter(v.failure for v in visits if v.failure).most_common():
        print(f"  failure: {seen} × {kind}")
    for v in [v for v in visits if v.failure and v.history is not None][:5]:
        heard = collections.Counter(v.events)
        print(f"    {v.url}: after its history heard {dict(heard)}, last {v.events[-1:]}")


def row(label: str, values: list[float], digits: int = 0) -> str:
    p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
    return f"{label:34}{p50:>10.{digits}f}{p95:>10.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=30, help="sequential messages timed")
    parser.add_argument("--sockets", type=int, default=200, help="concurrent sockets held")
    parser.add_argument("--token-delay", type=float, default=None, help="seconds between words")
    parser.add_argument("--burst", type=int, default=0, help="sockets opened at the same instant")
    parser.add_argument(
        "--daphne-defaults", action="store_true", help="run daphne without the compose file's flags"
    )
    args = parser.parse_args()

    # Each socket is a file on both ends (client and daphne, which inherits the limit).
    files = raise_open_file_limit(4 * (args.burst + args.sockets) + 1024)
    call_command("migrate", verbosity=0)
    env = os.environ.copy()
    env["DATABASE_URL"] = server_database_url(env.get("DATABASE_URL", ""), env.get("DATABASE_APP_ROLE", ""))
    if args.token_delay is not None:
        env["COACH_LOCAL_TOKEN_DELAY_S"] = str(args.token_delay)
    pace = env.get("COACH_LOCAL_TOKEN_DELAY_S", "0.02")
    sequential = creators(1) * args.messages if args.messages else []
    everyone = creators(1 + args.sockets + args.burst)[1:]
    crowd, burst = everyone[: args.sockets], everyone[args.sockets :]
    port = free_port()
    server_log_path = Path(os.environ["AURASTREAM_VAR_DIR"]) / "daphne.log"
    server_log = server_log_path.open("w")
    if args.daphne_defaults:
        flags = ["-b", "127.0.0.1", "-p", str(port)]
    else:
        flags = [flag.format(port=port) for flag in DAPHNE_FLAGS]
    command = [sys.executable, "-m", "daphne", *flags]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [*command, "aurastream.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # daphne's access log
        stderr=server_log,
    )
    storm_visits: list[Visit] = []
    storm_wall = 0.0
    timings: list[tuple[float, float]] = []
    held = replied = 0
    crowd_timings: list[tuple[float, float]] = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        base = f"ws://127.0.0.1:{port}"

        async def one_at_a_time() -> list[tuple[float, float]]:
            await converse(f"{base}/ws/coach/{sequential[0][0]}/", sequential[0][1])  # warm-up
            return [await converse(f"{base}/ws/coach/{sid}/", cookie) for sid, cookie in sequential]

        if sequential:
            timings = asyncio.run(one_at_a_time())
        if crowd:
            held, replied, crowd_timings = asyncio.run(hold_many(base, crowd))
        if burst:
            started = time.perf_counter()
            storm_visits = asyncio.run(storm(base, burst))
            storm_wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(30)
        server_log.close()

    layer = "channels-redis" if os.environ.get("REDIS_URL") else "in-memory"
    database = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(
        f"local coach over websockets, one daphne process, layer={layer}, database={database}, "
        f"pace={pace}s, daphne {'defaults' if args.daphne_defaults else ' '.join(flags)}, open files: {files}"
    )
    if timings:
        print(f"{'':34}{'p50 ms':>10}{'p95 ms':>10}")
        print(row("time to first token", [t[0] for t in timings], digits=1))
        print(row("full reply", [t[1] for t in timings]))
    if crowd:
        print(f"\n{args.sockets} sockets: {held} open at once, then all sent a message together")
        print(f"  replies completed: {replied} of {args.sockets}")
    if crowd_timings:
        print(row("  time to first token", [t[0] for t in crowd_timings]))
        print(row("  full reply", [t[1] for t in crowd_timings]))
    if burst:
        report_storm(args.burst, storm_visits, storm_wall)
    errors = server_log_path.read_text(errors="replace").count("Traceback")
    print(f"\ndaphne's log: {server_log_path} ({errors} tracebacks)")


if __name__ == "__main__":
    main()
