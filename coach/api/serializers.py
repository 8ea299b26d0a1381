from __future__ import annotations

from typing import Any

from rest_framework import serializers

from coach.models import CoachMessage, CoachSession
from coach.payloads import brief_payload, message_payload, session_brief


class CoachMessageSerializer(serializers.ModelSerializer[CoachMessage]):
    class Meta:
        model = CoachMessage
        fields = ["id", "role", "content", "status", "error", "suggestions", "sources", "created_at"]
        read_only_fields = fields


class CoachSessionSerializer(serializers.ModelSerializer[CoachSession]):
    brief = serializers.SerializerMethodField()
    message_count = serializers.SerializerMethodField()

    class Meta:
        model = CoachSession
        fields = ["id", "title", "brand_kit", "brief", "message_count", "created_at", "updated_at"]
        read_only_fields = fields

    def get_brief(self, session: CoachSession) -> dict[str, Any]:
        return brief_payload(session_brief(session), ready=session.brief_ready)

    def get_message_count(self, session: CoachSession) -> int:
        count = getattr(session, "message_count", None)
        return count if count is not None else session.messages.count()


class CoachSessionDetailSerializer(CoachSessionSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(CoachSessionSerializer.Meta):
        fields = [*CoachSessionSerializer.Meta.fields, "messages"]
        read_only_fields = fields

    def get_messages(self, session: CoachSession) -> list[dict[str, Any]]:
        return [message_payload(m) for m in session.messages.order_by("created_at", "id")]


class CoachSessionCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    brand_kit = serializers.IntegerField(required=False, allow_null=True, default=None)
    platform = serializers.CharField(required=False, allow_blank=True, default="")
    asset_type = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs["platform"]) != bool(attrs["asset_type"]):
            raise serializers.ValidationError(
                {"asset_type": "Give both a platform and an asset type, or neither."}
            )
        return attrs


class CoachSessionUpdateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    brand_kit = serializers.IntegerField(required=False)


class CoachMessageCreateSerializer(serializers.Serializer[Any]):
    """The creator's message (documented here; the stream view reads it itself)."""

    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
