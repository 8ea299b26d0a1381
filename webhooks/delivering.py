"""Delivering one event to one endpoint: an attempt, its outcome and the next attempt's time.

System work: a delivery belongs to a workspace, not to whoever's action emitted it. The row
is claimed under a lock (its ``next_attempt_at`` moved past the attempt), so a second copy of
the task, or the sweep, finds it not due and does nothing; the HTTP request runs outside any
transaction, and its outcome is written in a transaction of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time

from django.utils import timezone

from aurastream.db import acting_user

from . import outbound, signing
from .models import Delivery, EndpointSecret, Event

logger = logging.getLogger(__name__)

# Seconds to wait after each failed attempt (about 22 hours in all), then give up: the
# delivery is tried len(BACKOFF_S) + 1 times.
BACKOFF_S = (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
JITTER = 0.1  # ± this share of each wait, so a receiver that was down isn't hit all at once
# How long an attempt may hold its claim: after this, the sweep takes it for lost.
CLAIM_S = 60
EXCERPT_BYTES = 1024
GONE = 410
# How long events and their delivery log are kept (redeliverable until then).
KEEP_DAYS = 30


def backoff(attempts: int, rng: random.Random | None = None) -> int | None:
    """Seconds until the next attempt after ``attempts`` failed ones, or None: give up."""
    if attempts > len(BACKOFF_S):
        return None
    base = BACKOFF_S[attempts - 1]
    return max(1, round(base * (1 + (rng or random).uniform(-JITTER, JITTER))))


def body_of(delivery: Delivery) -> bytes:
    """The message body (Standard Webhooks' recommended shape): type, timestamp, data."""
    event = delivery.event
    payload = {"type": event.type, "timestamp": event.created_at.isoformat(), "data": event.data}
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def _claim(delivery_id: int) -> tuple[Delivery, list[str]] | None:
    """The delivery, if it is due, claimed for this attempt, with the secrets to sign with."""
    now = timezone.now()
    with acting_user(None):
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("event", "endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.is_finished:
            return None
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return None  # not due, or another attempt holds it
        if not delivery.endpoint.enabled:
            _finish(delivery, Delivery.Status.FAILED, error="The endpoint is switched off.")
            return None
        if delivery.attempts > len(BACKOFF_S):  # every try made: an attempt that crashed ends here
            _finish(
                delivery, Delivery.Status.GIVING_UP, error=delivery.last_error or "Gave up after every retry."
            )
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + dt.timedelta(seconds=CLAIM_S)
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at", "updated_at"])
        secrets = [s.secret for s in delivery.endpoint.secrets.filter(EndpointSecret.live())]
    return delivery, secrets


def _finish(delivery: Delivery, status: str, *, error: str = "") -> None:
    delivery.status = status
    delivery.next_attempt_at = None
    delivery.last_error = error[:300]
    delivery.save(
        update_fields=[
            "status",
            "next_attempt_at",
            "last_error",
            "last_status_code",
            "response_excerpt",
            "updated_at",
        ]
    )


def delivery_attempt(*, delivery_id: int) -> int | None:
    """Make one attempt at a due delivery and record it; the seconds until the next attempt
    when it should be tried again, else None (done, gave up, or not due)."""
    claimed = _claim(delivery_id)
    if claimed is None:
        return None
    delivery, secrets = claimed
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "AuraStream-Webhooks/1",
        **signing.headers(
            secrets, message_id=delivery.event.message_id, timestamp=int(time.time()), body=body
        ),
    }
    answer: outbound.Answer | None = None
    error = ""
    refused = False
    try:
        answer = outbound.post(delivery.endpoint.url, body=body, headers=headers)
    except outbound.Refused as refusal:
        error, refused = refusal.message, True
    except outbound.Unreachable as failure:
        error = failure.message
    except Exception as crash:  # whatever went wrong, the attempt is recorded and retried
        error = f"The request could not be made ({type(crash).__name__})."
    return _record(delivery.pk, answer, error=error, refused=refused)


def _record(delivery_id: int, answer: outbound.Answer | None, *, error: str, refused: bool) -> int | None:
    with acting_user(None):
        delivery = (
            Delivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery_id)
        )
        if answer is not None:
            delivery.last_status_code = answer.status
            delivery.response_excerpt = answer.body[:EXCERPT_BYTES].decode("utf-8", "replace")
            if 200 <= answer.status < 300:
                _finish(delivery, Delivery.Status.SUCCEEDED)
                return None
            error = f"The receiver answered {answer.status}."
            if answer.status == GONE:
                _endpoint_gone(delivery)
                _finish(delivery, Delivery.Status.FAILED, error=error + " The endpoint was switched off.")
                return None
        else:
            delivery.last_status_code = None
            delivery.response_excerpt = ""
        if refused:
            _finish(delivery, Delivery.Status.FAILED, error=error)
            return None
        wait = backoff(delivery.attempts)
        if wait is None:
            _finish(delivery, Delivery.Status.GIVING_UP, error=error)
            return None
        delivery.last_error = error[:300]
        delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
        delivery.save()
        return wait


def _endpoint_gone(delivery: Delivery) -> None:
    """410 Gone: the receiver asks us to stop; pending deliveries to it end at their turn."""
    endpoint = delivery.endpoint
    endpoint.enabled = False
    endpoint.disabled_reason = (
        f"Switched off on {timezone.now():%Y-%m-%d %H:%M} UTC: the receiver answered 410 Gone."
    )
    endpoint.save(update_fields=["enabled", "disabled_reason"])


def deliveries_due(*, late_by: dt.timedelta = dt.timedelta(seconds=CLAIM_S)) -> list[int]:
    """Pending deliveries whose attempt is overdue by ``late_by``: their message was lost (a
    broker restart) or their attempt died. The sweep sends them again."""
    with acting_user(None):
        return list(
            Delivery.objects.filter(
                status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now() - late_by
            ).values_list("pk", flat=True)[:500]
        )


def events_forget(*, now: dt.datetime | None = None) -> int:
    """Remove events older than ``KEEP_DAYS``, with their deliveries: the log keeps a month."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    with acting_user(None):
        removed, _by_model = Event.objects.filter(created_at__lt=cutoff).delete()
    return removed
