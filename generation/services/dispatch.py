"""Handing jobs to the broker. The row is written first, so a job the broker refuses or loses
is still in the database, and the sweep (``recovery``) sends it again."""

from __future__ import annotations

import logging

from aurastream.db import acting_user
from aurastream.outages import BROKER_DOWN, DATABASE_DOWN

from ..models import GenerationJob

logger = logging.getLogger(__name__)


def enqueue(job: GenerationJob) -> None:
    """Hand a committed job to the broker. When the broker refuses, the job is marked as not
    sent and the sweep sends it as soon as the broker is back: the request still succeeds."""
    if publish(job):
        return
    try:
        with acting_user(job.user_id):
            GenerationJob.objects.filter(pk=job.pk, status=GenerationJob.Status.QUEUED).update(
                dispatched_at=None, dispatches=0
            )
    except DATABASE_DOWN:
        logger.warning("generation job %s: not sent and not marked; the sweep resends it later", job.pk)


def publish(job: GenerationJob) -> bool:
    """Send the job's task to its queue; False when the broker refuses."""
    from ..tasks import job_run_task

    try:
        job_run_task.apply_async(args=[str(job.pk)], queue=job.queue)
    except BROKER_DOWN as error:
        logger.warning("generation job %s could not be queued: %s", job.pk, error)
        return False
    return True
