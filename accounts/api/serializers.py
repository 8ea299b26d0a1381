from __future__ import annotations

from rest_framework import serializers

from accounts.models import TIMEZONE_CHOICES, User


class MeSerializer(serializers.ModelSerializer[User]):
    avatar_url = serializers.SerializerMethodField()
    timezone = serializers.ChoiceField(choices=TIMEZONE_CHOICES)

    class Meta:
        model = User
        fields = ("id", "email", "display_name", "timezone", "avatar_url", "date_joined")
        read_only_fields = ("id", "email", "avatar_url", "date_joined")

    def get_avatar_url(self, user: User) -> str | None:
        return user.avatar.url if user.avatar else None
