"""What counting page views costs a request: the same pages with collection on and off.

Serves a few pages through the whole stack (Django's test client: every middleware, the
acting user, the templates) with ``ANALYTICS_ENABLED`` switched on and off in alternation,
request by request, so both sides see the same machine at the same moment, and prints per
page the median and p95 time of each side and the median difference (the collection's
overhead: deciding whether the request counts, hashing the visitor, one ``RPUSH`` to Redis
or one appended line). A last row times the collection alone (``analytics.collect`` and the
push) on a request the middleware counts.

    DATABASE_URL=postgres://aurastream_owner@127.0.0.1:5432/aurastream_bench_api \\
    DATABASE_APP_ROLE=aurastream REDIS_URL=redis://127.0.0.1:6379/3 \\
    .venv/bin/python benchmarks/analytics_overhead.py

It migrates the database it is pointed at (a scratch one, never production) and buffers into
its own Redis key, emptied at the end. Without DATABASE_URL/REDIS_URL it runs on SQLite with
the spool file, as the embedded default does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
os.environ["ANALYTICS_BUFFER_KEY"] = "analytics:bench"
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, RequestFactory

from accounts.models import User
from analytics import collect
from aurastream import events
from aurastream.db import system_work

HOST = "127.0.0.1"
EMAIL = "bench.analytics@example.com"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
# (label, path, signed in)
PAGES = [
    ("landing, signed out", "/", False),
    ("pricing, signed out", "/pricing/", False),
    ("dashboard, signed in", "/dashboard/", True),
    ("library, signed in", "/library/", True),
]


def timed(fetch: Callable[[], object]) -> float:
    started = time.perf_counter()
    fetch()
    return (time.perf_counter() - started) * 1000


def measure(client: Client, path: str, fetches: int) -> tuple[list[float], list[float]]:
    """(times with collection on, times with it off), in ms, taken in alternation."""
    on: list[float] = []
    off: list[float] = []

    def fetch() -> None:
        response = client.get(path, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 200, (path, response.status_code)

    for _ in range(5):  # warm both sides: templates, connections, today's salt
        fetch()
    for index in range(2 * fetches):
        settings.ANALYTICS_ENABLED = index % 2 == 0
        (on if settings.ANALYTICS_ENABLED else off).append(timed(fetch))
    settings.ANALYTICS_ENABLED = True
    return on, off


def collection_alone(runs: int) -> list[float]:
    """The middleware's own work on a counted request, without the page."""
    request = RequestFactory().get("/pricing/?utm_source=twitch", HTTP_USER_AGENT=BROWSER, HTTP_HOST=HOST)
    request.resolver_match = django.urls.resolve("/pricing/")
    request.user = django.contrib.auth.models.AnonymousUser()
    response = django.http.HttpResponse("<html></html>")

    def work() -> None:
        if collect.counts(request, response):
            line = collect.page_view(request)
            assert line is not None
            events.push(line)

    for _ in range(20):
        work()
    return [timed(work) for _ in range(runs)]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fetches", type=int, default=300, help="timed fetches of each page, each side")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    anonymous, signed_in = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    with system_work():
        user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(EMAIL, "bench-password-1")
        signed_in.force_login(user)
    role = settings.DATABASE_APP_ROLE
    if connection.vendor == "postgresql" and role and role != connection.settings_dict["USER"]:
        connections.close_all()  # serve as the app's role, as in production
        connection.settings_dict["USER"] = role
        connection.settings_dict["PASSWORD"] = os.environ.get("DATABASE_APP_PASSWORD", "")
    buffer = events.buffer()
    buffer.clear()

    database = "sqlite"
    if connection.vendor == "postgresql":
        database = f"postgresql as {connection.settings_dict['USER']}"
    store = "Redis list" if settings.REDIS_URL else "spool file"
    print(f"database: {database}; buffer: {store}; {args.fetches} fetches a side, alternating\n")
    print(f"{'page':<24} {'off ms':>8} {'on ms':>8} {'off p95':>8} {'on p95':>8} {'overhead ms':>12}")
    print("-" * 72)
    for label, path, needs_user in PAGES:
        on, off = measure(signed_in if needs_user else anonymous, path, args.fetches)
        overhead = statistics.median(on) - statistics.median(off)
        print(
            f"{label:<24} {statistics.median(off):>8.2f} {statistics.median(on):>8.2f} "
            f"{p95(off):>8.2f} {p95(on):>8.2f} {overhead:>12.3f}"
        )
    alone = collection_alone(2000)
    print(f"{'collection alone':<24} {'':>8} {statistics.median(alone):>8.3f} {'':>8} {p95(alone):>8.3f}")
    buffer.clear()


if __name__ == "__main__":
    main()
