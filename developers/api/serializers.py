from __future__ import annotations

from rest_framework import serializers

from ..models import ApiKey, Scope

EXPIRY_DAYS = (30, 90, 365)


class ApiKeySerializer(serializers.ModelSerializer[ApiKey]):
    """A key as it is listed: never the key itself, only its first characters."""

    workspace = serializers.IntegerField(source="workspace_id", read_only=True)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))

    class Meta:
        model = ApiKey
        fields: tuple[str, ...] = (
            "id",
            "name",
            "shown",
            "scopes",
            "workspace",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "last_used_ip_prefix",
        )
        read_only_fields: tuple[str, ...] = fields


class ApiKeyCreateSerializer(serializers.Serializer[None]):
    name = serializers.CharField(max_length=60)
    scopes = serializers.MultipleChoiceField(choices=Scope.choices, allow_empty=False)
    expires_in_days = serializers.ChoiceField(choices=EXPIRY_DAYS, required=False, allow_null=True)
    workspace = serializers.IntegerField(required=False, help_text="Default: your personal workspace.")


class ApiKeyCreatedSerializer(ApiKeySerializer):
    """The answer to making a key: the only time ``key`` is shown."""

    key = serializers.CharField(read_only=True)

    class Meta(ApiKeySerializer.Meta):
        fields = (*ApiKeySerializer.Meta.fields, "key")
        read_only_fields = fields
