"""Brand kits' periodic work, run by Celery beat (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="brandkits.purge_deleted", acting_user_transaction=False
)
def purge_deleted() -> int:
    """Remove kits and images whose undo window has passed (rows now, files on commit)."""
    return services.brand_kits_purge() + services.media_purge()
