from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Delivery, Endpoint, Event


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """A workspace's endpoints; their signing secrets are never shown."""

    list_display = ("url", "workspace", "enabled", "disabled_reason", "created_at")
    list_filter = ("enabled",)
    search_fields = ("url", "workspace__name", "workspace__owner__email")
    raw_id_fields = ("workspace", "created_by")
    readonly_fields = ("url", "workspace", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an endpoint is made by its workspace's admins, with a checked URL and a secret


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("message_id", "type", "workspace", "created_at")
    list_filter = ("type",)
    search_fields = ("message_id", "workspace__name")
    raw_id_fields = ("workspace",)
    readonly_fields = ("message_id", "type", "data", "created_at")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: each event's attempts at each endpoint and the last answer."""

    list_display = ("event", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("event__message_id", "endpoint__url")
    raw_id_fields = ("event", "endpoint")
    readonly_fields = (
        "attempts",
        "last_attempt_at",
        "last_status_code",
        "response_excerpt",
        "last_error",
        "created_at",
        "updated_at",
    )
