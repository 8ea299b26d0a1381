from __future__ import annotations

import logging
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from aurastream.outages import BROKER_DOWN, DATABASE_DOWN

from . import services
from .models import GenerationJob

logger = logging.getLogger(__name__)

CRASHED = "Something went wrong on our side while making this. Nothing was charged; please try again."
TOO_LONG = "This took longer than it should. Nothing was charged; please try again."
# The database may be down for a while (a restart, a failover): try again for about five
# minutes in all; after that the sweep takes the job over.
DATABASE_RETRIES = 10


def _backoff(retries: int, cap: int = 30) -> int:
    return min(2 ** (retries + 1), cap)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    bind=True,
    name="generation.job_run",
    max_retries=3,
    soft_time_limit=settings.GENERATION_SOFT_TIME_LIMIT,
    time_limit=settings.GENERATION_SOFT_TIME_LIMIT + 30,
    # The claim, the progress (from the heartbeat thread) and the storing commit on their own
    # so watchers see the job move; the service opens the acting-user transactions itself.
    acting_user_transaction=False,
)
def job_run_task(self, job_id: str) -> None:
    """Run one generation job. Safe to deliver twice: the service is idempotent."""
    job_uuid = uuid.UUID(job_id)
    try:
        services.job_run(job_id=job_uuid, attempt=self.request.id or "")
    except GenerationJob.DoesNotExist:
        # The creator deleted their account (and the job) before it ran.
        logger.info("generation job %s no longer exists", job_id)
    except DATABASE_DOWN as error:
        # Not the job's fault: wait for the database. If it stays down past the retries, the
        # job is still queued or running in the database and the sweep takes it over.
        logger.warning("generation job %s: database unreachable (%s); retrying", job_id, error)
        raise self.retry(
            exc=error, countdown=_backoff(self.request.retries), max_retries=DATABASE_RETRIES
        ) from error
    except services.RetryableJobError as error:
        if self.request.retries < self.max_retries:
            countdown = _backoff(self.request.retries)
            services.job_wait_for_retry(
                job_id=job_uuid,
                notice=f"{error.message} Trying again in {countdown} seconds "
                f"(attempt {self.request.retries + 2} of {self.max_retries + 1}).",
            )
            raise self.retry(exc=error, countdown=countdown) from error
        _fail(job_uuid, error.message)
    except SoftTimeLimitExceeded:
        _fail(job_uuid, TOO_LONG)
    except Exception:
        logger.exception("generation job %s crashed", job_id)
        _fail(job_uuid, CRASHED)


def _fail(job_id: uuid.UUID, reason: str) -> None:
    """Fail and refund the job now, or, if the database is down, from a task that retries."""
    try:
        services.job_fail(job_id=job_id, reason=reason)
    except DATABASE_DOWN:
        try:
            job_fail_task.apply_async(args=[str(job_id), reason], countdown=_backoff(0))
        except BROKER_DOWN:
            logger.warning("generation job %s: can't fail it now; the sweep will", job_id)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    bind=True,
    name="generation.job_fail",
    autoretry_for=DATABASE_DOWN,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=20,
    # The service opens its own transaction, so a database that is down raises where
    # autoretry_for sees it.
    acting_user_transaction=False,
)
def job_fail_task(self, job_id: str, reason: str) -> None:
    """Fail a job and give its reservation back, retrying while the database is unreachable."""
    services.job_fail(job_id=uuid.UUID(job_id), reason=reason)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="generation.jobs_sweep",
    expires=settings.GENERATION_SWEEP_SECONDS,
    # System work, one short transaction per job (services.jobs_sweep).
    acting_user_transaction=False,
)
def jobs_sweep_task() -> None:
    """Resend lost jobs, requeue dead workers' jobs, refund the abandoned (services.jobs_sweep)."""
    report = services.jobs_sweep()
    if report.sent or report.requeued or report.failed or report.broker_down:
        logger.info("jobs sweep: %s", report)
