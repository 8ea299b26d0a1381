"""Personal API keys: a creator's scripts and tools call the API with one instead of a JWT.

The key is shown once, when it is made; only its SHA-256 is kept (it is a long random secret,
so a fast hash is enough), with a short, non-secret beginning to recognise it by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# Every key begins with this, so the API tells a key from a JWT before looking anything up.
KEY_PREFIX = "as_live_"
# How much of the key is kept in clear to show it in lists ("as_live_Ab3x…").
SHOWN_LENGTH = len(KEY_PREFIX) + 4


class Scope(models.TextChoices):
    READ = "read", "Read"  # every GET: assets, jobs, brand kits, downloads
    GENERATE = "generate", "Generate"  # start jobs, refine, animate, talk to the coach
    LIBRARY_WRITE = "library_write", "Library write"  # edit, delete and share assets, collections, kits


SCOPE_DESCRIPTIONS = {
    Scope.READ: "See your assets, jobs, brand kits and coach chats, and download files.",
    Scope.GENERATE: "Start generations, refine and animate assets, and message the coach.",
    Scope.LIBRARY_WRITE: "Edit, delete and share assets and collections, and change brand kits.",
}


class ApiKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    # The workspace the key acts in (request.auth.workspace_id); its admins see and revoke it.
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=60)
    shown = models.CharField(max_length=SHOWN_LENGTH)  # the key's beginning, not secret
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the whole key
    scopes = models.JSONField(default=list)  # Scope values
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The last caller's network, never its address: "203.0.113.0/24", "2001:db8:1::/48".
    last_used_ip_prefix = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.shown}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    def permits(self, scope: str) -> bool:
        """Whether the key was given ``scope`` (``aurastream.api.authentication`` asks this of
        any credential that carries scopes)."""
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        return [Scope(s).label for s in self.scopes if s in Scope.values]
