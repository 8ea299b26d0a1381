from __future__ import annotations

import json

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from .models import CoachMessage, CoachSession


class CoachMessageInline(admin.TabularInline):
    model = CoachMessage
    fields = ("created_at", "role", "content", "status", "error", "provider", "model")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CoachSession)
class CoachSessionAdmin(admin.ModelAdmin):
    """Operators read conversations to help creators; they do not write in them."""

    list_display = ("display_title", "user", "brand_kit", "brief_ready", "messages", "updated_at")
    list_filter = ("brief_ready", "created_at")
    search_fields = ("id", "title", "user__email")
    list_select_related = ("user", "brand_kit")
    date_hierarchy = "created_at"
    fields = (
        "id",
        "user",
        "title",
        "brand_kit",
        "brief_ready",
        "brief_json",
        "seed",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    inlines = (CoachMessageInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CoachSession]:
        return super().get_queryset(request).annotate(message_total=Count("messages"))

    @admin.display(description="Messages", ordering="message_total")
    def messages(self, session: CoachSession) -> int:
        return session.message_total  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.display(description="Brief")
    def brief_json(self, session: CoachSession) -> str:
        brief = json.dumps(session.brief, indent=2, ensure_ascii=False)
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", brief)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
