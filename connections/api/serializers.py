from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from library.models import Publication

from ..models import Connection


class ConnectionSerializer(serializers.ModelSerializer):
    """A connected channel: who it is and its state; never a token."""

    avatar_url = serializers.SerializerMethodField()
    needs_reconnect = serializers.BooleanField(read_only=True)

    class Meta:
        model = Connection
        fields = [
            "id",
            "provider",
            "account_id",
            "display_name",
            "handle",
            "category",
            "title",
            "avatar_url",
            "status",
            "needs_reconnect",
            "problem",
            "scopes",
            "connected_at",
            "read_at",
        ]

    def get_avatar_url(self, connection: Connection) -> str | None:
        if not connection.avatar:
            return None
        path = reverse("connections:picture", args=[connection.pk, "avatar"])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AllowanceSerializer(serializers.Serializer[Any]):
    limit = serializers.IntegerField(
        allow_null=True, help_text="Channels the plan connects at once; null: any number."
    )
    used = serializers.IntegerField()
    may_connect = serializers.BooleanField()


class ConnectionListSerializer(serializers.Serializer[Any]):
    """The creator's connections, what their plan allows and the platforms on offer."""

    results = ConnectionSerializer(many=True)
    allowance = AllowanceSerializer()
    providers = inline_serializer(
        "Provider",
        fields={
            "name": serializers.CharField(),
            "label": serializers.CharField(),
            "configured": serializers.BooleanField(
                help_text="Whether this server has the platform's OAuth client."
            ),
        },
        many=True,
    )


class FinishSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=2000)
    state = serializers.CharField(max_length=2000)


class PublishSerializer(serializers.Serializer[Any]):
    connection = serializers.IntegerField(min_value=1)
    video = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PublicationSerializer(serializers.ModelSerializer):
    asset = serializers.UUIDField(source="asset_id", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "asset",
            "platform",
            "kind",
            "channel",
            "target_id",
            "target_title",
            "target_url",
            "result_url",
            "rendition_label",
            "published_at",
        ]
