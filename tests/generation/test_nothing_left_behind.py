"""No job left behind: jobs the broker never got or lost, workers that died, generation paused
while the job queue is down. Tasks run eagerly here; tests/faults/ stops the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from billing.models import UsageEntry
from generation import services, tasks
from generation.models import GenerationJob
from generation.services import JobRequest, dispatch, making
from library.models import Asset

pytestmark = pytest.mark.django_db

THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Ranked grind night, "RANKED GRIND"', seed=7)


def usage_state(job: GenerationJob) -> str:
    return UsageEntry.objects.get(reference=job.usage_reference).state


@pytest.fixture
def broker_refuses(monkeypatch):
    """The broker takes no message (Redis stopped between accepting the job and queuing it)."""

    def refuse(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.job_run_task, "apply_async", refuse)
    return monkeypatch


@pytest.fixture
def queue_down(monkeypatch):
    monkeypatch.setattr("aurastream.outages.broker_available", lambda: False)


def test_a_job_the_broker_refused_after_commit_is_sent_by_the_sweep(
    user, broker_refuses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job, created = services.job_create(user=user, request=THUMBNAIL)

    job.refresh_from_db()
    assert created
    assert (job.status, job.dispatched_at) == (GenerationJob.Status.QUEUED, None)
    assert job.waiting_notice == "Waiting for a free worker."
    assert usage_state(job) == UsageEntry.State.RESERVED

    broker_refuses.undo()
    report = services.jobs_sweep()

    job.refresh_from_db()
    assert report.sent == 1
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert usage_state(job) == UsageEntry.State.CHARGED
    assert Asset.objects.filter(source_job_id=job.pk).count() == 1


def test_the_sweep_leaves_recently_sent_jobs_alone_and_resends_old_ones(user, broker_refuses, settings):
    job, _ = services.job_create(user=user, request=THUMBNAIL)  # sent (no commit here: never runs)
    sent: list[object] = []

    def publish(job: GenerationJob) -> bool:
        sent.append(job.pk)
        return True

    broker_refuses.setattr(dispatch, "publish", publish)

    assert services.jobs_sweep().sent == 0

    GenerationJob.objects.filter(pk=job.pk).update(
        dispatched_at=timezone.now() - dt.timedelta(seconds=settings.GENERATION_REDISPATCH_SECONDS + 1)
    )
    assert services.jobs_sweep().sent == 1
    job.refresh_from_db()
    assert (sent, job.dispatches) == ([job.pk], 2)
    assert "sent it to the queue again" in job.waiting_notice
    # The next resend waits twice as long.
    GenerationJob.objects.filter(pk=job.pk).update(
        dispatched_at=timezone.now() - dt.timedelta(seconds=settings.GENERATION_REDISPATCH_SECONDS + 1)
    )
    assert services.jobs_sweep().sent == 0


def test_while_the_broker_is_down_the_sweep_keeps_jobs_queued_and_reserved(user, broker_refuses):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    GenerationJob.objects.filter(pk=job.pk).update(dispatched_at=None)

    report = services.jobs_sweep()

    job.refresh_from_db()
    assert report.broker_down
    assert report.sent == 0
    assert job.status == GenerationJob.Status.QUEUED
    assert usage_state(job) == UsageEntry.State.RESERVED


def _running_silently(job: GenerationJob, *, attempts: int, seconds: float) -> None:
    GenerationJob.objects.filter(pk=job.pk).update(
        status=GenerationJob.Status.RUNNING,
        stage=GenerationJob.Stage.RENDERING,
        claimed_by="a-dead-worker",
        attempts=attempts,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds),
    )


def test_a_dead_workers_job_is_queued_again_and_finishes_with_one_charge(user, settings):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    _running_silently(job, attempts=1, seconds=settings.GENERATION_LEASE_SECONDS + 1)

    report = services.jobs_sweep()

    job.refresh_from_db()
    assert report.requeued == 1
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    assert job.attempts == 2
    assert usage_state(job) == UsageEntry.State.CHARGED
    assert Asset.objects.filter(source_job_id=job.pk).count() == 1


def test_a_requeued_job_tells_the_creator_it_is_retrying(user, settings, monkeypatch, auth_client):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    _running_silently(job, attempts=1, seconds=settings.GENERATION_LEASE_SECONDS + 1)
    monkeypatch.setattr(dispatch, "publish", lambda job: True)  # sent, not yet picked up

    services.jobs_sweep()

    page = auth_client.get(reverse("generation:job", args=[job.pk])).content.decode()
    assert "The worker making this stopped, so it&#x27;s queued again (attempt 2 of 3)." in page


def test_a_live_workers_job_is_left_alone(user, settings):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    _running_silently(job, attempts=1, seconds=settings.GENERATION_LEASE_SECONDS / 3)

    assert services.jobs_sweep().requeued == 0
    # A second delivery of its message does nothing while the first attempt is alive.
    services.job_run(job_id=job.pk, attempt="a-second-delivery")

    job.refresh_from_db()
    assert (job.status, job.claimed_by, job.attempts) == (GenerationJob.Status.RUNNING, "a-dead-worker", 1)
    assert not Asset.objects.filter(source_job_id=job.pk).exists()


def test_a_job_whose_workers_die_every_time_is_failed_and_refunded_once(user, settings):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    _running_silently(
        job, attempts=settings.GENERATION_MAX_ATTEMPTS, seconds=settings.GENERATION_LEASE_SECONDS + 1
    )

    report = services.jobs_sweep()
    services.jobs_sweep()

    job.refresh_from_db()
    assert report.failed == 1
    assert job.status == GenerationJob.Status.FAILED
    assert "Nothing was charged" in job.error
    assert usage_state(job) == UsageEntry.State.RELEASED
    assert UsageEntry.objects.filter(reference=job.usage_reference).count() == 1


def test_a_job_no_worker_took_in_time_is_failed_and_refunded(user, settings):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    GenerationJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=settings.GENERATION_QUEUE_PATIENCE + 1)
    )

    assert services.jobs_sweep().failed == 1

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.FAILED
    assert "No worker was free" in job.error
    assert usage_state(job) == UsageEntry.State.RELEASED


def test_an_attempt_taken_over_stops_without_charging_or_deleting(user, settings, monkeypatch):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    real_progress = making._job_progress

    def taken_over_midway(run, *, stage, progress):
        if stage == GenerationJob.Stage.STORING:
            # The sweep took this attempt for dead and another attempt claimed the job.
            GenerationJob.objects.filter(pk=run.job.pk).update(claimed_by="the-next-attempt")
        real_progress(run, stage=stage, progress=progress)

    monkeypatch.setattr(making, "_job_progress", taken_over_midway)
    services.job_run(job_id=job.pk, attempt="the-first-attempt")

    job.refresh_from_db()
    assert (job.status, job.claimed_by) == (GenerationJob.Status.RUNNING, "the-next-attempt")
    assert usage_state(job) == UsageEntry.State.RESERVED
    assert not Asset.objects.filter(source_job_id=job.pk).exists()  # the next attempt stores it


# --- Generation paused while the job queue is down ----------------------------------------


def test_with_the_queue_down_starting_a_job_is_refused_and_charges_nothing(user, queue_down):
    from aurastream.outages import GenerationPaused

    with pytest.raises(GenerationPaused):
        services.job_create(user=user, request=THUMBNAIL)

    assert not GenerationJob.objects.exists()
    assert not UsageEntry.objects.exists()


def test_the_create_form_says_generation_is_paused(auth_client, queue_down):
    response = auth_client.post(
        reverse("generation:generate"),
        {"spec_key": "youtube.thumbnail", "prompt": "ranked night", "variants": 1, "idempotency_key": "k1"},
    )

    assert response.status_code == 503
    assert "Generation is paused for a moment" in response.content.decode()
    assert "Nothing was charged" in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_the_api_answers_503_with_retry_after_and_stores_nothing(api_client, user, queue_down):
    api_client.force_login(user)
    response = api_client.post(
        "/api/v1/generations/",
        {"platform": "youtube", "asset_type": "thumbnail", "prompt": "ranked night"},
        format="json",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "generation_paused"
    assert not GenerationJob.objects.exists()


def test_a_repeated_idempotency_key_still_returns_its_job_while_the_queue_is_down(
    api_client, user, monkeypatch
):
    api_client.force_login(user)
    body = {"platform": "youtube", "asset_type": "thumbnail", "prompt": "ranked night"}
    first = api_client.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    monkeypatch.setattr("aurastream.outages.broker_available", lambda: False)

    again = api_client.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY="same")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_the_api_says_what_a_waiting_job_waits_for(api_client, user, settings, monkeypatch):
    job, _ = services.job_create(user=user, request=THUMBNAIL)
    api_client.force_login(user)
    assert api_client.get(f"/api/v1/generations/{job.pk}/").json()["notice"] == "Waiting for a free worker."

    _running_silently(job, attempts=1, seconds=settings.GENERATION_LEASE_SECONDS + 1)
    monkeypatch.setattr(dispatch, "publish", lambda job: True)
    services.jobs_sweep()

    detail = api_client.get(f"/api/v1/generations/{job.pk}/").json()
    (listed,) = api_client.get("/api/v1/generations/").json()["results"]
    assert detail["status"] == listed["status"] == "queued"
    assert "queued again (attempt 2 of 3)" in detail["notice"]
    assert listed["notice"] == detail["notice"]
