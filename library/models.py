from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from workspaces.models import InWorkspace

VIDEO_FORMAT = "WEBM"
FORMAT_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp", "APNG": "png", "WEBM": "webm"}
FORMAT_CONTENT_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "APNG": "image/apng",
    "WEBM": "video/webm",
}


def rendition_path(owner_id: int, asset_id: uuid.UUID, filename: str) -> str:
    """Server-chosen names: assets/<owner>/<asset>/<rendition label>.<ext>."""
    return f"assets/{owner_id}/{asset_id}/{filename}"


def asset_upload_to(instance: Rendition, filename: str) -> str:
    return rendition_path(instance.asset.owner_id, instance.asset_id, filename)


class LiveCollectionManager(models.Manager["Collection"]):
    """Collections not deleted: a deleted one waits out the undo window invisible to every read
    (``all_objects`` reaches it, for undo and the purge)."""

    def get_queryset(self) -> models.QuerySet[Collection]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Collection(InWorkspace):
    """A folder of assets in a creator's library."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleted: restorable until the undo window passes, then purged (library.purge_deleted).
    # Its assets leave it at once (in no collection); ``deleted_members`` remembers them for undo.
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_members = models.JSONField(default=list, blank=True, editable=False)

    objects = LiveCollectionManager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Case-insensitive: "Ranked" and "ranked" are the same folder to a creator. A deleted
            # one waiting for its undo window doesn't hold on to its name.
            models.UniqueConstraint(
                F("workspace"),
                Lower("name"),
                condition=models.Q(deleted_at__isnull=True),
                name="collection_unique_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(InWorkspace):
    """A creator's own label for assets ("ranked", "halloween"), lower-case."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asset_tags")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Asset(InWorkspace):
    """A finished, upload-ready asset in the creator's library, with its renditions."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        PUBLIC = "public", "Public link"

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
    # What it was asked for, kept as columns so the library can search and filter on them.
    prompt = models.TextField(blank=True)
    brand_kit_id = models.PositiveIntegerField(null=True, blank=True, help_text="The kit it was made with.")
    brand_kit_name = models.CharField(max_length=80, blank=True)

    # Organising.
    collection = models.ForeignKey(
        Collection, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="assets")
    favourite = models.BooleanField(default=False)

    # Sharing: private by default; a public asset has an unguessable link token.
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    share_views = models.PositiveIntegerField(default=0)
    # A revoked link, kept for the undo window so undo brings back the same link (then forgotten
    # by library.purge_deleted): never a way to the asset, only to restoring its link.
    revoked_share_token = models.CharField(max_length=64, blank=True, default="", editable=False)
    share_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    taken_down_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by staff: the asset may not be shared again."
    )

    # Versions: refining an asset makes a new asset in the same family (the first version's id;
    # empty on the first version itself). The library shows each family's current version.
    family_id = models.UUIDField(null=True, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    refine_note = models.JSONField(
        default=dict, blank=True, help_text="How this version was made: instruction, changes applied, from."
    )

    # Lifecycle: deleted assets wait out the undo window before the purge; Free-plan assets
    # expire after the plan's retention period.
    deleted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    expiry_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A redelivered job can never store the same output twice.
            models.UniqueConstraint(fields=["source_job_id", "source_item"], name="asset_unique_job_item"),
            models.CheckConstraint(
                condition=models.Q(visibility="private") | models.Q(share_token__isnull=False),
                name="asset_public_has_token",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["deleted_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def root_id(self) -> uuid.UUID:
        """The family's first version (this asset, when it is the first)."""
        return self.family_id or self.id

    @property
    def has_warnings(self) -> bool:
        return any(not check.get("ok", True) for check in self.checks)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC and self.share_token is not None

    @property
    def animated(self) -> bool:
        """Made to move (an animated emote, sticker, alert or overlay)."""
        return bool((self.recipe or {}).get("motion"))

    @property
    def pictures(self) -> list[Rendition]:
        """The files an <img> can show, largest first (a WebM beside them is a video)."""
        return [rendition for rendition in self.renditions.all() if rendition.format != VIDEO_FORMAT]

    @property
    def video(self) -> Rendition | None:
        """The WebM (VP9 with alpha) an animated alert or overlay has beside its images."""
        return next((r for r in self.renditions.all() if r.format == VIDEO_FORMAT), None)


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


class Publication(models.Model):
    """One time an asset was put on a platform through its API (a video's thumbnail, a
    channel's banner): when, where and what the platform answered. Only what succeeded is
    kept; a refused or failed publish changes nothing and is told to the creator at once."""

    class Kind(models.TextChoices):
        THUMBNAIL = "thumbnail", "Video thumbnail"
        CHANNEL_BANNER = "channel_banner", "Channel banner"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="publications")
    rendition_label = models.CharField(max_length=40)
    platform = models.CharField(max_length=30)  # "youtube"
    platform_label = models.CharField(max_length=40)  # "YouTube"
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=100)  # the channel's name as the platform gave it
    target_id = models.CharField(max_length=64, blank=True)  # the video's id
    target_title = models.CharField(max_length=200, blank=True)  # the video's title
    target_url = models.URLField(max_length=300, blank=True)  # where to see it
    result_url = models.URLField(max_length=500, blank=True)  # the image the platform now serves
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.asset} on {self.platform_label} ({self.get_kind_display()})"
