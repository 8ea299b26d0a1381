from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from brandkits.font_choices import FONT_KEYS
from brandkits.models import BrandFont, BrandKit, BrandLogo, CreatorMedia


class BrandLogoSerializer(serializers.ModelSerializer[BrandLogo]):
    url = serializers.SerializerMethodField()
    trimmed_url = serializers.SerializerMethodField()

    class Meta:
        model = BrandLogo
        fields = ("role", "width", "height", "has_transparency", "flat_background", "url", "trimmed_url")

    def _url(self, logo: BrandLogo, variant: str) -> str:
        path = reverse(
            "brandkits:logo_file", kwargs={"kit_id": logo.kit_id, "role": logo.role, "variant": variant}
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, logo: BrandLogo) -> str:
        return self._url(logo, "original")

    def get_trimmed_url(self, logo: BrandLogo) -> str:
        return self._url(logo, "trimmed")


class ColorsSerializer(serializers.Serializer[Any]):
    primary = serializers.CharField(source="primary_color", max_length=7, required=False)
    secondary = serializers.CharField(source="secondary_color", max_length=7, required=False)
    accent = serializers.CharField(source="accent_color", max_length=7, required=False)
    background = serializers.CharField(source="background_color", max_length=7, required=False)
    text = serializers.CharField(source="text_color", max_length=7, required=False)
    extra = serializers.ListField(
        source="extra_colors", child=serializers.CharField(max_length=7), max_length=8, required=False
    )


FONT_KEY_CHOICES = sorted(FONT_KEYS)


class TypographySerializer(serializers.Serializer[Any]):
    heading_font = serializers.ChoiceField(choices=FONT_KEY_CHOICES, required=False)
    body_font = serializers.ChoiceField(choices=FONT_KEY_CHOICES, required=False)
    heading_font_file = serializers.PrimaryKeyRelatedField(
        queryset=BrandFont.objects.all(), allow_null=True, required=False
    )
    body_font_file = serializers.PrimaryKeyRelatedField(
        queryset=BrandFont.objects.all(), allow_null=True, required=False
    )


class BrandKitSerializer(serializers.ModelSerializer[BrandKit]):
    colors = ColorsSerializer(source="*", required=False)
    typography = TypographySerializer(source="*", required=False)
    logos = BrandLogoSerializer(many=True, read_only=True)

    class Meta:
        model = BrandKit
        fields = (
            "id", "name", "is_default", "colors", "typography", "logos", "art_style", "mood", "keywords",
            "avoid", "voice", "channel_name", "tagline", "schedule", "socials", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("id", "is_default", "logos", "created_at", "updated_at")


class BrandFontSerializer(serializers.ModelSerializer[BrandFont]):
    class Meta:
        model = BrandFont
        fields = ("id", "family", "style", "weight", "format", "created_at")


class ContrastRequestSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=7)
    background = serializers.CharField(max_length=7)


class UploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()


class LogoUploadSerializer(UploadSerializer):
    role = serializers.ChoiceField(choices=BrandLogo.Role.choices)


class CreatorMediaSerializer(serializers.ModelSerializer[CreatorMedia]):
    url = serializers.SerializerMethodField(help_text="The image as assets use it (PNG).")

    class Meta:
        model = CreatorMedia
        fields = ("id", "name", "role", "kind", "width", "height", "bytes", "created_at", "url")

    def get_url(self, item: CreatorMedia) -> str:
        url = reverse("brandkits:media_file", args=[item.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class MediaUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=CreatorMedia.Role.choices, default="other")


class MediaChangeSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=80, required=False)
    role = serializers.ChoiceField(choices=CreatorMedia.Role.choices, required=False)
