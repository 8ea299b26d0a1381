"""The coach's periodic work, run by Celery beat (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="coach.purge_deleted", acting_user_transaction=False
)
def purge_deleted() -> int:
    """Remove sessions (and their messages) whose undo window has passed."""
    return services.sessions_purge()
