from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from . import services
from .models import Asset, Collection, Rendition, Tag


def _pretty_json(value: Any) -> str:
    return format_html("<pre style='white-space:pre-wrap'>{}</pre>", json.dumps(value, indent=2))


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    fields = ("label", "width", "height", "format", "bytes", "file_link")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="File")
    def file_link(self, rendition: Rendition) -> str:
        url = reverse("admin:library_asset_file", args=[rendition.asset_id, rendition.label])
        return format_html('<a href="{}" target="_blank" rel="noopener">Open {}</a>', url, rendition.label)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = (
        "title", "owner_email", "platform", "asset_type", "visibility", "share_views", "taken_down_at",
        "deleted_at", "expires_at", "created_at",
    )  # fmt: skip
    list_filter = (
        "platform",
        "asset_type",
        "visibility",
        ("taken_down_at", admin.EmptyFieldListFilter),
        ("deleted_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("id", "title", "owner__email")
    list_select_related = ("owner",)
    date_hierarchy = "created_at"
    actions = ("take_down",)
    fields = (
        "id", "owner", "title", "spec_key", "platform", "asset_type", "width", "height", "format", "bytes",
        "prompt", "brand_kit_name", "collection", "favourite", "visibility", "share_views", "taken_down_at",
        "deleted_at", "expires_at", "expiry_notified_at", "created_at", "source_job_id", "source_item",
        "recipe_json", "checks_json",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [RenditionInline]

    @admin.display(description="Owner", ordering="owner__email")
    def owner_email(self, asset: Asset) -> str:
        return asset.owner.email

    @admin.display(description="Recipe")
    def recipe_json(self, asset: Asset) -> str:
        return _pretty_json(asset.recipe)

    @admin.display(description="Checks")
    def checks_json(self, asset: Asset) -> str:
        return _pretty_json(asset.checks)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Take down (make private, may not be shared again)", permissions=["change"])
    def take_down(self, request: HttpRequest, queryset: QuerySet[Asset]) -> None:
        taken = 0
        for asset in queryset.filter(taken_down_at__isnull=True):
            services.asset_takedown(asset=asset)
            taken += 1
        self.message_user(request, f"Took down {taken} asset(s); their public links stopped working.")

    def get_urls(self) -> list[URLPattern]:
        file_view = self.admin_site.admin_view(self.rendition_file)
        return [
            path("<uuid:asset_id>/files/<str:label>/", file_view, name="library_asset_file"),
            *super().get_urls(),
        ]

    def rendition_file(self, request: HttpRequest, asset_id: str, label: str) -> HttpResponseBase:
        """Staff see any asset's file (to review a report); the owner's download view is theirs only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rendition = get_object_or_404(Rendition, asset_id=asset_id, label=label)
        if hasattr(rendition.file.storage, "bucket"):
            return HttpResponseRedirect(rendition.file.url)  # S3: a short-lived signed link
        response = FileResponse(rendition.file.open("rb"), content_type=rendition.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "created_at")
    search_fields = ("name", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "owner")
    search_fields = ("name", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
