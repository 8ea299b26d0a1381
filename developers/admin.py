from __future__ import annotations

from django.contrib import admin

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Staff see whose keys exist, what they may do and when they were used; never the hash."""

    list_display = (
        "name",
        "shown",
        "user",
        "workspace",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "shown", "user__email")
    exclude = ("key_hash",)
    readonly_fields = (
        "user",
        "workspace",
        "shown",
        "scopes",
        "created_at",
        "last_used_at",
        "last_used_ip_prefix",
    )
