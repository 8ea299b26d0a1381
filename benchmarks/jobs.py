"""Queue-and-bookkeeping overhead of generation jobs through a real Celery worker.

Submits thumbnail jobs one after another (so no job waits behind another), lets a real
worker process run them, and prints p50/p95 of accepted→succeeded next to the render time of
the same recipe alone (measured in this process). The difference is what the queue, the
database writes, progress reporting and storage cost per job.

    DATABASE_URL=postgres://aurastream_owner@127.0.0.1:5432/aurastream_bench \
    DATABASE_APP_ROLE=aurastream REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python benchmarks/jobs.py

Without REDIS_URL it uses the embedded filesystem broker; without DATABASE_URL, SQLite. It
migrates DATABASE_URL (point it at a scratch database, not production); with
DATABASE_APP_ROLE the worker and the submitting side then connect as the app's role, as in
production, so row-level security binds them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")
if "AURASTREAM_VAR_DIR" not in os.environ:
    os.environ["AURASTREAM_VAR_DIR"] = tempfile.mkdtemp(prefix="aurastream-bench-")

import django
from roles import app_role_url  # beside this script

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from accounts.models import User
from aurastream.celery import app as celery_app
from aurastream.db import acting_user, system_work
from billing.models import PlanGrant
from generation import services
from generation.brand import brand_default_for
from generation.engine.render import render_asset
from generation.engine.types import Brief
from generation.models import GenerationJob
from generation.services.provider import image_provider
from platforms import spec_get

PROMPT = '"RANKED GRIND" neon night'


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load() -> str:
    return Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "?"


def as_app_role() -> None:
    """From here on this process connects as the app's role too."""
    role = settings.DATABASE_APP_ROLE
    if connection.vendor == "postgresql" and role and role != connection.settings_dict["USER"]:
        connections.close_all()
        connection.settings_dict["USER"] = role
        connection.settings_dict["PASSWORD"] = os.environ.get("DATABASE_APP_PASSWORD", "")


def finished(user: User, job: GenerationJob) -> GenerationJob:
    """Poll the job's row, as the job page does, until it is finished."""
    while True:
        with acting_user(user.pk):
            job = GenerationJob.objects.get(pk=job.pk)
        if job.is_finished:
            return job
        time.sleep(0.005)


def submitted(user: User, request: services.JobRequest) -> GenerationJob:
    """Accept a job as a request does: acting for the creator."""
    with acting_user(user.pk):
        job, _ = services.job_create(user=user, request=request)
    return job


def render_alone(user: User, runs: int) -> list[float]:
    spec = spec_get("youtube.thumbnail")
    brand = brand_default_for(user)
    times = []
    for seed in range(runs):
        started = time.perf_counter()
        render_asset(spec=spec, brief=Brief(prompt=PROMPT), brand=brand, seed=seed, provider=image_provider())
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=50)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    with system_work():
        user, _ = User.objects.get_or_create(email="benchmark@aurastream.local")
        # Studio: unlimited generations, so the benchmark never hits the Free quota.
        PlanGrant.objects.get_or_create(user=user, plan="studio", defaults={"starts_at": timezone.now()})
    as_app_role()
    env = {
        **os.environ,
        "DATABASE_URL": app_role_url(os.environ.get("DATABASE_URL", ""), settings.DATABASE_APP_ROLE),
    }

    print(f"load average before: {load()}")
    celery_app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "aurastream", "worker", "--queues", "priority,default",
            "--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        # Warm the worker up (imports, font loading) before measuring.
        finished(user, submitted(user, services.JobRequest("youtube.thumbnail", PROMPT)))

        latencies: list[float] = []
        for index in range(args.jobs):
            job = finished(
                user, submitted(user, services.JobRequest("youtube.thumbnail", PROMPT, seed=index))
            )
            assert job.status == GenerationJob.Status.SUCCEEDED, job.error
            assert job.finished_at is not None
            latencies.append((job.finished_at - job.created_at).total_seconds())
    finally:
        worker.terminate()
        worker.wait(30)

    with acting_user(user.pk):
        render = render_alone(user, runs=max(10, args.jobs // 5))
    render_p50 = statistics.median(render)
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    broker = "redis" if os.environ.get("REDIS_URL") else "filesystem"
    database = "sqlite"
    if connection.vendor == "postgresql":
        database = f"postgresql as {connection.settings_dict['USER']}"
    print(f"{args.jobs} thumbnail jobs (1280×720), one at a time, broker={broker}, database={database}")
    print(f"{'':28}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'accepted → succeeded':28}{p50 * 1000:>10.0f}{p95 * 1000:>10.0f}")
    print(f"{'render alone':28}{render_p50 * 1000:>10.0f}{percentile(render, 0.95) * 1000:>10.0f}")
    print(f"{'queue + bookkeeping (p50)':28}{(p50 - render_p50) * 1000:>10.0f}")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
