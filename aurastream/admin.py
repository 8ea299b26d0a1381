"""The admin pages that gather several apps' work: the creators' list (billing's plan and usage
with the library's assets and generation's last job) and the staff actions log.

Django's autodiscovery imports this module before the apps' own (``aurastream`` comes first in
``INSTALLED_APPS``); it imports billing's user admin itself, so its own registration is last.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.utils.html import format_html

from accounts.models import User
from billing.admin import CreatorAdmin
from generation.models import GenerationJob
from library.models import Asset

admin.site.unregister(User)


@admin.register(User)
class OperatorsUserAdmin(CreatorAdmin):
    """Each creator with their plan, this period's usage, their assets and when they were last
    seen (signing in or starting a job), in a fixed number of queries for a page."""

    list_display = (
        "email",
        "display_name",
        "plan",
        "usage",
        "assets",
        "last_seen",
        "is_staff",
        "date_joined",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        live_assets = (
            Asset.objects.filter(owner_id=OuterRef("pk"), deleted_at__isnull=True)
            .order_by()
            .values("owner_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        last_job = (
            GenerationJob.objects.filter(user_id=OuterRef("pk"))
            .order_by()
            .values("user_id")
            .annotate(at=Max("created_at"))
            .values("at")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                asset_total=Coalesce(Subquery(live_assets, output_field=IntegerField()), 0),
                last_job_at=Subquery(last_job, output_field=DateTimeField()),
            )
            # The later of the two; either may be empty (never signed in, never made a job).
            .annotate(
                last_seen_at=Greatest(
                    Coalesce("last_login", "last_job_at"), Coalesce("last_job_at", "last_login")
                )
            )
        )

    @admin.display(description="Assets", ordering="asset_total")
    def assets(self, creator: User) -> int:
        return creator.asset_total  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.display(description="Last seen", ordering="last_seen_at")
    def last_seen(self, creator: User) -> Any:
        return creator.last_seen_at  # type: ignore[attr-defined]  # annotated by get_queryset


ACTION_WORDS = {ADDITION: "Added", CHANGE: "Changed", DELETION: "Deleted"}


@admin.register(LogEntry)
class StaffActionAdmin(admin.ModelAdmin):
    """What staff did in the admin (its own adds, changes and deletions, and the actions: take
    downs, retries, cancels, plan grants), read only."""

    list_display = ("action_time", "staff", "action", "target", "message")
    list_filter = ("action_flag", ("user", admin.RelatedOnlyFieldListFilter), "content_type")
    search_fields = ("user__email", "object_repr", "change_message")
    list_select_related = ("user", "content_type")
    date_hierarchy = "action_time"
    ordering = ("-action_time",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        return super().changelist_view(request, {"title": "Staff actions", **(extra_context or {})})

    @admin.display(description="Staff", ordering="user__email")
    def staff(self, entry: LogEntry) -> str:
        return cast(User, entry.user).email

    @admin.display(description="Action", ordering="action_flag")
    def action(self, entry: LogEntry) -> str:
        return ACTION_WORDS.get(entry.action_flag, "")

    @admin.display(description="Object", ordering="object_repr")
    def target(self, entry: LogEntry) -> str:
        kind = cast(ContentType | None, entry.content_type)
        name = kind.name if kind else ""
        url = entry.get_admin_url() if entry.action_flag != DELETION else None
        if not url:
            return format_html('{}<span class="ops-sub">{}</span>', entry.object_repr, name)
        return format_html('<a href="{}">{}</a><span class="ops-sub">{}</span>', url, entry.object_repr, name)

    @admin.display(description="What was done")
    def message(self, entry: LogEntry) -> str:
        return entry.get_change_message()
