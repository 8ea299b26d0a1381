from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from . import selectors, services
from .models import Asset, Collection, Rendition, Tag

# The recipe's fields an operator reads first, in order; the rest follow as JSON.
RECIPE_FIELDS = (
    ("prompt", "Prompt"),
    ("text", "Text"),
    ("subtext", "Second line"),
    ("negative_prompt", "Leave out"),
    ("template", "Quick Create template"),
    ("spec", "Platform size"),
    ("tier", "Tier (months)"),
    ("seed", "Seed"),
    ("provider", "Provider"),
    ("model", "Model"),
    ("brand", "Brand kit"),
    ("job", "Job"),
)
PREVIEW_MIN_WIDTH = 256  # the change page's preview: the smallest file at least this wide


def pretty_json(value: Any) -> str:
    """JSON as a person reads it: indented, with its own characters (×, é), not \\u escapes."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def _readable(value: Any) -> str:
    if isinstance(value, Mapping):  # a template or a brand kit: its name says which
        name = value.get("name")
        return str(name) if name else ", ".join(f"{key} {_readable(part)}" for key, part in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_readable(part) for part in value)
    return str(value)


def recipe_html(
    parts: Sequence[tuple[str, Mapping[str, Any]]], fields: Sequence[tuple[str, str]]
) -> SafeString:
    """Recipes for the admin: each part's ``fields`` as a list of names and values, then what
    else it holds as readable JSON (a named value such as the brand kit stays in the JSON too)."""
    shown = {key for key, _ in fields}
    rendered = []
    for title, recipe in parts:
        rows = [
            (label, _readable(recipe[key]))
            for key, label in fields
            if recipe.get(key) not in (None, "", [], {})
        ]
        rest = {key: value for key, value in recipe.items() if key not in shown or isinstance(value, Mapping)}
        rendered.append({"title": title, "rows": rows, "rest": pretty_json(rest) if rest else ""})
    return SafeString(render_to_string("library/partials/_admin_recipe.html", {"parts": rendered}))


def file_url(asset_id: UUID, label: str) -> str:
    return reverse("admin:library_asset_file", args=[asset_id, label])


def thumbnail_html(asset_id: UUID, label: str, *, alt: str) -> str:
    """A list row's small preview of a rendition (served to staff by the asset admin)."""
    return format_html(
        '<img class="ops-thumb" src="{}" alt="{}" loading="lazy" decoding="async">',
        file_url(asset_id, label),
        alt,
    )


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
        url = file_url(rendition.asset_id, rendition.label)
        return format_html('<a href="{}" target="_blank" rel="noopener">Open {}</a>', url, rendition.label)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = (
        "thumbnail",
        "title_and_owner",
        "kind",
        "visibility",
        "standing",
        "share_views",
        "created_at",
    )
    list_display_links = ("thumbnail", "title_and_owner")
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
        "id", "preview", "owner", "title", "spec_key", "platform", "asset_type", "width", "height", "format",
        "bytes", "prompt", "brand_kit_name", "collection", "favourite", "visibility", "share_views",
        "taken_down_at", "deleted_at", "expires_at", "expiry_notified_at", "created_at", "source_job_id",
        "source_item", "recipe_readable", "checks_table",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [RenditionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Asset]:
        # Every row's files in one more query (largest first): the thumbnails pick from them.
        files = Rendition.objects.only("id", "asset_id", "label", "width", "height", "format").order_by(
            "-width", "label"
        )
        return super().get_queryset(request).prefetch_related(Prefetch("renditions", queryset=files))

    @admin.display(description="Preview")
    def thumbnail(self, asset: Asset) -> str:
        rendition = selectors.asset_thumbnail(asset)
        if rendition is None:
            return format_html('<span class="ops-thumb ops-thumb-none">{}</span>', "no file")
        return thumbnail_html(asset.pk, rendition.label, alt=asset.title)

    @admin.display(description="Asset", ordering="title")
    def title_and_owner(self, asset: Asset) -> str:
        return format_html('{}<span class="ops-sub">{}</span>', asset.title, asset.owner.email)

    @admin.display(description="Made for", ordering="spec_key")
    def kind(self, asset: Asset) -> str:
        return format_html(
            '{}<span class="ops-sub">{} × {}</span>', asset.spec_key, asset.width, asset.height
        )

    @admin.display(description="State")
    def standing(self, asset: Asset) -> str:
        if asset.taken_down_at:
            return f"Taken down {asset.taken_down_at:%d %b %Y}"
        if asset.deleted_at:
            return f"Deleted {asset.deleted_at:%d %b %Y}"
        if asset.expires_at:
            return f"Expires {asset.expires_at:%d %b %Y}"
        return "Kept"

    @admin.display(description="Preview")
    def preview(self, asset: Asset) -> str:
        files = asset.pictures  # largest first; an alert's WebM beside them is no <img>
        if not files:
            return "No files."
        wide_enough = [rendition for rendition in files if rendition.width >= PREVIEW_MIN_WIDTH]
        shown = wide_enough[-1] if wide_enough else files[0]
        return format_html(
            '<img class="ops-preview" src="{}" alt="{}" width="{}" height="{}">',
            file_url(asset.pk, shown.label), asset.title, shown.width, shown.height,
        )  # fmt: skip

    @admin.display(description="Recipe")
    def recipe_readable(self, asset: Asset) -> str:
        return recipe_html([("", asset.recipe or {})], RECIPE_FIELDS)

    @admin.display(description="Checks")
    def checks_table(self, asset: Asset) -> str:
        return render_to_string("library/partials/_admin_checks.html", {"checks": asset.checks or []})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Take down (make private, may not be shared again)", permissions=["change"])
    def take_down(self, request: HttpRequest, queryset: QuerySet[Asset]) -> None:
        taken = 0
        for asset in queryset.filter(taken_down_at__isnull=True):
            services.asset_takedown(asset=asset)
            self.log_change(request, asset, "Took down: made private; its public link stopped working.")
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
