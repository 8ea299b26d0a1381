from __future__ import annotations

from smtplib import SMTPException
from typing import Any

from celery import shared_task

from . import services


@shared_task(
    name="accounts.email_send",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_send(message: dict[str, Any]) -> None:
    """Deliver one rendered email; a mail server hiccup is retried with backoff."""
    services.email_deliver(message=message)


@shared_task(name="accounts.notification_email")
def notification_email(user_id: int, notification_id: int) -> bool:
    """Email a finished job's notification if no open tab received it (queued with a delay)."""
    return services.notification_email_send(user_id=user_id, notification_id=notification_id)
