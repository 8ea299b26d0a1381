from __future__ import annotations

from django.contrib import admin

from .models import Connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    """Staff see who connected what and its state; never the tokens."""

    list_display = ("display_name", "provider", "owner", "status", "connected_at", "read_at")
    list_filter = ("provider", "status")
    search_fields = ("display_name", "handle", "owner__email")
    readonly_fields = ("owner", "provider", "account_id", "scopes", "expires_at", "connected_at", "read_at")
    exclude = ("access_token", "refresh_token")
