"""How many transactions the worker commits to make a job: each is a round trip and an fsync on
PostgreSQL, and a job's progress is only worth committing when someone can see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from aurastream.celery import app as celery_app
from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest, making
from library.models import Asset, Rendition
from tests.factories import PlanGrantFactory

# Real commits: the test's own transaction would turn every one of them into a savepoint.
pytestmark = pytest.mark.django_db(transaction=True)

THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Ranked grind night, "RANKED GRIND"', seed=7)
EMOTE_PACK = JobRequest(
    spec_key="twitch.emote",
    prompt="purple cat",
    pack="emote_pack",
    pack_items=["GG", "HYPE", "LOL", "RIP", "POG", "love heart"],
    seed=7,
)


@contextmanager
def commits_counted() -> Iterator[list[str]]:
    """Every transaction the connection commits: an atomic block's COMMIT, or a statement run
    in autocommit mode (its own transaction)."""
    committed: list[str] = []
    real_commit = connection.commit

    def commit() -> None:
        committed.append("COMMIT")
        real_commit()

    def outside_atomic(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        # SQLite's backend opens each atomic block with a BEGIN statement of its own.
        if not connection.in_atomic_block and not sql.startswith("BEGIN"):
            committed.append(sql)
        return execute(sql, params, many, context)

    connection.commit = commit  # type: ignore[method-assign]  # counting, then put back
    try:
        with connection.execute_wrapper(outside_atomic):
            yield committed
    finally:
        del connection.commit  # the class's method again


@pytest.fixture
def tasks_queued(monkeypatch) -> Iterator[None]:
    """Tasks go to the broker, as in production, instead of running here: the job waits for
    ``job_run`` below, and the emails it queues are another worker's transactions."""
    monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
    celery_app.control.purge()
    yield
    celery_app.control.purge()


def queued(user, request: JobRequest) -> GenerationJob:
    job, _ = services.job_create(user=user, request=request)
    assert GenerationJob.objects.get(pk=job.pk).status == GenerationJob.Status.QUEUED
    return job


def test_a_thumbnail_job_commits_three_transactions(user, tasks_queued):
    job = queued(user, THUMBNAIL)

    with commits_counted() as committed:
        services.job_run(job_id=job.pk, attempt="attempt-1")

    job.refresh_from_db()
    assert (job.status, job.stage, job.progress) == ("succeeded", "done", 100)
    assert Rendition.objects.filter(asset__source_job_id=job.pk).count() == 1
    # Whose job it is; the claim (with what is already stored); the files, their rows and the
    # charge together.
    assert len(committed) == 3, committed


def test_a_six_emote_pack_stores_its_eighteen_files_in_one_transaction(user, tasks_queued, monkeypatch):
    # Made well within the time after which made items are stored, even on a loaded machine.
    monkeypatch.setattr(making, "STORE_AFTER_SECONDS", 60)
    PlanGrantFactory(user=user, plan="pro")
    job = queued(user, EMOTE_PACK)

    with commits_counted() as committed:
        services.job_run(job_id=job.pk, attempt="attempt-1")

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert Asset.objects.filter(source_job_id=job.pk).count() == 6
    assert Rendition.objects.filter(asset__source_job_id=job.pk).count() == 18
    assert len(committed) == 3, committed


def test_items_that_take_long_to_make_are_stored_as_they_are_made(user, tasks_queued, monkeypatch):
    # As with an image model taking seconds an item: a worker that dies loses little work.
    monkeypatch.setattr(making, "STORE_AFTER_SECONDS", 0)
    PlanGrantFactory(user=user, plan="pro")
    job = queued(user, EMOTE_PACK)

    with commits_counted() as committed:
        services.job_run(job_id=job.pk, attempt="attempt-1")

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert Rendition.objects.filter(asset__source_job_id=job.pk).count() == 18
    # Whose job, the claim, five items on their own, the last with the charge.
    assert len(committed) == 8, committed
