"""The library's periodic work, run by Celery beat (see CELERY_BEAT_SCHEDULE).

Each task is safe to run twice: it only acts on what is still due when it runs. They work
creator by creator, each in that creator's own acting-user transaction, so one task run is
not one long transaction over the whole backlog.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="library.purge_deleted", acting_user_transaction=False
)
def purge_deleted() -> int:
    """Remove assets and collections whose undo window has passed (rows now, files on commit),
    and forget revoked share links past it."""
    return services.assets_purge() + services.collections_purge() + services.revoked_links_forget()


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="library.expire_assets", acting_user_transaction=False
)
def expire_assets() -> int:
    """Remove Free-plan assets past their retention; creators who now pay keep theirs."""
    return services.assets_expire()


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="library.send_expiry_notices", acting_user_transaction=False
)
def send_expiry_notices() -> int:
    """Email Free-plan creators whose assets expire soon, once per asset."""
    return services.expiry_notices_send()
