"""Webhook deliveries: each a small task around ``delivering.delivery_attempt``, which says
when to try again; the sweep (beat) sends the ones whose message was lost."""

from __future__ import annotations

import logging

from celery import shared_task

from aurastream.outages import BROKER_DOWN

from . import delivering

logger = logging.getLogger(__name__)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="webhooks.delivery_send", acting_user_transaction=False
)
def delivery_send(delivery_id: int) -> None:
    """One attempt at a delivery (system work, in the service's own transactions); a failed
    one is queued again for when the schedule says."""
    wait = delivering.delivery_attempt(delivery_id=delivery_id)
    if wait is None:
        return
    try:
        delivery_send.apply_async(args=[delivery_id], countdown=wait)
    except BROKER_DOWN as error:  # the sweep sends it when it is due
        logger.warning("webhook delivery %s: retry not queued: %s", delivery_id, error)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="webhooks.deliveries_sweep", acting_user_transaction=False
)
def deliveries_sweep() -> int:
    """Send again the deliveries whose attempt is overdue (a lost message, a dead worker)."""
    due = delivering.deliveries_due()
    for delivery_id in due:
        try:
            delivery_send.delay(delivery_id)
        except BROKER_DOWN as error:
            logger.warning("webhook delivery %s: not queued by the sweep: %s", delivery_id, error)
            break
    return len(due)


@shared_task(  # type: ignore[call-overload]  # acting_user_transaction is our Task option
    name="webhooks.events_forget", acting_user_transaction=False
)
def events_forget() -> int:
    """Forget events (and their delivery log) older than a month."""
    return delivering.events_forget()
