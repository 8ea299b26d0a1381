"""Prompt Coach latency and capacity over real websockets against one daphne process.

Starts daphne (one process) on 127.0.0.1, then:

1. time to first token and full-reply time of the local coach, one message at a time;
2. how many coach sockets the process holds at once while every one of them gets its reply:
   N sockets connect and stay open, then all send a message together.

    DATABASE_URL=postgres://aurastream@127.0.0.1:5432/aurastream_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python benchmarks/coach_sockets.py --sockets 200

Without REDIS_URL the channel layer is in-memory (fine: daphne is one process); without
DATABASE_URL, SQLite in a temporary folder. It migrates the database it is given and adds
benchmark users to it: point it at a scratch database, not production. The local coach types
at its configured pace (COACH_LOCAL_TOKEN_DELAY_S, 0.02 s a word by default), which sets the
full-reply time; ``--token-delay 0`` measures the machinery alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")
os.environ["COACH_MESSAGES_PER_MINUTE"] = "1000000"  # the benchmark is not a flood to refuse

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from billing.models import PlanGrant  # noqa: E402
from coach import services  # noqa: E402

REPLY_TIMEOUT_S = 60  # a socket that hears nothing for this long counts as failed
MESSAGE = 'A hype Twitch emote of a cat wearing a crown, neon style, with the text "GG"'


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
        url, additional_headers={"Cookie": cookie, "Origin": "http://127.0.0.1"}, max_queue=None
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


def row(label: str, values: list[float], digits: int = 0) -> str:
    p50, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
    return f"{label:34}{p50:>10.{digits}f}{p95:>10.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=30, help="sequential messages timed")
    parser.add_argument("--sockets", type=int, default=200, help="concurrent sockets held")
    parser.add_argument("--token-delay", type=float, default=None, help="seconds between words")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    env = os.environ.copy()
    if args.token_delay is not None:
        env["COACH_LOCAL_TOKEN_DELAY_S"] = str(args.token_delay)
    pace = env.get("COACH_LOCAL_TOKEN_DELAY_S", "0.02")
    sequential = creators(1) * args.messages
    crowd = creators(args.sockets + 1)[1:]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603  # our own interpreter and arguments
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "aurastream.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # daphne's access log
        stderr=subprocess.DEVNULL,
    )
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

        timings = asyncio.run(one_at_a_time())
        held, replied, crowd_timings = asyncio.run(hold_many(base, crowd))
    finally:
        server.terminate()
        server.wait(30)

    layer = "channels-redis" if os.environ.get("REDIS_URL") else "in-memory"
    database = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(
        f"local coach over websockets, one daphne process, layer={layer}, database={database}, pace={pace}s"
    )
    print(f"{'':34}{'p50 ms':>10}{'p95 ms':>10}")
    print(row("time to first token", [t[0] for t in timings], digits=1))
    print(row("full reply", [t[1] for t in timings]))
    print(f"\n{args.sockets} sockets: {held} open at once, then all sent a message together")
    print(f"  replies completed: {replied} of {args.sockets}")
    if crowd_timings:
        print(row("  time to first token", [t[0] for t in crowd_timings]))
        print(row("  full reply", [t[1] for t in crowd_timings]))


if __name__ == "__main__":
    main()
