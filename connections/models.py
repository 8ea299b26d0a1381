"""A creator's channel on a streaming platform, connected through the platform's OAuth."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from aurastream.crypto import EncryptedTextField


class Provider(models.TextChoices):
    TWITCH = "twitch", "Twitch"
    YOUTUBE = "youtube", "YouTube"
    KICK = "kick", "Kick"


def picture_path(instance: Connection, filename: str) -> str:
    """Server-chosen names: connections/<owner>/<random>.png (the channel's own are public)."""
    return f"connections/{instance.owner_id}/{uuid.uuid4().hex}.png"


class Connection(models.Model):
    """One channel a creator connected. Its tokens are encrypted at rest (``crypto``); its
    name, pictures, category and title are what the platform said when last read."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Connected"
        RECONNECT = "reconnect", "Needs reconnecting"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_connections"
    )
    provider = models.CharField(max_length=16, choices=Provider.choices)
    account_id = models.CharField(max_length=64)  # the platform's id of the channel
    handle = models.CharField(max_length=100, blank=True)  # login, @handle or slug
    display_name = models.CharField(max_length=100)
    avatar = models.ImageField(upload_to=picture_path, blank=True)
    banner = models.ImageField(upload_to=picture_path, blank=True)
    category = models.CharField(max_length=100, blank=True)  # the game or category now set
    title = models.CharField(max_length=200, blank=True)  # the stream's or channel's title
    scopes = models.JSONField(default=list)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    problem = models.CharField(max_length=300, blank=True)  # why it needs reconnecting
    connected_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(default=timezone.now)  # when the channel was last read

    class Meta:
        ordering = ["connected_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "provider", "account_id"], name="connection_unique_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.display_name}"

    @property
    def needs_reconnect(self) -> bool:
        return self.status == self.Status.RECONNECT

    @property
    def provider_label(self) -> str:
        return Provider(self.provider).label
