"""Outbound webhooks: a workspace's endpoints, their signing secrets, the events that happened
and each event's delivery to each endpoint (the delivery log)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aurastream.crypto import EncryptedTextField
from workspaces.models import Workspace

# The events an endpoint may subscribe to, in the words the pages use.
EVENT_TYPES = {
    "job.succeeded": "A generation job finished and its assets are in the library",
    "job.failed": "A generation job failed (nothing was charged)",
    "asset.deleted": "An asset was deleted from the library",
    "subscription.changed": "The plan or the subscription's status changed",
}
# Sent only on request ("Send test event"), whatever the endpoint subscribes to.
TEST_EVENT = "webhook.test"


class Endpoint(models.Model):
    """A URL of the workspace's that receives signed events."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    # The event types it receives; empty: all of them.
    event_types = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    # Why it was switched off when it wasn't a person (the receiver answered 410 Gone).
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    def receives(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class EndpointSecret(models.Model):
    """A signing secret (Standard Webhooks: ``whsec_`` + base64 of random bytes), encrypted at
    rest. The current one has no ``expires_at``; a rotated one keeps signing until it expires."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="secrets")
    secret = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]  # newest first: the current secret signs first

    def __str__(self) -> str:
        return f"secret of {self.endpoint_id} from {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def live(cls) -> Q:
        """Secrets that still sign: the current one and rotated ones inside their overlap."""
        return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


class Event(models.Model):
    """Something that happened in a workspace, once, with the ``webhook-id`` its deliveries
    carry (the same id on every attempt and redelivery, so receivers can drop duplicates)."""

    message_id = models.CharField(max_length=40, unique=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhook_events")
    type = models.CharField(max_length=64)
    # What the receiver gets as the body's `data`.
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.message_id}"


class Delivery(models.Model):
    """One event on its way to one endpoint: attempts with backoff until a 2xx, a 410, a
    refusal or the end of the schedule."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        GIVING_UP = "giving_up", "Gave up"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due (or, during an attempt, when it counts as lost).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)  # at most 1 KB of the receiver's answer
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.PENDING
