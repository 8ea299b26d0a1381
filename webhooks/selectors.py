"""Reads about webhooks, for a workspace's admins."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from accounts.models import User
from aurastream.db import system_work
from workspaces.models import Membership, Role
from workspaces.selectors import memberships_of

from .models import Delivery, Endpoint, EndpointSecret

LOG_LENGTH = 50


def admin_memberships(*, user: User) -> list[Membership]:
    """The workspaces whose webhooks the account manages (admin and above)."""
    return [m for m in memberships_of(user=user) if m.may(Role.ADMIN)]


def endpoint_list(*, workspace_id: int) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(workspace_id=workspace_id).order_by("created_at", "pk")


def endpoint_get(*, workspace_id: int, endpoint_id: int) -> Endpoint | None:
    return (
        Endpoint.objects.select_related("workspace").filter(workspace_id=workspace_id, pk=endpoint_id).first()
    )


def delivery_list(*, endpoint: Endpoint, limit: int = LOG_LENGTH) -> QuerySet[Delivery]:
    """The endpoint's latest deliveries, newest first."""
    return endpoint.deliveries.select_related("event").order_by("-created_at", "-pk")[:limit]


def delivery_get(*, workspace_id: int, delivery_id: int) -> Delivery | None:
    return (
        Delivery.objects.select_related("event", "endpoint")
        .filter(endpoint__workspace_id=workspace_id, pk=delivery_id)
        .first()
    )


def endpoint_workspace_id(endpoint_id: int) -> int | None:
    """The workspace an endpoint belongs to, for the caller to check the asker's membership
    and role before reading it (system work: row-level security shows webhooks only to
    admins, and a member below admin is told so, not told it doesn't exist)."""
    with system_work():
        return Endpoint.objects.filter(pk=endpoint_id).values_list("workspace_id", flat=True).first()


def delivery_workspace_id(delivery_id: int) -> int | None:
    """The same, for a delivery."""
    with system_work():
        found = Delivery.objects.filter(pk=delivery_id).values_list("endpoint__workspace_id", flat=True)
        return found.first()


def previous_secret_until(*, endpoint: Endpoint) -> dt.datetime | None:
    """When the last rotated secret stops signing, while it still does."""
    previous = endpoint.secrets.filter(EndpointSecret.live(), expires_at__isnull=False).order_by(
        "-expires_at"
    )
    return previous.values_list("expires_at", flat=True).first()
