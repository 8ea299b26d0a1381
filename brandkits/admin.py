from django.contrib import admin

from .models import BrandFont, BrandKit, BrandLogo, CreatorMedia


class BrandLogoInline(admin.TabularInline):
    model = BrandLogo
    extra = 0
    fields = ("role", "width", "height", "has_transparency", "original", "trimmed")
    readonly_fields = fields


@admin.register(BrandKit)
class BrandKitAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "is_default", "primary_color", "heading_font", "updated_at")
    list_filter = ("is_default", "voice", "heading_font")
    search_fields = ("name", "owner__email", "owner__display_name", "channel_name")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    inlines = [BrandLogoInline]


@admin.register(BrandFont)
class BrandFontAdmin(admin.ModelAdmin):
    list_display = ("family", "style", "weight", "format", "owner", "created_at")
    search_fields = ("family", "owner__email")
    list_select_related = ("owner",)
    readonly_fields = ("file",)


@admin.register(CreatorMedia)
class CreatorMediaAdmin(admin.ModelAdmin):
    """Creators' own images, for staff to find and remove anything that breaks the rules."""

    list_display = ("name", "role", "kind", "owner", "width", "height", "created_at")
    list_filter = ("role", "kind", "created_at")
    search_fields = ("name", "owner__email")
    list_select_related = ("owner",)
    readonly_fields = ("owner", "image", "kind", "width", "height", "bytes", "created_at")

    def has_add_permission(self, request):
        return False
