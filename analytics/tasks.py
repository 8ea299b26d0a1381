"""Analytics' periodic work, run by Celery beat (CELERY_BEAT_SCHEDULE): system work, safe to
run twice."""

from __future__ import annotations

from celery import shared_task

from aurastream.db import system_work

from . import services


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="analytics.rollup", acting_user_transaction=False
)
def rollup() -> int:
    """Buffered page views and product events into the database, and the days they touched
    recounted."""
    return services.rollup()


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="analytics.purge", acting_user_transaction=False
)
def purge() -> int:
    """Raw events past ANALYTICS_RAW_DAYS removed (the daily figures stay)."""
    with system_work():
        return services.purge()
