from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import EVENT_TYPES, Delivery, Endpoint
from ..services import WebhookError, url_validate


class EndpointSerializer(serializers.ModelSerializer):
    """An endpoint; its secret only where it is made (creating, rotating)."""

    workspace = serializers.IntegerField(source="workspace_id", required=False)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENT_TYPES)), required=False, allow_empty=True
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "workspace",
            "url",
            "description",
            "event_types",
            "enabled",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = ["disabled_reason", "created_at"]

    def validate_url(self, url: str) -> str:
        try:
            return url_validate(url)
        except WebhookError as error:
            raise serializers.ValidationError(error.message) from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "workspace_id" in attrs:
            raise serializers.ValidationError({"workspace": "An endpoint stays in its workspace."})
        return attrs


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True)

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField()
    previous_valid_until = serializers.DateTimeField(allow_null=True)


class DeliverySerializer(serializers.ModelSerializer):
    message_id = serializers.CharField(source="event.message_id")
    type = serializers.CharField(source="event.type")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "endpoint",
            "message_id",
            "type",
            "status",
            "attempts",
            "last_status_code",
            "response_excerpt",
            "last_error",
            "last_attempt_at",
            "next_attempt_at",
            "created_at",
        ]
