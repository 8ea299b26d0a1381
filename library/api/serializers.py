from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS
from rest_framework import serializers

from library.models import Asset, Collection, Rendition
from library.selectors import SORTS

# A page of the list links ~150 files: each link is its URL's shape, reversed once with these
# stand-ins (per script prefix), with the values put in, instead of a walk of the URLconf.
_ASSET_ID = uuid.UUID(int=0)
_LABEL = "label-stand-in"


@lru_cache(maxsize=8)
def _shape(name: str, script_prefix: str) -> str:
    kwargs: dict[str, Any] = {"asset_id": _ASSET_ID}
    if name == "library:rendition_download":
        kwargs["label"] = _LABEL
    return reverse(name, kwargs=kwargs)


def file_path(asset_id: uuid.UUID, label: str) -> str:
    """``reverse("library:rendition_download", ...)`` for one file, from the cached shape."""
    shape = _shape("library:rendition_download", get_script_prefix())
    label_part = quote(label, safe=RFC3986_SUBDELIMS + "/~:@")  # as reverse() quotes it
    return shape.replace(str(_ASSET_ID), str(asset_id)).replace(_LABEL, label_part)


def zip_path(asset_id: uuid.UUID) -> str:
    """``reverse("library:asset_zip", ...)``, from the cached shape."""
    return _shape("library:asset_zip", get_script_prefix()).replace(str(_ASSET_ID), str(asset_id))


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class AssetFileSerializer(serializers.ModelSerializer[Rendition]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Rendition
        fields = ("label", "width", "height", "format", "bytes", "download_url", "checks")

    def get_download_url(self, rendition: Rendition) -> str:
        return _absolute(self.context, file_path(rendition.asset_id, rendition.label))


class AssetSerializer(serializers.ModelSerializer[Asset]):
    brand_kit = serializers.IntegerField(source="brand_kit_id", read_only=True, allow_null=True)
    collection = serializers.IntegerField(source="collection_id", read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    share_url = serializers.SerializerMethodField(help_text="The public link while the asset is public.")
    taken_down = serializers.SerializerMethodField(help_text="Staff took it down: it cannot be shared.")
    has_warnings = serializers.BooleanField(read_only=True)
    animated = serializers.BooleanField(
        read_only=True, help_text="It moves: its recipe's motion says how; WEBM files sit beside the images."
    )
    zip_url = serializers.SerializerMethodField(help_text="Every file of the asset in one zip.")
    renditions = AssetFileSerializer(many=True, read_only=True)

    class Meta:
        model = Asset
        fields = (
            "id", "title", "spec_key", "platform", "asset_type", "width", "height", "format", "bytes",
            "prompt", "brand_kit", "brand_kit_name", "collection", "tags", "favourite", "visibility",
            "share_url", "share_views", "taken_down", "has_warnings", "animated", "checks", "recipe",
            "expires_at", "created_at", "zip_url", "renditions", "family_id", "version", "is_current",
            "refine_note",
        )  # fmt: skip
        read_only_fields = fields

    def get_tags(self, asset: Asset) -> list[str]:
        return [tag.name for tag in asset.tags.all()]

    def get_share_url(self, asset: Asset) -> str | None:
        if not asset.is_public:
            return None
        return _absolute(self.context, reverse("library:shared", kwargs={"token": asset.share_token}))

    def get_taken_down(self, asset: Asset) -> bool:
        return asset.taken_down_at is not None

    def get_zip_url(self, asset: Asset) -> str:
        return _absolute(self.context, zip_path(asset.pk))


class AssetUpdateSerializer(serializers.Serializer[Any]):
    """Only the fields sent change. The library's services check names, tags and ownership."""

    title = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    collection = serializers.IntegerField(
        required=False, allow_null=True, help_text="One of your collections; null takes it out."
    )
    favourite = serializers.BooleanField(required=False)
    visibility = serializers.ChoiceField(
        choices=Asset.Visibility.choices,
        required=False,
        help_text='"public" creates a link (or keeps the current one); "private" revokes it.',
    )


class AssetFiltersSerializer(serializers.Serializer[Any]):
    """The library list's query parameters. Empty values do not filter."""

    platform = serializers.CharField(required=False, allow_blank=True, max_length=30)
    asset_type = serializers.CharField(required=False, allow_blank=True, max_length=40)
    brand_kit = serializers.IntegerField(required=False, min_value=1)
    collection = serializers.IntegerField(required=False, min_value=1)
    tag = serializers.CharField(required=False, allow_blank=True, max_length=40)
    favourite = serializers.BooleanField(required=False, help_text="true: favourites only.")
    created_from = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    created_to = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive.")
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Words in the title or the prompt."
    )
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="newest")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("created_from"), attrs.get("created_to")
        if start and end and end < start:
            raise serializers.ValidationError({"created_to": "Pick a date on or after created_from."})
        return attrs


class CollectionSerializer(serializers.ModelSerializer[Collection]):
    # Left to the service, which words the errors ("Give the collection a name.").
    name = serializers.CharField(allow_blank=True)
    asset_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Collection
        fields = ("id", "name", "asset_count", "created_at")
        read_only_fields = ("id", "asset_count", "created_at")


class LibraryUsageSerializer(serializers.Serializer[Any]):
    storage_bytes = serializers.IntegerField(help_text="What your files take, deleted ones until purged.")
    asset_count = serializers.IntegerField()
    retention_days = serializers.IntegerField(
        allow_null=True, help_text="How long new assets are kept; null: while you subscribe."
    )
