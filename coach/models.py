from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from aurastream.undo import LiveManager
from workspaces.models import InWorkspace


def display_title(title: str) -> str:
    """What a session is called where creators see it: its title, or "New idea" until it has one."""
    return title or "New idea"


class CoachSession(InWorkspace):
    """One conversation with the Prompt Coach, and the brief it has built so far."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    MADE_BY = "user"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_sessions"
    )
    title = models.CharField(max_length=120, blank=True)
    brand_kit = models.ForeignKey(
        "brandkits.BrandKit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # coach.engine.types.Brief as JSON: platform, asset_type, subject, style, mood, colors,
    # text, composition, avoid.
    brief = models.JSONField(default=dict, blank=True)
    brief_ready = models.BooleanField(default=False)
    seed = models.PositiveIntegerField(help_text="Keeps the offline coach's replies repeatable.")
    # Set while a reply streams: one reply per session at a time, across processes.
    reply_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Deleted: restorable until the undo window passes, then purged with its messages
    # (coach.purge_deleted). Its messages are hidden with it; a reply still streaming into it
    # reaches it through ``all_objects``.
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LiveManager["CoachSession"]()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return self.title or "Untitled session"

    @property
    def display_title(self) -> str:
        return display_title(self.title)


class CoachMessage(models.Model):
    class Role(models.TextChoices):
        USER = "user", "Creator"
        COACH = "coach", "Coach"

    class Status(models.TextChoices):
        STREAMING = "streaming", "Streaming"
        COMPLETE = "complete", "Complete"
        INTERRUPTED = "interrupted", "Interrupted"
        FAILED = "failed", "Failed"

    session = models.ForeignKey(CoachSession, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    content = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.COMPLETE)
    # Tokens of a streaming reply saved so far, so a reconnecting page knows where it is.
    tokens = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    suggestions = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)
    provider = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.content[:40]}"
