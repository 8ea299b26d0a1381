"""Brand kits over the API. Every lookup is scoped to the requesting creator (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.api.errors import error_body
from aurastream.types import request_user
from aurastream.uploads import open_uploaded_image
from brandkits import logos, palette, selectors, services
from brandkits.models import clean_hex
from core import colors

from .serializers import (
    BrandFontSerializer,
    BrandKitSerializer,
    BrandLogoSerializer,
    ColorsSerializer,
    ContrastRequestSerializer,
    CreatorMediaSerializer,
    LogoUploadSerializer,
    MediaChangeSerializer,
    MediaUploadSerializer,
    TypographySerializer,
    UploadSerializer,
)

# The service names model fields; the API nests colours under "colors".
API_FIELD_NAMES = {
    "primary_color": "colors.primary",
    "secondary_color": "colors.secondary",
    "accent_color": "colors.accent",
    "background_color": "colors.background",
    "text_color": "colors.text",
    "extra_colors": "colors.extra",
}


def _invalid(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        fields = {API_FIELD_NAMES.get(name, name): messages for name, messages in error.message_dict.items()}
    else:
        fields = {"non_field_errors": error.messages}
    return Response(error_body(400, "invalid", "Some fields are not valid.", fields), status=400)


def _invalid_file(error: ValidationError) -> Response:
    """An upload's checks failed: the messages go on the ``file`` field."""
    return _invalid(ValidationError({"file": error.messages}))


def _limited(request: Request, message: str) -> Response:
    body = error_body(403, "plan_limit", message)
    body["error"]["upgrade_url"] = request.build_absolute_uri(reverse("billing:pricing"))
    return Response(body, status=status.HTTP_403_FORBIDDEN)


@extend_schema(request=BrandKitSerializer, responses=BrandKitSerializer(many=True), methods=["GET"])
@extend_schema(request=BrandKitSerializer, responses={201: BrandKitSerializer}, methods=["POST"])
@api_view(["GET", "POST"])
def kit_list(request: Request) -> Response:
    user = request_user(request)
    if request.method == "GET":
        kits = selectors.brand_kit_list(user=user)
        return Response(BrandKitSerializer(kits, many=True, context={"request": request}).data)
    serializer = BrandKitSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        kit = services.brand_kit_create(owner=user, **serializer.validated_data)
    except ValidationError as error:
        return _invalid(error)
    except services.BrandKitLimitReached as limit:
        return _limited(request, limit.message)
    return Response(BrandKitSerializer(kit, context={"request": request}).data, status=201)


@extend_schema(request=BrandKitSerializer, responses=BrandKitSerializer)
@api_view(["GET", "PATCH", "DELETE"])
def kit_detail(request: Request, kit_id: int) -> Response:
    kit = selectors.brand_kit_get(user=request_user(request), kit_id=kit_id)
    if request.method == "DELETE":
        services.brand_kit_delete(kit=kit)
        return Response(status=204)
    if request.method == "PATCH":
        serializer = BrandKitSerializer(kit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            kit = services.brand_kit_update(kit=kit, **serializer.validated_data)
        except ValidationError as error:
            return _invalid(error)
        except services.BrandKitLimitReached as limit:
            return _limited(request, limit.message)
    return Response(BrandKitSerializer(kit, context={"request": request}).data)


def _kit_part(request: Request, kit_id: int, serializer_class: type[serializers.Serializer[Any]]) -> Response:
    """Read or change one part of a kit (its colours or its typography)."""
    kit = selectors.brand_kit_get(user=request_user(request), kit_id=kit_id)
    if request.method != "GET":
        serializer = serializer_class(kit, data=request.data, partial=request.method == "PATCH")
        serializer.is_valid(raise_exception=True)
        try:
            kit = services.brand_kit_update(kit=kit, **serializer.validated_data)
        except ValidationError as error:
            return _invalid(error)
        except services.BrandKitLimitReached as limit:
            return _limited(request, limit.message)
    return Response(serializer_class(kit).data)


@extend_schema(request=ColorsSerializer, responses=ColorsSerializer)
@api_view(["GET", "PUT", "PATCH"])
def kit_colors(request: Request, kit_id: int) -> Response:
    return _kit_part(request, kit_id, ColorsSerializer)


@extend_schema(request=TypographySerializer, responses=TypographySerializer)
@api_view(["GET", "PUT", "PATCH"])
def kit_typography(request: Request, kit_id: int) -> Response:
    return _kit_part(request, kit_id, TypographySerializer)


@extend_schema(request=LogoUploadSerializer, responses=BrandLogoSerializer(many=True))
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser, FormParser])
def kit_logos(request: Request, kit_id: int) -> Response:
    kit = selectors.brand_kit_get(user=request_user(request), kit_id=kit_id)
    if request.method == "POST":
        serializer = LogoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            logo = services.brand_logo_upload(
                kit=kit, role=serializer.validated_data["role"], upload=serializer.validated_data["file"]
            )
        except ValidationError as error:
            return _invalid_file(error)
        return Response(BrandLogoSerializer(logo, context={"request": request}).data, status=201)
    return Response(BrandLogoSerializer(kit.logos.all(), many=True, context={"request": request}).data)


@extend_schema(request=None, responses={204: None})
@api_view(["DELETE"])
def kit_logo_detail(request: Request, kit_id: int, role: str) -> Response:
    logo = selectors.brand_logo_get(user=request_user(request), kit_id=kit_id, role=role)
    services.brand_logo_delete(logo=logo)
    return Response(status=204)


@extend_schema(request=None, responses={201: BrandKitSerializer})
@api_view(["POST"])
def kit_duplicate(request: Request, kit_id: int) -> Response:
    kit = selectors.brand_kit_get(user=request_user(request), kit_id=kit_id)
    try:
        copy = services.brand_kit_duplicate(kit=kit)
    except services.BrandKitLimitReached as limit:
        return _limited(request, limit.message)
    return Response(BrandKitSerializer(copy, context={"request": request}).data, status=201)


@extend_schema(request=None, responses=BrandKitSerializer)
@api_view(["POST"])
def kit_set_default(request: Request, kit_id: int) -> Response:
    kit = selectors.brand_kit_get(user=request_user(request), kit_id=kit_id)
    kit = services.brand_kit_set_default(kit=kit)
    return Response(BrandKitSerializer(kit, context={"request": request}).data)


@extend_schema(request=UploadSerializer, responses={200: dict})
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def palette_extract(request: Request) -> Response:
    """Suggest colours with roles and a font pairing from any image (nothing is saved)."""
    serializer = UploadSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        image = open_uploaded_image(
            serializer.validated_data["file"],
            max_bytes=logos.LOGO_MAX_BYTES,
            max_pixels=logos.LOGO_MAX_PIXELS,
        )
    except ValidationError as error:
        return _invalid_file(error)
    suggested = palette.extract_palette(image, count=6)
    heading, body = palette.suggest_font_pairing(suggested)
    return Response(
        {
            "colors": [{"hex": c.hex, "role": c.role, "share": round(c.share, 3)} for c in suggested],
            "typography": {"heading_font": heading, "body_font": body},
        }
    )


@extend_schema(request=ContrastRequestSerializer, responses={200: dict})
@api_view(["POST"])
def contrast_check(request: Request) -> Response:
    """WCAG contrast of a text colour on a background, with the nearest passing colour."""
    serializer = ContrastRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        text = clean_hex(serializer.validated_data["text"])
        background = clean_hex(serializer.validated_data["background"])
    except ValidationError as error:
        return _invalid(error)
    ratio = colors.contrast_ratio(text, background)
    passes = ratio >= colors.AA_NORMAL
    return Response(
        {
            "text": text,
            "background": background,
            "ratio": round(ratio, 2),
            "grade": colors.contrast_grade(ratio),
            "passes_aa": passes,
            "suggestion": None
            if passes
            else colors.nearest_passing(text, background, target=colors.AA_NORMAL),
        }
    )


@extend_schema(responses=BrandFontSerializer(many=True), methods=["GET"])
@extend_schema(request=UploadSerializer, responses={201: BrandFontSerializer}, methods=["POST"])
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser, FormParser])
def font_list(request: Request) -> Response:
    user = request_user(request)
    if request.method == "POST":
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            font = services.brand_font_upload(owner=user, upload=serializer.validated_data["file"])
        except ValidationError as error:
            return _invalid_file(error)
        except services.BrandKitLimitReached as limit:
            return _limited(request, limit.message)
        return Response(BrandFontSerializer(font).data, status=201)
    return Response(BrandFontSerializer(selectors.brand_font_list(user=user), many=True).data)


@extend_schema(responses=CreatorMediaSerializer(many=True), methods=["GET"])
@extend_schema(request=MediaUploadSerializer, responses={201: CreatorMediaSerializer}, methods=["POST"])
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser, FormParser])
def media_list(request: Request) -> Response:
    """The creator's own images; POST (multipart: file, name, role) adds one within the plan's cap."""
    user = request_user(request)
    if request.method == "POST":
        serializer = MediaUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            item = services.media_upload(
                owner=user, upload=data["file"], name=data.get("name", ""), role=data["role"]
            )
        except ValidationError as error:
            return _invalid_file(error)
        except services.MediaLimitReached as limit:
            return _limited(request, limit.message)
        return Response(CreatorMediaSerializer(item, context={"request": request}).data, status=201)
    items = selectors.media_list(user=user)
    return Response(CreatorMediaSerializer(items, many=True, context={"request": request}).data)


@extend_schema(request=MediaChangeSerializer, responses=CreatorMediaSerializer)
@api_view(["GET", "PATCH", "DELETE"])
def media_detail(request: Request, media_id: int) -> Response:
    """One of your images; PATCH renames it or changes its role; DELETE takes it out of the list
    and of new jobs for the undo window (``POST …/restore/`` brings it back until the purge)."""
    item = selectors.media_get(user=request_user(request), media_id=media_id)
    if request.method == "DELETE":
        services.media_delete(item=item)
        return Response(status=204)
    if request.method == "PATCH":
        serializer = MediaChangeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            item = services.media_update(item=item, **serializer.validated_data)
        except ValidationError as error:
            return _invalid(error)
    return Response(CreatorMediaSerializer(item, context={"request": request}).data)


@extend_schema(request=None, responses=CreatorMediaSerializer)
@api_view(["POST"])
def media_restore(request: Request, media_id: int) -> Response:
    """Undo an image's delete within the undo window. 404 once it is too late; 403 `plan_limit`
    when the plan's room for images is used again."""
    item = selectors.media_get_for_undo(user=request_user(request), media_id=media_id)
    try:
        restored = services.media_restore(item=item)
    except services.MediaLimitReached as limit:
        return _limited(request, limit.message)
    if restored is None:
        raise Http404
    return Response(CreatorMediaSerializer(restored, context={"request": request}).data)
