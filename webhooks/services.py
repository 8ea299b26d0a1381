"""Writes for outbound webhooks: endpoints and their secrets, events and their deliveries.

Events are emitted by the apps where things happen (``event_emit``): one delivery per enabled
endpoint of the workspace that receives the event's type, sent after the commit by the
``webhooks.delivery_send`` task (``delivering``). Emitting is system work: the creator whose
job finished may not be one of the workspace's admins, who alone see its webhooks.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from aurastream.db import system_work
from aurastream.outages import BROKER_DOWN
from workspaces.models import Workspace

from . import outbound
from .models import EVENT_TYPES, TEST_EVENT, Delivery, Endpoint, EndpointSecret, Event
from .signing import secret_new

logger = logging.getLogger(__name__)

# A rotated secret keeps signing (beside the new one) this long, while receivers switch.
ROTATION_OVERLAP = dt.timedelta(hours=24)


class WebhookError(Exception):
    """A change the creator asked for that can't be made; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def url_validate(url: str) -> str:
    """The URL when webhooks may be sent to it; WebhookError says why not."""
    try:
        outbound.url_check(url)
    except (outbound.Refused, outbound.Unreachable) as error:
        raise WebhookError(error.message) from error
    return url


def event_types_clean(types: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(types))
    unknown = [t for t in chosen if t not in EVENT_TYPES]
    if unknown:
        raise WebhookError(f"Unknown event type: {', '.join(unknown)}.")
    return chosen


@transaction.atomic
def endpoint_create(
    *,
    workspace: Workspace,
    url: str,
    created_by: User,
    description: str = "",
    event_types: Iterable[str] = (),
) -> Endpoint:
    """A new endpoint with its first signing secret."""
    endpoint = Endpoint.objects.create(
        workspace=workspace,
        url=url_validate(url),
        description=description,
        event_types=event_types_clean(event_types),
        created_by=created_by,
    )
    EndpointSecret.objects.create(endpoint=endpoint, secret=secret_new())
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, **changes: Any) -> Endpoint:
    """Change an endpoint's url, description, event types or whether it is enabled
    (enabling it again forgets why it was switched off)."""
    if "url" in changes:
        changes["url"] = url_validate(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = event_types_clean(changes["event_types"])
    if changes.get("enabled"):
        changes["disabled_reason"] = ""
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.save()
    return endpoint


def endpoint_delete(*, endpoint: Endpoint) -> None:
    endpoint.delete()


def secrets_live(endpoint: Endpoint) -> list[str]:
    """The secrets that sign a message now, newest first."""
    return [s.secret for s in endpoint.secrets.filter(EndpointSecret.live())]


def secret_current(endpoint: Endpoint) -> str:
    current = endpoint.secrets.filter(expires_at__isnull=True).first()
    return current.secret if current else ""


@transaction.atomic
def secret_rotate(*, endpoint: Endpoint) -> str:
    """A new current secret; the previous ones keep signing for ``ROTATION_OVERLAP`` (both
    signatures go with every message meanwhile), and long-expired ones are forgotten."""
    now = timezone.now()
    endpoint.secrets.filter(expires_at__isnull=False, expires_at__lte=now).delete()
    endpoint.secrets.filter(expires_at__isnull=True).update(expires_at=now + ROTATION_OVERLAP)
    fresh = secret_new()
    EndpointSecret.objects.create(endpoint=endpoint, secret=fresh)
    return fresh


def message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def _deliver_on_commit(deliveries: list[Delivery]) -> None:
    ids = [d.pk for d in deliveries]

    def send() -> None:
        from .tasks import delivery_send

        for delivery_id in ids:
            try:
                delivery_send.delay(delivery_id)
            except BROKER_DOWN as error:  # the sweep sends it when the broker is back
                logger.warning("webhook delivery %s could not be queued: %s", delivery_id, error)

    if ids:
        transaction.on_commit(send)


def event_emit(*, workspace_id: int, type: str, data: dict[str, Any]) -> Event | None:
    """Record that ``type`` happened in the workspace and queue its delivery to each enabled
    endpoint receiving it; None when no endpoint does (nothing is stored)."""
    with system_work():
        endpoints = [
            e for e in Endpoint.objects.filter(workspace_id=workspace_id, enabled=True) if e.receives(type)
        ]
        if not endpoints:
            return None
        event = Event.objects.create(message_id=message_id(), workspace_id=workspace_id, type=type, data=data)
        now = timezone.now()
        deliveries = Delivery.objects.bulk_create(
            [Delivery(event=event, endpoint=e, next_attempt_at=now) for e in endpoints]
        )
        _deliver_on_commit(deliveries)
    return event


def endpoint_test(*, endpoint: Endpoint) -> Delivery:
    """Send the endpoint a ``webhook.test`` event, whatever it subscribes to."""
    with system_work():
        event = Event.objects.create(
            message_id=message_id(),
            workspace_id=endpoint.workspace_id,
            type=TEST_EVENT,
            data={"endpoint_id": endpoint.pk, "message": "A test event from AuraStream."},
        )
        delivery = Delivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=timezone.now())
        _deliver_on_commit([delivery])
    return delivery


def delivery_redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery's event to its endpoint again, as a new delivery with a fresh schedule
    and the same ``webhook-id``."""
    if not delivery.endpoint.enabled:
        raise WebhookError("This endpoint is switched off; switch it on to redeliver.")
    with system_work():
        again = Delivery.objects.create(
            event_id=delivery.event_id, endpoint_id=delivery.endpoint_id, next_attempt_at=timezone.now()
        )
        _deliver_on_commit([again])
    return again
