from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

FORMAT_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
FORMAT_CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


def rendition_path(owner_id: int, asset_id: uuid.UUID, filename: str) -> str:
    """Server-chosen names: assets/<owner>/<asset>/<rendition label>.<ext>."""
    return f"assets/{owner_id}/{asset_id}/{filename}"


def asset_upload_to(instance: Rendition, filename: str) -> str:
    return rendition_path(instance.asset.owner_id, instance.asset_id, filename)


class Asset(models.Model):
    """A finished, upload-ready asset in the creator's library, with its renditions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assets")
    title = models.CharField(max_length=200)
    spec_key = models.CharField(max_length=60, help_text="Platform registry row, e.g. twitch.emote.")
    platform = models.CharField(max_length=30)
    asset_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10)
    bytes = models.PositiveIntegerField(help_text="Size of the largest rendition.")
    # The recipe that made it: prompt, seed, provider, model, brand kit snapshot, platform spec.
    recipe = models.JSONField(default=dict)
    checks = models.JSONField(default=list, help_text="The engine's validation report.")
    # Set by the generation job that made it; a plain id because the library never imports
    # generation (dependencies point one way).
    source_job_id = models.UUIDField(null=True, blank=True, db_index=True)
    source_item = models.PositiveIntegerField(default=0, help_text="Position in the job's output.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A redelivered job can never store the same output twice.
            models.UniqueConstraint(fields=["source_job_id", "source_item"], name="asset_unique_job_item"),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def has_warnings(self) -> bool:
        return any(not check.get("ok", True) for check in self.checks)


class Rendition(models.Model):
    """One file of an asset at one platform size (e.g. the 28 px emote)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="renditions")
    label = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10)
    bytes = models.PositiveIntegerField()
    file = models.FileField(upload_to=asset_upload_to, max_length=300)
    checks = models.JSONField(default=list)

    class Meta:
        ordering = ["-width", "label"]
        constraints = [models.UniqueConstraint(fields=["asset", "label"], name="rendition_unique_label")]

    def __str__(self) -> str:
        return f"{self.asset} {self.label}"

    @property
    def content_type(self) -> str:
        return FORMAT_CONTENT_TYPES.get(self.format, "application/octet-stream")

    @property
    def extension(self) -> str:
        return FORMAT_EXTENSIONS.get(self.format, "bin")
