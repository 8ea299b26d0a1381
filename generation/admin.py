from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

from library.admin import recipe_html, thumbnail_html

from . import selectors, services
from .models import GenerationJob

# An item's fields an operator reads first, then its brand kit's; the rest follow as JSON.
ITEM_FIELDS = (
    ("spec", "Platform size"),
    ("prompt", "Prompt"),
    ("text", "Text"),
    ("subtext", "Second line"),
    ("negative_prompt", "Leave out"),
    ("base", "Pack description"),
    ("tier", "Tier (months)"),
    ("layout", "Layout"),
    ("style", "Style"),
    ("colours", "Colours"),
    ("instruction", "Refine instruction"),
    ("seed", "Seed"),
)
BRAND_FIELDS = (
    ("name", "Name"),
    ("channel_name", "Channel"),
    ("palette", "Palette"),
    ("heading_font", "Heading font"),
    ("body_font", "Body font"),
    ("art_style", "Art style"),
    ("mood", "Mood"),
    ("voice", "Voice"),
    ("keywords", "Keywords"),
    ("avoid", "Avoid"),
)


class JobChangeList(ChangeList):
    """Finds the page's thumbnails together: one query for the page, not one per row."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        jobs = list(self.result_list)
        thumbnails = selectors.job_thumbnails(jobs=jobs)
        for job in jobs:
            job.thumbnail_file = thumbnails.get(job.pk)  # read back by the Preview column
        self.result_list = jobs


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ("thumbnail", "summary", "user_email", "state", "cost", "provider", "created_at")
    list_display_links = ("thumbnail", "summary")
    list_filter = ("status", "provider", "pack", "template", "queue", "created_at")
    search_fields = ("id", "user__email", "prompt", "spec_key")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    actions = ("retry_jobs", "cancel_jobs")
    readonly_fields = [
        f.name for f in GenerationJob._meta.fields if f.name not in ("items", "brand_snapshot")
    ] + ["recipe"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[GenerationJob]:
        return selectors.with_made_assets(super().get_queryset(request))

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return JobChangeList

    @admin.display(description="Preview")
    def thumbnail(self, job: GenerationJob) -> str:
        file = getattr(job, "thumbnail_file", None)
        if file is None:
            return format_html('<span class="ops-thumb ops-thumb-none">{}</span>', "no asset")
        return thumbnail_html(file[0], file[1], alt=f"{job.spec_key} job's first asset")

    @admin.display(description="Job", ordering="spec_key")
    def summary(self, job: GenerationJob) -> str:
        prompt = Truncator(job.prompt).chars(70)
        return format_html('{}<span class="ops-sub">{} · {}</span>', job.spec_key, str(job.pk)[:8], prompt)

    @admin.display(description="Creator", ordering="user__email")
    def user_email(self, job: GenerationJob) -> str:
        return job.user.email

    @admin.display(description="Status", ordering="status")
    def state(self, job: GenerationJob) -> str:
        if job.status == GenerationJob.Status.RUNNING:
            detail = f"{job.get_stage_display()}, {job.progress}%"
        elif job.status == GenerationJob.Status.FAILED:
            detail = Truncator(job.error).chars(60)
        else:
            count = getattr(job, "asset_count", 0)
            detail = f"{count} asset{'s' if count != 1 else ''}" if count else ""
        return format_html('{}<span class="ops-sub">{}</span>', job.get_status_display(), detail)

    @admin.display(description="Recipe")
    def recipe(self, job: GenerationJob) -> str:
        brand = {key: value for key, value in job.brand_snapshot.items() if key != "logo_png"}
        items = [(f"Item {number}", item) for number, item in enumerate(job.items, start=1)]
        return format_html(
            "{}{}", recipe_html(items, ITEM_FIELDS), recipe_html([("Brand kit", brand)], BRAND_FIELDS)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry (a new job with the same recipe)", permissions=["change"])
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        retried = 0
        for job in queryset.filter(status__in=[GenerationJob.Status.FAILED, GenerationJob.Status.CANCELED]):
            try:
                again = services.job_retry(job=job)
            except services.QuotaExceeded as exceeded:
                self.message_user(request, f"Job {job.pk}: {exceeded.message}", messages.WARNING)
            except ValidationError as invalid:
                self.message_user(request, f"Job {job.pk}: {' '.join(invalid.messages)}", messages.WARNING)
            else:
                self.log_change(request, job, f"Retried as a new job, {again.pk}.")
                self.log_addition(request, again, f"Queued as a retry of job {job.pk}.")
                retried += 1
        self.message_user(request, f"Queued {retried} job(s) again.")

    @admin.action(description="Cancel", permissions=["change"])
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        canceled = 0
        for job in queryset.exclude(status__in=GenerationJob.TERMINAL):
            services.job_cancel(job=job)
            self.log_change(request, job, "Canceled; its reserved generations were released.")
            canceled += 1
        self.message_user(request, f"Canceled {canceled} job(s); their reservations were released.")
