"""Prompt Coach latency and capacity over real websockets, on one daphne process and on several.

Starts daphne on 127.0.0.1 (``--processes``: one layout per figure, e.g. ``1,2``; a layout of
N starts N daphne processes on consecutive ports and the clients take them in turn, as nginx
does with the compose file's ``ws`` replicas), then, on each layout:

1. time to first token and full-reply time of the local coach, one message at a time
   (``--messages``);
2. a burst: N sockets connect and stay open, then all send a message at the same instant
   (``--sockets``); it prints how many held, and the first-token and full-reply times;
3. a reconnect storm (``--burst``): N sockets open at the same instant, not ramped, each
   waits for its history and sends a message as soon as it has it. Every one must be
   accepted and get its whole reply; it prints the handshake, history and reply latencies
   and every failure by kind.

    createdb -h 127.0.0.1 -U postgres -O aurastream_owner aurastream_bench_ws
    DATABASE_URL=postgres://aurastream_owner@127.0.0.1:5432/aurastream_bench_ws \\
    DATABASE_APP_ROLE=aurastream REDIS_URL=redis://127.0.0.1:6379/4 \\
    .venv/bin/python benchmarks/coach_sockets.py --processes 1,2 --messages 10 --sockets 200 --burst 1000

As in production, the script migrates as the database's owner (DATABASE_URL) and daphne
connects as DATABASE_APP_ROLE when it is set, so row-level security binds the server. Without
REDIS_URL the channel layer is in-memory (then only a layout of one process works); without
DATABASE_URL, SQLite in a temporary folder. It adds benchmark users to the database it is
given: point it at a scratch database, not production. daphne runs with the flags the compose
file gives it (``DAPHNE_FLAGS``); ``--daphne-defaults`` runs it with daphne's own defaults
instead. The local coach types at its configured pace (COACH_LOCAL_TOKEN_DELAY_S, 0.02 s a
word by default), which sets the full-reply time; ``--token-delay 0`` measures the machinery
alone. The load average is printed before and after: the machine may be shared.
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
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")
os.environ["COACH_MESSAGES_PER_MINUTE"] = "1000000"  # the benchmark is not a flood to refuse

import django
from roles import app_role_url  # beside this script

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


async def hold_many(sessions: list[tuple[str, str, str]]) -> tuple[int, int, list[tuple[float, float]]]:
    """(sockets open at once, replies completed, timings) for one socket per (base, session)."""
    crowd = Crowd()
    tasks = [
        asyncio.create_task(converse(f"{base}/ws/coach/{sid}/", cookie, crowd))
        for base, sid, cookie in sessions
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


async def storm(sessions: list[tuple[str, str, str]]) -> list[Visit]:
    """Every socket at once: all connect calls are made before any handshake completes."""
    return await asyncio.gather(*(visit(f"{base}/ws/coach/{sid}/", cookie) for base, sid, cookie in sessions))


def raise_open_file_limit(wanted: int) -> int:
    """Raise this process's soft limit on open files (inherited by daphne) towards ``wanted``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


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


@dataclass
class Layout:
    """What one layout (N daphne processes) measured."""

    processes: int
    flags: list[str]
    timings: list[tuple[float, float]] = field(default_factory=list)
    held: int = 0
    replied: int = 0
    crowd_timings: list[tuple[float, float]] = field(default_factory=list)
    storm_visits: list[Visit] = field(default_factory=list)
    storm_wall: float = 0.0
    tracebacks: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # daphne CPU seconds per phase


def cpu_seconds(servers: list[subprocess.Popen[bytes]]) -> float:
    """User and system CPU time the daphne processes have used so far (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for server in servers:
        fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def start_daphnes(
    count: int, first_port: int, env: dict[str, str], daphne_defaults: bool, log: Path
) -> tuple[list[subprocess.Popen[bytes]], list[str], list[str]]:
    """``count`` daphne processes on consecutive ports: (processes, base URLs, one's flags)."""
    servers, bases, flags = [], [], []
    for index in range(count):
        port = first_port + index if first_port else free_port()
        if daphne_defaults:
            flags = ["-b", "127.0.0.1", "-p", str(port)]
        else:
            flags = [flag.format(port=port) for flag in DAPHNE_FLAGS]
        servers.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "daphne", *flags, "aurastream.asgi:application"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,  # daphne's access log
                stderr=log.open("a"),
            )
        )
        bases.append(f"ws://127.0.0.1:{port}")
    for base in bases:
        port = int(base.rsplit(":", 1)[1])
        deadline = time.monotonic() + 60  # starting Django on a busy machine takes a while
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or any(server.poll() is not None for server in servers):
                    raise RuntimeError(f"daphne did not start on port {port}: see {log}") from None
                time.sleep(0.1)
    return servers, bases, flags


def spread(bases: list[str], sessions: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(base URL, session id, cookie) for each session, the daphne processes taken in turn."""
    return [(bases[index % len(bases)], sid, cookie) for index, (sid, cookie) in enumerate(sessions)]


def run_layout(
    processes: int, args: argparse.Namespace, env: dict[str, str], sessions: dict[str, list[tuple[str, str]]]
) -> Layout:
    log = Path(os.environ["AURASTREAM_VAR_DIR"]) / f"daphne-{processes}.log"
    log.write_text("")
    servers, bases, flags = start_daphnes(processes, args.port, env, args.daphne_defaults, log)
    result = Layout(processes=processes, flags=flags)
    sequential, crowd, burst = sessions["sequential"], sessions["crowd"], sessions["burst"]
    try:

        async def one_at_a_time() -> list[tuple[float, float]]:
            await converse(f"{bases[0]}/ws/coach/{sequential[0][0]}/", sequential[0][1])  # warm-up
            return [
                await converse(f"{base}/ws/coach/{sid}/", cookie)
                for base, sid, cookie in spread(bases, sequential)
            ]

        if sequential:
            result.timings = asyncio.run(one_at_a_time())
        if crowd:
            before = cpu_seconds(servers)
            result.held, result.replied, result.crowd_timings = asyncio.run(hold_many(spread(bases, crowd)))
            result.cpu["burst of messages"] = cpu_seconds(servers) - before
        if burst:
            before = cpu_seconds(servers)
            started = time.perf_counter()
            result.storm_visits = asyncio.run(storm(spread(bases, burst)))
            result.storm_wall = time.perf_counter() - started
            result.cpu["reconnect storm"] = cpu_seconds(servers) - before
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)
    result.tracebacks = log.read_text(errors="replace").count("Traceback")
    print(f"  (daphne's log: {log})")
    return result


def report(layout: Layout, args: argparse.Namespace) -> None:
    print(f"\n== {layout.processes} daphne process{'es' if layout.processes > 1 else ''}", end="")
    print(", sockets spread across them in turn" if layout.processes > 1 else "")
    if layout.timings:
        print(f"{'':34}{'p50 ms':>10}{'p95 ms':>10}")
        print(row("time to first token", [t[0] for t in layout.timings], digits=1))
        print(row("full reply", [t[1] for t in layout.timings]))
    if args.sockets:
        print(f"{args.sockets} sockets: {layout.held} open at once, then all sent a message together")
        print(f"  replies completed: {layout.replied} of {args.sockets}")
    if layout.crowd_timings:
        print(f"{'':34}{'p50 ms':>10}{'p95 ms':>10}")
        print(row("  time to first token", [t[0] for t in layout.crowd_timings]))
        print(row("  full reply", [t[1] for t in layout.crowd_timings]))
    if args.burst:
        report_storm(args.burst, layout.storm_visits, layout.storm_wall)
    for phase, seconds in layout.cpu.items():
        print(f"  daphne CPU, {phase} (connects included): {seconds:.1f} s")
    print(f"  daphne tracebacks: {layout.tracebacks}")


def load_average() -> str:
    return Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", default="1", help="layouts to measure: daphne processes, e.g. 1,2")
    parser.add_argument("--port", type=int, default=0, help="first port (consecutive ones after it); 0: any")
    parser.add_argument("--messages", type=int, default=30, help="sequential messages timed")
    parser.add_argument("--sockets", type=int, default=200, help="sockets that send a message together")
    parser.add_argument("--token-delay", type=float, default=None, help="seconds between words")
    parser.add_argument("--burst", type=int, default=0, help="sockets opened at the same instant")
    parser.add_argument(
        "--daphne-defaults", action="store_true", help="run daphne without the compose file's flags"
    )
    args = parser.parse_args()
    layouts = [int(part) for part in args.processes.split(",") if part.strip()]

    # Each socket is a file on both ends (client and daphne, which inherits the limit).
    files = raise_open_file_limit(4 * (args.burst + args.sockets) + 1024)
    call_command("migrate", verbosity=0)
    env = os.environ.copy()
    env["DATABASE_URL"] = app_role_url(env.get("DATABASE_URL", ""), env.get("DATABASE_APP_ROLE", ""))
    if args.token_delay is not None:
        env["COACH_LOCAL_TOKEN_DELAY_S"] = str(args.token_delay)
    pace = env.get("COACH_LOCAL_TOKEN_DELAY_S", "0.02")
    everyone = creators(1 + args.sockets + args.burst)
    sessions = {
        "sequential": everyone[:1] * args.messages if args.messages else [],
        "crowd": everyone[1 : 1 + args.sockets],
        "burst": everyone[1 + args.sockets :],
    }
    layer = "channels-redis" if os.environ.get("REDIS_URL") else "in-memory"
    database = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(f"load average before: {load_average()}")
    results = [run_layout(processes, args, env, sessions) for processes in layouts]
    print(f"load average after:  {load_average()}")
    print(
        f"local coach over websockets, layer={layer}, database={database}, pace={pace}s, "
        f"daphne {'defaults' if args.daphne_defaults else ' '.join(results[0].flags)}, open files: {files}"
    )
    for layout in results:
        report(layout, args)


if __name__ == "__main__":
    main()
