from __future__ import annotations

import logging
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services
from .models import GenerationJob

logger = logging.getLogger(__name__)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    bind=True,
    name="generation.job_run",
    max_retries=3,
    soft_time_limit=settings.GENERATION_SOFT_TIME_LIMIT,
    time_limit=settings.GENERATION_SOFT_TIME_LIMIT + 30,
    # Each stage commits on its own so watchers see progress; the service opens the
    # acting-user transactions itself.
    acting_user_transaction=False,
)
def job_run_task(self, job_id: str) -> None:
    """Run one generation job. Safe to deliver twice: the service is idempotent."""
    job_uuid = uuid.UUID(job_id)
    try:
        services.job_run(job_id=job_uuid)
    except GenerationJob.DoesNotExist:
        # The creator deleted their account (and the job) before it ran.
        logger.info("generation job %s no longer exists", job_id)
    except services.RetryableJobError as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
        services.job_fail(job_id=job_uuid, reason=error.message)
    except SoftTimeLimitExceeded:
        services.job_fail(
            job_id=job_uuid, reason="This took longer than it should. Nothing was charged; please try again."
        )
    except Exception:
        logger.exception("generation job %s crashed", job_id)
        services.job_fail(
            job_id=job_uuid,
            reason=(
                "Something went wrong on our side while making this. Nothing was charged; please try again."
            ),
        )
