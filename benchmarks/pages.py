"""The page budget: each page and the assets API against a bare view, on the production layout.

Builds a creator with 500 assets (real rows: jobs, assets, files' rows, collections, tags) as
the database's owner, then starts gunicorn exactly as deployed (``deploy/gunicorn.conf.py``,
its workers, production settings: DEBUG off, hashed static files, Redis cache, cached
sessions) connecting as the app's role, so row-level security binds every request. The
settings module is ``benchmarks/pages_site.py``: production's plus one URL, ``/bench/bare/``,
a view that does nothing, served by the same workers through the same middleware (the
creator's session, account, workspace, acting-user transaction, analytics).

A load generator in this process (asyncio, 32 connections, a new connection per request as
nginx → gunicorn's sync workers) then asks for the bare view, /library/, an asset page,
/create/, /dashboard/ and ``GET /api/v1/assets/`` (a bearer token) in interleaved slots, each
target several times in a shuffled order, and prints req/s, p50/p95/p99 and the ratio of each
to the bare view's throughput, with ``/proc/loadavg`` before and after. It also reads the CPU
that gunicorn and the database's PostgreSQL backends spent on each slot (``/proc``), and
prints it per request with the ratio it gives: unlike throughput, that doesn't move with
whatever else the machine is running.

    DATABASE_URL=postgres://aurastream_owner@127.0.0.1:5432/aurastream_pw \\
    DATABASE_APP_ROLE=aurastream REDIS_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/python benchmarks/pages.py [--port 18001] [--slot 3] [--rounds 5]

``--soak 300`` instead asks for one light view (the bare one) for 300 s with the recycling
settings of ``deploy/gunicorn.conf.py`` and prints the p99 of every 10 s window, flagging
windows over 3× the median window (a restart stall). ``--old-recycling`` runs it with the
settings this project had before (``max_requests`` 1000 ± 100, no preload) for comparison.

Point it at a scratch database and Redis database, never production: it migrates, builds its
rows (a second run reuses them; ``--rebuild`` makes them again) and empties its analytics key.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import runpy
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
# The session's and the row-level security marker's key: the same for the builder and gunicorn.
os.environ.setdefault("SECRET_KEY", "benchmark-pages-" + "k" * 48)
# One creator asks thousands of times a minute: the per-user throttle would answer 429.
os.environ.setdefault("API_THROTTLE_USER", "100000000/min")
os.environ["ANALYTICS_BUFFER_KEY"] = "analytics:bench-pages"
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")

import django
import psycopg
import redis

django.setup()

from api_lists import build as build_jobs  # beside this script (sys.path[0])
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from accounts.models import User
from aurastream.api.tokens import BoundRefreshToken
from aurastream.db import system_work
from library.models import Asset, Collection, Tag
from workspaces.models import fill_workspaces

HOST = "127.0.0.1"
EMAIL = "benchmark-pages@aurastream.local"
ASSETS = 500
CONNECTIONS = 32
# Every page: at least this share of the bare view's throughput, and p95 at most this.
RATIO_BUDGET = 0.2
P95_BUDGET_S = 0.100
STATIC_ROOT = Path(tempfile.gettempdir()) / "aurastream-bench-pages-static"
# 300 jobs of api_lists' mix make 510 assets; the oldest extra ones are removed.
JOBS = 300


# --- The creator -----------------------------------------------------------------------------


def build(user: User) -> None:
    """500 assets of ``user`` with their jobs and files' rows, four collections and eight tags."""
    build_jobs(user, JOBS)
    Collection.all_objects.filter(owner=user).delete()
    Tag.objects.filter(owner=user).delete()
    extra = Asset.objects.filter(owner=user).order_by("created_at").values_list("pk", flat=True)
    Asset.objects.filter(pk__in=list(extra[: max(0, extra.count() - ASSETS)])).delete()
    collections = [Collection(owner=user, name=name) for name in ("Ranked", "Halloween", "Emotes", "Banners")]
    tags = [
        Tag(owner=user, name=name) for name in ("neon", "fox", "ranked", "cute", "red", "sub", "v2", "final")
    ]
    fill_workspaces(collections)
    fill_workspaces(tags)
    Collection.objects.bulk_create(collections)
    Tag.objects.bulk_create(tags)
    assets = list(Asset.objects.filter(owner=user).order_by("created_at"))
    links = []
    for index, asset in enumerate(assets):
        asset.collection = collections[index % 4] if index % 2 else None
        asset.favourite = index % 7 == 0
        links += [Asset.tags.through(asset=asset, tag=tags[(index + k) % 8]) for k in range(index % 3)]
    Asset.objects.bulk_update(assets, ["collection", "favourite"], batch_size=500)
    Asset.tags.through.objects.bulk_create(links)


def creator(rebuild: bool) -> tuple[User, str, str, str]:
    """The creator (built when missing), their session cookie, a bearer token and an asset's id."""
    with system_work():
        user, _ = User.objects.get_or_create(email=EMAIL, defaults={"display_name": "Fox Den"})
        if rebuild or Asset.objects.filter(owner=user).count() != ASSETS:
            build(user)
            with connection.cursor() as cursor:  # the statistics autovacuum keeps in use
                for table in ("generation_generationjob", "library_asset", "library_rendition"):
                    cursor.execute(f"ANALYZE {table}")
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        token = str(BoundRefreshToken.for_user(user).access_token)
        asset = Asset.objects.filter(owner=user).order_by("-created_at").values_list("pk", flat=True)[60]
    return user, cookie, token, str(asset)


# --- gunicorn --------------------------------------------------------------------------------


def collect_static() -> None:
    """Production serves hashed, compressed static files: collect them once into a cache."""
    if (STATIC_ROOT / "staticfiles.json").exists():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.pages_site", **production_env()},
        check=True,
    )


def production_env() -> dict[str, str]:
    database = settings.DATABASES["default"]
    role = settings.DATABASE_APP_ROLE or database["USER"]
    url = f"postgres://{role}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The page budget is measured on PostgreSQL: set DATABASE_URL (see the docstring).")
    return {
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": HOST,
        "STATIC_ROOT": str(STATIC_ROOT),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
    }


def start_gunicorn(port: int, extra: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **production_env(),
        "DJANGO_SETTINGS_MODULE": "benchmarks.pages_site",
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_ACCESS_LOG": str(log.with_suffix(".access")),
        "GUNICORN_ERROR_LOG": str(log),
        **extra,
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(ROOT / ".venv/bin/gunicorn"), "aurastream.wsgi:application", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        try:
            if asyncio.run(fetch(port, "/healthz", {}))[0] == 200:
                return server
        except OSError:
            pass  # not listening yet: ask again
        time.sleep(0.3)
    stop(server)
    raise SystemExit(f"gunicorn did not answer in 60 s; see {log}")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()


# --- The load generator ------------------------------------------------------------------------


async def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """One GET on a new connection, as nginx makes them: (status, body bytes)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Connection: close", "X-Forwarded-Proto: https"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), len(body)


async def hammer(
    port: int, path: str, headers: dict[str, str], seconds: float
) -> tuple[list[float], int, float]:
    """CONNECTIONS clients asking for ``path`` back to back for ``seconds``: (latencies in s,
    failures, the seconds it really took)."""
    latencies: list[float] = []
    failures = 0
    end = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal failures
        while time.perf_counter() < end:
            started = time.perf_counter()
            try:
                status, _ = await fetch(port, path, headers)
            except (OSError, IndexError, ValueError):
                status = 0
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                failures += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONNECTIONS)))
    return latencies, failures, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


# --- CPU spent serving: gunicorn's workers and their PostgreSQL backends ------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat's fields after the command (field 3 onwards), or [] once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return []


def serving_cpu(server: subprocess.Popen[bytes], database: Any) -> dict[tuple[str, int], int]:
    """CPU ticks so far of gunicorn (its arbiter with the workers it has reaped, and each live
    worker) and of each PostgreSQL backend serving this database, by process: what the pages
    cost the machine, whatever else runs on it (the load generator is not counted)."""
    fields = _stat(server.pid)
    ticks = {("gunicorn", server.pid): sum(int(value) for value in fields[11:15]) if fields else 0}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            child = _stat(int(entry.name))
            if child and int(child[1]) == server.pid:  # its parent
                ticks[("gunicorn", int(entry.name))] = int(child[11]) + int(child[12])
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for (pid,) in cursor.fetchall():
            backend = _stat(pid)
            if backend:
                ticks[("postgres", pid)] = int(backend[11]) + int(backend[12])
    return ticks


def cpu_between(before: dict[tuple[str, int], int], after: dict[tuple[str, int], int]) -> dict[str, float]:
    """Seconds of CPU gunicorn and PostgreSQL used between two readings. A worker that ended in
    between (recycled) moved its whole life's ticks into the arbiter's reaped children's, so
    what it had before is taken off; a backend that ended counts for nothing from the first
    reading (its last ticks can't be read)."""
    spent = {"gunicorn": 0.0, "postgres": 0.0}
    for key, ticks in after.items():
        spent[key[0]] += (ticks - before.get(key, 0)) / TICKS
    for key, ticks in before.items():
        if key[0] == "gunicorn" and key not in after:
            spent["gunicorn"] -= ticks / TICKS
    return spent


# --- The two modes ----------------------------------------------------------------------------


def budget(port: int, cookie: str, token: str, asset_id: str, slot: float, rounds: int, log: Path) -> None:
    session = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    targets = [
        ("bare view", "/bench/bare/", session),
        ("/library/", "/library/", session),
        ("asset page", f"/library/assets/{asset_id}/", session),
        ("/create/", "/create/", session),
        ("/dashboard/", "/dashboard/", session),
        ("GET /api/v1/assets/", "/api/v1/assets/", {"Authorization": f"Bearer {token}"}),
    ]
    server = start_gunicorn(port, {}, log)
    database = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        for name, path, headers in targets:  # each answers 200 before anything is timed
            status, _ = asyncio.run(fetch(port, path, headers))
            if status != 200:
                raise SystemExit(f"{name} ({path}) answered {status}; see {log}")
            asyncio.run(hammer(port, path, headers, 1.0))  # warm every worker
        print(f"loadavg before: {loadavg()}")
        results: dict[str, list] = {
            name: [[], 0, 0.0, {"gunicorn": 0.0, "postgres": 0.0}] for name, _, _ in targets
        }
        order = list(range(len(targets)))
        for _ in range(rounds):
            random.shuffle(order)
            for index in order:
                name, path, headers = targets[index]
                cpu = serving_cpu(server, database)
                latencies, failures, took = asyncio.run(hammer(port, path, headers, slot))
                for process, seconds in cpu_between(cpu, serving_cpu(server, database)).items():
                    results[name][3][process] += seconds
                results[name][0] += latencies
                results[name][1] += failures
                results[name][2] += took
        print(f"loadavg after:  {loadavg()}")
    finally:
        stop(server)
        database.close()
    bare = len(results["bare view"][0]) / results["bare view"][2]
    bare_cpu = sum(results["bare view"][3].values()) / max(1, len(results["bare view"][0]))
    workers = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))["workers"]
    print(
        f"{ASSETS} assets; gunicorn, {workers} workers (deploy/gunicorn.conf.py); {CONNECTIONS} "
        f"connections; {rounds} × {slot:g} s slots per target, interleaved"
    )
    print(
        f"{'':22}{'req/s':>8}{'ratio':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'CPU ms':>8}{'(db)':>6}{'by CPU':>8}  budget"
    )
    for name, _, _ in targets:
        latencies, failures, took, cpu = results[name]
        rate, p95 = len(latencies) / took, percentile(latencies, 0.95)
        answered = max(1, len(latencies))
        per_request, database_share = sum(cpu.values()) / answered, cpu["postgres"] / answered
        met = name == "bare view" or (rate / bare >= RATIO_BUDGET and p95 <= P95_BUDGET_S)
        print(
            f"{name:22}{rate:>8.1f}{rate / bare:>7.2f}{percentile(latencies, 0.5) * 1000:>8.1f}"
            f"{p95 * 1000:>8.1f}{percentile(latencies, 0.99) * 1000:>8.1f}{failures:>7}"
            f"{per_request * 1000:>8.1f}{database_share * 1000:>6.1f}"
            f"{bare_cpu / per_request if per_request else 0:>8.2f}  {'met' if met else 'MISSED'}"
        )
    print(
        "CPU ms: gunicorn's and PostgreSQL's CPU per answered request, (db) PostgreSQL's part (the "
        "load generator is not counted); by CPU: the bare view's over the page's, the ratio a "
        "machine with nothing else on it would give"
    )


def soak(port: int, cookie: str, seconds: int, old: bool, log: Path) -> None:
    extra = {"GUNICORN_MAX_REQUESTS": "1000", "GUNICORN_MAX_REQUESTS_JITTER": "100", "GUNICORN_PRELOAD": "0"}
    server = start_gunicorn(port, extra if old else {}, log)
    session = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    window = 10
    try:
        asyncio.run(hammer(port, "/bench/bare/", session, 2.0))  # warm
        print(f"loadavg before: {loadavg()}")
        rows = []
        for _ in range(max(1, seconds // window)):
            latencies, failures, took = asyncio.run(hammer(port, "/bench/bare/", session, window))
            rows.append(
                (len(latencies) / took, percentile(latencies, 0.5), percentile(latencies, 0.99), failures)
            )
        print(f"loadavg after:  {loadavg()}")
    finally:
        stop(server)
    restarts = sum("Autorestarting worker" in line for line in log.read_text().splitlines())
    median_p99 = statistics.median(row[2] for row in rows)
    print(
        f"soak: bare view, {CONNECTIONS} connections, {seconds} s, recycling "
        f"{'old: max_requests 1000 ± 100, no preload' if old else 'as in deploy/gunicorn.conf.py'}; "
        f"{restarts} worker restarts"
    )
    print(f"{'window':>8}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}")
    spikes = 0
    for index, (rate, p50, p99, failures) in enumerate(rows):
        spike = p99 > 3 * median_p99
        spikes += spike
        print(
            f"{index * window:>6} s{rate:>8.1f}{p50 * 1000:>8.1f}{p99 * 1000:>8.1f}{failures:>7}"
            f"{'  SPIKE' if spike else ''}"
        )
    every = [row[2] for row in rows]
    print(
        f"median window p99 {median_p99 * 1000:.1f} ms, worst {max(every) * 1000:.1f} ms; "
        f"{spikes} of {len(rows)} windows over 3× the median"
    )


def main() -> None:
    global CONNECTIONS  # the one setting the load generator reads
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18001)
    parser.add_argument("--slot", type=float, default=3.0, help="seconds of each timed slot")
    parser.add_argument("--rounds", type=int, default=5, help="slots per target")
    parser.add_argument("--rebuild", action="store_true", help="make the rows again")
    parser.add_argument(
        "--connections", type=int, default=CONNECTIONS, help="clients kept busy at once (32: the budget's)"
    )
    parser.add_argument(
        "--soak", type=int, metavar="SECONDS", help="a light view for this long, p99 per 10 s"
    )
    parser.add_argument(
        "--old-recycling", action="store_true", help="soak with max_requests 1000 ± 100, no preload"
    )
    args = parser.parse_args()
    CONNECTIONS = args.connections

    call_command("migrate", verbosity=0)
    _user, cookie, token, asset_id = creator(args.rebuild)
    collect_static()
    connections.close_all()
    buffer = redis.Redis.from_url(settings.REDIS_URL)
    buffer.delete(settings.ANALYTICS_BUFFER_KEY)
    log = Path(os.environ["AURASTREAM_VAR_DIR"]) / "gunicorn.log"
    try:
        if args.soak:
            soak(args.port, cookie, args.soak, args.old_recycling, log)
        else:
            budget(args.port, cookie, token, asset_id, args.slot, args.rounds, log)
    finally:
        buffer.delete(settings.ANALYTICS_BUFFER_KEY)


if __name__ == "__main__":
    main()
