"""Recovery: nothing is left behind. The attempt making a job claims it and keeps a heartbeat;
``jobs_sweep`` (every GENERATION_SWEEP_SECONDS) sends again jobs the broker never got or lost,
queues again jobs whose worker went silent, and fails (and refunds) those that waited or died
too often."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from aurastream.db import acting_user, system_work
from aurastream.outages import DATABASE_DOWN

from ..models import GenerationJob
from . import dispatch
from .finishing import job_fail, job_user_id

logger = logging.getLogger(__name__)


class AttemptSuperseded(Exception):
    """This attempt was taken for dead and the job handed to another: stop, touch nothing."""


def job_claim(*, job_id: uuid.UUID, user_id: int, attempt: str) -> GenerationJob | None:
    """Take the job for this attempt, or None when it is finished or another attempt that is
    still alive holds it (a duplicate delivery)."""
    with acting_user(user_id):
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return None
        if job.status == GenerationJob.Status.RUNNING and job.claimed_by not in ("", attempt):
            alive_since = timezone.now() - dt.timedelta(seconds=settings.GENERATION_LEASE_SECONDS)
            if job.heartbeat_at is not None and job.heartbeat_at >= alive_since:
                logger.info("generation job %s is being made by attempt %s", job_id, job.claimed_by)
                return None
        now = timezone.now()
        job.status = GenerationJob.Status.RUNNING
        job.stage = GenerationJob.Stage.PROMPTING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.claimed_by = attempt
        job.heartbeat_at = now
        job.notice = ""
        job.save(
            update_fields=[
                "status", "stage", "attempts", "started_at", "claimed_by", "heartbeat_at", "notice",
                "updated_at",
            ]
        )  # fmt: skip
        return job


class Heartbeat:
    """A thread that tells the sweep this attempt is alive, every GENERATION_HEARTBEAT_SECONDS,
    even while one stage (a slow provider call) takes long. It dies with its process, which is
    the point: a silent job is a dead worker's job.

    It also carries the job's latest stage and progress (``report``) to the row, coalesced: at
    most once every GENERATION_PROGRESS_SECONDS, so a job made within that time commits no
    progress at all, and a stage that lasts longer shows on the job page within that time.
    Without a heartbeat (GENERATION_HEARTBEAT_SECONDS = 0) only the claim and the end are
    written."""

    def __init__(self, job: GenerationJob, attempt: str) -> None:
        self.job = job
        self.attempt = attempt
        self.interval = settings.GENERATION_HEARTBEAT_SECONDS
        self.progress_interval = settings.GENERATION_PROGRESS_SECONDS
        self.lost = False  # a write found the job no longer this attempt's (canceled, taken over)
        self._lock = threading.Lock()
        self._pending: tuple[str, int] | None = None
        # The claim has just written the first stage and the first heartbeat.
        self._beat_at = self._progress_at = time.monotonic()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        if self.interval > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def report(self, stage: str, progress: int) -> None:
        """The job's stage and progress now; the thread writes the latest one when it is due."""
        with self._lock:
            self._pending = (stage, progress)
        self._wake.set()

    def _due(self) -> float:
        with self._lock:
            pending = self._pending is not None
        beat = self._beat_at + self.interval
        return min(beat, self._progress_at + self.progress_interval) if pending else beat

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                wait = self._due() - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    self._wake.clear()
                    continue
                self._write()
        finally:
            connection.close()  # this thread's own connection

    def _write(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        now = timezone.now()
        fields: dict[str, Any] = {"heartbeat_at": now}
        if pending is not None:
            fields.update(stage=pending[0], progress=pending[1], updated_at=now)
            self._progress_at = time.monotonic()
        self._beat_at = time.monotonic()
        try:
            with acting_user(self.job.user_id):
                updated = GenerationJob.objects.filter(
                    pk=self.job.pk, status=GenerationJob.Status.RUNNING, claimed_by=self.attempt
                ).update(**fields)
        except DATABASE_DOWN as error:
            logger.warning("generation job %s: heartbeat not written: %s", self.job.pk, error)
            close_old_connections()
            return
        if not updated:
            self.lost = True


# --- The sweep ---------------------------------------------------------------------------------

RESENT = "Still waiting for a worker: we sent it to the queue again."
RETRYING = "The worker making this stopped, so it's queued again (attempt {next} of {limit})."
GAVE_UP_WORKERS = (
    "Our workers stopped while making this, {limit} times, so we gave up. Nothing was charged; "
    "please try again."
)
GAVE_UP_QUEUE = "No worker was free to make this in time. Nothing was charged; please try again."


@dataclass
class SweepReport:
    sent: int = 0  # queued jobs (re)sent to the broker
    requeued: int = 0  # running jobs whose worker went silent, queued again
    failed: int = 0  # jobs given up on, failed and refunded
    broker_down: bool = False


def _resend_after(dispatches: int) -> dt.timedelta:
    """How long a sent job may wait unstarted before it is sent again: doubling, up to 10 min."""
    seconds = settings.GENERATION_REDISPATCH_SECONDS * 2 ** max(dispatches - 1, 0)
    return dt.timedelta(seconds=min(seconds, 600))


def jobs_sweep() -> SweepReport:
    """Leave no job behind: send queued jobs the broker never got or lost, queue again running
    jobs whose worker stopped writing its heartbeat, and fail (and refund) those that waited or
    died too often. Safe to run anywhere, any number of times at once: every change is
    conditional on the state it saw.
    """
    report = SweepReport()
    now = timezone.now()
    silent_since = now - dt.timedelta(seconds=settings.GENERATION_LEASE_SECONDS)
    with system_work():
        running = list(
            GenerationJob.objects.filter(status=GenerationJob.Status.RUNNING)
            .filter(
                Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True, updated_at__lt=silent_since)
            )
            .values_list("pk", flat=True)
        )
    for job_id in running:
        _requeue_silent(job_id, silent_since, report)
    with system_work():
        queued = list(
            GenerationJob.objects.filter(status=GenerationJob.Status.QUEUED).only(
                "pk", "user_id", "queue", "created_at", "dispatched_at", "dispatches"
            )
        )
    patience = now - dt.timedelta(seconds=settings.GENERATION_QUEUE_PATIENCE)
    for job in queued:
        if job.created_at < patience:
            job_fail(job_id=job.pk, reason=GAVE_UP_QUEUE)
            report.failed += 1
        elif report.broker_down:
            continue
        elif job.dispatched_at is None or job.dispatched_at < now - _resend_after(job.dispatches):
            _resend(job, report, notice=RESENT if job.dispatches else "")
    return report


def _requeue_silent(job_id: uuid.UUID, silent_since: dt.datetime, report: SweepReport) -> None:
    limit = settings.GENERATION_MAX_ATTEMPTS
    with system_work():
        job = (
            GenerationJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=GenerationJob.Status.RUNNING)
            .first()
        )
        if job is None or (job.heartbeat_at is not None and job.heartbeat_at >= silent_since):
            return  # finished, locked by its worker right now, or alive after all
        logger.warning("generation job %s: attempt %s went silent", job.pk, job.claimed_by)
        if job.attempts >= limit:
            give_up = True
        else:
            give_up = False
            job.status = GenerationJob.Status.QUEUED
            job.stage = GenerationJob.Stage.QUEUED
            job.claimed_by = ""
            job.dispatched_at = None
            job.dispatches = 0
            job.notice = RETRYING.format(next=job.attempts + 1, limit=limit)
            job.save(
                update_fields=[
                    "status", "stage", "claimed_by", "dispatched_at", "dispatches", "notice", "updated_at",
                ]
            )  # fmt: skip
    if give_up:
        job_fail(job_id=job.pk, reason=GAVE_UP_WORKERS.format(limit=limit))
        report.failed += 1
    else:
        report.requeued += 1
        _resend(job, report, notice=job.notice)


def _resend(job: GenerationJob, report: SweepReport, *, notice: str) -> None:
    if report.broker_down or not dispatch.publish(job):
        report.broker_down = True
        return
    report.sent += 1
    with system_work():
        changes: dict[str, Any] = {"dispatched_at": timezone.now(), "dispatches": F("dispatches") + 1}
        if notice:
            changes["notice"] = notice
        GenerationJob.objects.filter(pk=job.pk, status=GenerationJob.Status.QUEUED).update(**changes)


def job_wait_for_retry(*, job_id: uuid.UUID, notice: str) -> None:
    """Show a job as waiting again (its task retries later), with why, in words."""
    with acting_user(job_user_id(job_id)):
        GenerationJob.objects.filter(pk=job_id, status=GenerationJob.Status.RUNNING).update(
            status=GenerationJob.Status.QUEUED,
            stage=GenerationJob.Stage.QUEUED,
            notice=notice,
            dispatched_at=timezone.now(),
            updated_at=timezone.now(),
        )
