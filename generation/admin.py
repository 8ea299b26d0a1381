from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from . import services
from .models import GenerationJob


@admin.register(GenerationJob)
class GenerationJobAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "spec_key", "status", "stage", "progress", "cost", "provider", "created_at")
    list_filter = ("status", "provider", "pack", "template", "queue", "created_at")
    search_fields = ("id", "user__email", "prompt", "spec_key")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    actions = ("retry_jobs", "cancel_jobs")
    readonly_fields = [
        f.name for f in GenerationJob._meta.fields if f.name not in ("items", "brand_snapshot")
    ] + ["recipe"]

    @admin.display(description="Recipe")
    def recipe(self, job: GenerationJob) -> str:
        brand = {k: v for k, v in job.brand_snapshot.items() if k != "logo_png"}
        return format_html(
            "<pre style='white-space:pre-wrap'>{}</pre>",
            json.dumps({"items": job.items, "brand": brand}, indent=2),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry (a new job with the same recipe)", permissions=["change"])
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        retried = 0
        for job in queryset.filter(status__in=[GenerationJob.Status.FAILED, GenerationJob.Status.CANCELED]):
            try:
                services.job_retry(job=job)
            except services.QuotaExceeded as exceeded:
                self.message_user(request, f"Job {job.pk}: {exceeded.message}", messages.WARNING)
            except ValidationError as invalid:
                self.message_user(request, f"Job {job.pk}: {' '.join(invalid.messages)}", messages.WARNING)
            else:
                retried += 1
        self.message_user(request, f"Queued {retried} job(s) again.")

    @admin.action(description="Cancel", permissions=["change"])
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[GenerationJob]) -> None:
        canceled = 0
        for job in queryset.exclude(status__in=GenerationJob.TERMINAL):
            services.job_cancel(job=job)
            canceled += 1
        self.message_user(request, f"Canceled {canceled} job(s); their reservations were released.")
