"""Jobs through a real Celery worker on Redis: live stages, and a worker killed mid-job."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest
from django.conf import settings

from aurastream.celery import app as celery_app
from billing.models import UsageEntry
from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest
from library.models import Asset, Rendition
from tests.worker import Worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="needs Redis (REDIS_URL): redelivery is a broker feature"
    ),
]

STAGE_ORDER = ["queued", "prompting", "rendering", "post_processing", "validating", "storing", "done"]


@pytest.fixture
def queued(monkeypatch) -> Iterator[None]:
    """Jobs go to the real broker (not run in-process), on empty queues."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()
    yield
    celery_app.control.purge()


def watch(job: GenerationJob, *, until, timeout: float = 90) -> list[tuple[str, int]]:
    """Poll the job's row (as the job page does) and record every stage/progress seen."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        state = (job.stage, job.progress)
        if not seen or seen[-1] != state:
            seen.append(state)
        if until(job):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"timed out; saw {seen}, job is {job.status}")


def test_stages_arrive_in_order(user, queued):
    worker = Worker(slow_seconds=0.6).start()
    try:
        with_commit = JobRequest(
            spec_key="twitch.emote", prompt="x", pack="emote_pack", pack_items=["GG", "HYPE"]
        )
        job, _ = services.job_create(user=user, request=with_commit)
        seen = watch(job, until=lambda j: j.is_finished)
    finally:
        worker.stop()

    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    progress = [p for _, p in seen]
    assert progress == sorted(progress)
    assert seen[-1] == ("done", 100)
    assert "rendering" in [stage for stage, _ in seen]
    # Within an item the stages only move forward; they start over only when the job has
    # moved on to its next item (progress went up).
    for (before, before_progress), (after, after_progress) in itertools.pairwise(seen):
        forward = STAGE_ORDER.index(after) >= STAGE_ORDER.index(before)
        assert forward or after_progress > before_progress, seen


def test_a_worker_killed_mid_job_ends_with_one_set_of_assets_and_one_charge(user, queued):
    first = Worker(slow_seconds=3, CELERY_VISIBILITY_TIMEOUT="2").start()
    job, _ = services.job_create(user=user, request=JobRequest(spec_key="youtube.thumbnail", prompt='"GG"'))
    try:
        watch(job, until=lambda j: j.stage == "rendering", timeout=60)
    finally:
        first.kill()
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.RUNNING
    assert not Asset.objects.filter(source_job_id=job.pk).exists()

    second = Worker(slow_seconds=0.1, CELERY_VISIBILITY_TIMEOUT="2").start()
    try:
        watch(job, until=lambda j: j.is_finished, timeout=120)
    finally:
        second.stop()

    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert job.attempts == 2
    assert Asset.objects.filter(source_job_id=job.pk).count() == 1
    assert Rendition.objects.filter(asset__source_job_id=job.pk).count() == 1
    charges = UsageEntry.objects.filter(reference=job.usage_reference)
    assert [(e.state, e.quantity) for e in charges] == [("charged", 1)]
