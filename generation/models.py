from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from workspaces.models import InWorkspace

from .items import JobItem, items_from_json


class GenerationJob(InWorkspace):
    """One request to generate: a single asset, variants of one, or a pack.

    It stores its full recipe (the items to make, seed, provider, model, brand kit snapshot,
    platform specs), so the same recipe on the local provider reproduces the same bytes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    class Stage(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROMPTING = "prompting", "Writing the prompt"
        RENDERING = "rendering", "Rendering"
        POST_PROCESSING = "post_processing", "Post-processing"
        VALIDATING = "validating", "Checking platform rules"
        STORING = "storing", "Saving to your library"
        DONE = "done", "Done"

    class Pack(models.TextChoices):
        NONE = "", "Single asset"
        EMOTE_PACK = "emote_pack", "Emote pack"
        BADGE_SET = "badge_set", "Sub-badge set"
        STARTER_KIT = "starter_kit", "Channel starter kit"
        PANEL_SET = "panel_set", "Panel set"

    TERMINAL = (Status.SUCCEEDED, Status.FAILED, Status.CANCELED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    MADE_BY = "user"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_jobs"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why it failed, in words the creator understands.")

    spec_key = models.CharField(max_length=60, help_text="Platform registry row, e.g. youtube.thumbnail.")
    prompt = models.TextField()
    negative_prompt = models.TextField(blank=True)
    text = models.CharField(max_length=120, blank=True, help_text="Exact words to set on the asset.")
    subtext = models.CharField(max_length=120, blank=True, help_text="A second line (date, game, episode).")
    template = models.CharField(
        max_length=60, blank=True, help_text="The Quick Create template it came from, if any."
    )
    refine_of = models.UUIDField(null=True, blank=True, help_text="The asset this job refines, if any.")
    instruction = models.CharField(max_length=300, blank=True, help_text="The refine instruction, in words.")
    variants = models.PositiveSmallIntegerField(default=1)
    pack = models.CharField(max_length=20, choices=Pack.choices, blank=True, default=Pack.NONE)
    seed = models.BigIntegerField()
    # The recipe: what to make (one ``items.JobItem`` as JSON per asset, each with its seed), the brand
    # kit snapshot and the platform specs as they were when the job was accepted.
    items = models.JSONField(default=list)
    brand_snapshot = models.JSONField(default=dict)
    brand_kit_id = models.BigIntegerField(null=True, blank=True)
    provider = models.CharField(max_length=30)
    model = models.CharField(max_length=80)
    queue = models.CharField(max_length=20, default="default")
    cost = models.PositiveSmallIntegerField(help_text="Generations this job uses from the plan.")
    idempotency_key = models.CharField(max_length=255, blank=True)
    # What the key was first used for (services.request_fingerprint): a reuse must match it.
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Nothing left behind (services.jobs_sweep): when the job was last handed to the broker
    # (None: not yet, or the broker refused it) and how many times; the Celery task id of the
    # attempt running it and that attempt's last sign of life.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatches = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    notice = models.CharField(
        max_length=200, blank=True, help_text="What the creator is told while it waits or is retried."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="generation_job_unique_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="generation_job_progress_max_100"),
            models.CheckConstraint(
                condition=Q(variants__gte=1) & Q(variants__lte=4), name="generation_job_variants_1_to_4"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.spec_key} · {self.get_status_display()}"

    @classmethod
    def progress_stages(cls) -> list[tuple[str, str]]:
        """The stages a running job moves through, in order, for the stepper."""
        return [(value, label) for value, label in cls.Stage.choices if value != cls.Stage.QUEUED]

    @property
    def is_finished(self) -> bool:
        return self.status in self.TERMINAL

    @property
    def creator_prompt(self) -> str:
        """The prompt as the creator may read it: their own words, or "" for a Quick Create
        template's job (a template's prompt and styles stay on the server)."""
        return "" if self.template else self.prompt

    @property
    def template_name(self) -> str:
        """The Quick Create template's name ("Starting soon"), or ""."""
        if not self.template:
            return ""
        from .quick.templates import template_name  # the catalog reads the registry and the templates folder

        return template_name(self.template)

    @property
    def item_list(self) -> tuple[JobItem, ...]:
        """The recorded items as values (``items`` holds their JSON)."""
        return items_from_json(self.items)

    @property
    def waiting_notice(self) -> str:
        """What a creator reads while the job waits: why, in words ("" unless queued)."""
        if self.status != self.Status.QUEUED:
            return ""
        return self.notice or "Waiting for a free worker."

    @property
    def usage_reference(self) -> str:
        return f"generation:{self.pk}"
