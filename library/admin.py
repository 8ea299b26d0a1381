from django.contrib import admin

from .models import Asset, Rendition


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    readonly_fields = ("label", "width", "height", "format", "bytes", "file", "checks")
    can_delete = False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "platform", "asset_type", "width", "height", "bytes", "created_at")
    list_filter = ("platform", "asset_type", "created_at")
    search_fields = ("title", "owner__email", "id")
    list_select_related = ("owner",)
    readonly_fields = ("id", "source_job_id", "source_item", "recipe", "checks", "created_at")
    inlines = [RenditionInline]
