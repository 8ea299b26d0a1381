from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.api.errors import error_body, validation_response
from aurastream.types import request_user
from billing.services import MotionNotAllowed, QuotaExceeded, RefineNotAllowed
from generation import selectors, services
from generation.models import GenerationJob
from generation.quick.services import job_from_template, template_request
from generation.quick.services import template_preview as template_preview_png
from generation.quick.templates import QuickTemplate, catalog, template_get
from generation.services import JobRequest
from library.selectors import asset_get
from platforms import registry

from .serializers import (
    AnimateRequestSerializer,
    GenerationCreateSerializer,
    GenerationJobSerializer,
    GenerationJobSummarySerializer,
    PlatformSpecSerializer,
    QuickTemplateSerializer,
    RefineRequestSerializer,
    TemplateGenerateSerializer,
)


@extend_schema(responses=PlatformSpecSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def platform_list(request: Request) -> Response:
    """Every platform asset type AuraStream makes: sizes, formats, byte caps, safe zones."""
    return Response(PlatformSpecSerializer(registry().all(), many=True).data)


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Repeat a request safely: the same key returns the first job.",
)


def _upgrade_needed(request: Request, status_code: int, code: str, message: str) -> Response:
    """A plan limit, in the API's error shape, with where to upgrade."""
    body = error_body(status_code, code, message)
    body["error"]["upgrade_url"] = request.build_absolute_uri(reverse("billing:pricing"))
    return Response(body, status=status_code)


def _serialize(request: Request, jobs: list[GenerationJob]) -> Any:
    assets = selectors.job_assets_by_job(jobs=jobs)
    return GenerationJobSerializer(jobs, many=True, context={"request": request, "assets": assets}).data


def _started(request: Request, start: Callable[[], tuple[GenerationJob, bool]]) -> Response:
    """The job ``start`` made (201, or 200 when its Idempotency-Key already had one), or why not:
    bad input 400, a feature the plan lacks 403 ``plan_limit``, no room left 402."""
    try:
        job, created = start()
    except ValidationError as error:
        return validation_response(error)
    except (RefineNotAllowed, MotionNotAllowed) as refused:
        return _upgrade_needed(request, 403, "plan_limit", refused.message)
    except QuotaExceeded as exceeded:
        return _upgrade_needed(request, 402, "quota_exceeded", exceeded.message)
    return Response(
        _serialize(request, [job])[0], status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


class GenerationPagination(CursorPagination):
    """Newest first, a page at a time: follow ``next`` (``?cursor=``); ``?page_size=`` up to 100
    (20 when not given). A cursor, not page numbers: new jobs arrive at the top while a client
    pages, and a cursor's pages neither repeat nor skip a job when they do."""

    # The id breaks ties between jobs made in the same microsecond, so the order is total; the
    # (user, -created_at) index serves it.
    ordering = ("-created_at", "-id")
    cursor_query_description = "Where the page starts: take it from `next` or `previous`."
    page_size = 20
    page_size_query_param = "page_size"
    page_size_query_description = "Jobs per page: 1 to 100 (more asks get 100); 20 when not given."
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise serializers.ValidationError(
                {self.page_size_query_param: ["Use a whole number from 1 (more than 100 gives 100)."]}
            )
        return min(size, self.max_page_size)

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF's, plus a position that is a moment in time: a cursor made up or damaged is a 404
        like any cursor DRF cannot read, never a query the database refuses."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        try:
            moment = parse_datetime(str(cursor.position))
            if moment is None or moment.tzinfo is None:
                raise ValueError(cursor.position)
            moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor


class GenerationList(generics.ListAPIView[GenerationJob]):
    """GET: the creator's jobs, newest first, a page at a time (follow `next`; `page_size` up to
    100), each in brief: its status, what it makes, its cost, how many assets it has, a thumbnail
    and its `url`, where its assets, files and checks are. POST: start a job (reserves its cost)."""

    serializer_class = GenerationJobSummarySerializer
    pagination_class = GenerationPagination

    def get_queryset(self) -> QuerySet[GenerationJob]:
        return selectors.job_summaries(user=request_user(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        jobs = cast(list[GenerationJob], self.paginate_queryset(self.get_queryset()))
        context = {"request": request, "thumbnails": selectors.job_thumbnails(jobs=jobs)}
        return self.get_paginated_response(
            GenerationJobSummarySerializer(jobs, many=True, context=context).data
        )

    @extend_schema(
        request=GenerationCreateSerializer,
        responses={201: GenerationJobSerializer, 200: GenerationJobSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request: Request) -> Response:
        serializer = GenerationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job_request = JobRequest(
            spec_key=f"{data['platform']}.{data['asset_type']}",
            prompt=data["prompt"],
            text=data["text"],
            negative_prompt=data["negative_prompt"],
            variants=data["variants"],
            pack=data["pack"],
            pack_items=data["pack_items"],
            seed=data.get("seed"),
            brand_kit_id=data.get("brand_kit"),
            media_ids=tuple(data["media"]),
            layout=data["layout"],
            style=data["style"],
            colours=tuple(data["colours"]),
            animation=data["animation"],
            speed=data["speed"],
            loops=data["loops"],
            fps=data["fps"],
        )
        return _started(
            request,
            lambda: services.job_create(
                user=request_user(request),
                request=job_request,
                idempotency_key=request.headers.get("Idempotency-Key", ""),
            ),
        )


@extend_schema(responses=GenerationJobSerializer)
@api_view(["GET"])
def generation_detail(request: Request, job_id: str) -> Response:
    job = selectors.job_get(user=request_user(request), job_id=job_id)
    return Response(_serialize(request, [job])[0])


@extend_schema(request=None, responses=GenerationJobSerializer)
@api_view(["POST"])
def generation_cancel(request: Request, job_id: str) -> Response:
    job = selectors.job_get(user=request_user(request), job_id=job_id)
    job = services.job_cancel(job=job)
    return Response(_serialize(request, [job])[0])


# --- Quick Create templates ------------------------------------------------------------------


def _template(key: str) -> QuickTemplate:
    try:
        return template_get(key)
    except KeyError:
        raise Http404 from None


def _invalid(error: ValidationError) -> Response:
    return validation_response(error)


@extend_schema(responses=QuickTemplateSerializer(many=True))
@api_view(["GET"])
def template_list(request: Request) -> Response:
    """The Quick Create templates: what each makes, its vibes and its fields."""
    templates = catalog().templates
    return Response(QuickTemplateSerializer(templates, many=True, context={"request": request}).data)


@extend_schema(responses=QuickTemplateSerializer)
@api_view(["GET"])
def template_detail(request: Request, key: str) -> Response:
    return Response(QuickTemplateSerializer(_template(key), context={"request": request}).data)


@extend_schema(
    request=TemplateGenerateSerializer,
    responses={201: GenerationJobSerializer, 200: GenerationJobSerializer},
    parameters=[IDEMPOTENCY_KEY],
)
@api_view(["POST"])
def template_generate(request: Request, key: str) -> Response:
    """Start the template's job in one step (a pack makes one asset per item)."""
    template = _template(key)
    serializer = TemplateGenerateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return _started(
        request,
        lambda: job_from_template(
            user=request_user(request),
            template=template,
            vibe=data.get("vibe") or None,
            values=data.get("fields") or {},
            seed=data.get("seed"),
            brand_kit_id=data.get("brand_kit"),
            media_ids=tuple(data.get("media") or ()),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        ),
    )


@extend_schema(
    parameters=[
        OpenApiParameter("vibe", str, description="A vibe key; empty: the first."),
        OpenApiParameter("brand_kit", int, description="One of your kits; empty: your default kit."),
        OpenApiParameter("seed", int, description="The seed a job would use (default 7)."),
        OpenApiParameter("<field key>", str, description="Each of the template's fields, by key."),
    ],
    responses={(200, "image/png"): bytes},
)
@api_view(["GET"])
def template_preview(request: Request, key: str) -> HttpResponse:
    """A PNG of what the template makes with these choices, drawn with your brand kit."""
    template = _template(key)
    try:
        seed = int(request.query_params.get("seed", 7))
        kit = request.query_params.get("brand_kit")
        job_request = template_request(
            template=template,
            vibe=request.query_params.get("vibe") or None,
            values={
                f.key: request.query_params[f.key] for f in template.fields if f.key in request.query_params
            },
            seed=seed if 0 <= seed < 2**31 else 7,
            brand_kit_id=int(kit) if kit else None,
        )
        png = template_preview_png(user=request_user(request), request=job_request)
    except ValueError:
        return _invalid(ValidationError({"seed": "Use whole numbers for the seed and the brand kit."}))
    except ValidationError as error:
        return _invalid(error)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


# --- Refine ----------------------------------------------------------------------------------


@extend_schema(
    request=RefineRequestSerializer,
    responses={201: GenerationJobSerializer, 200: GenerationJobSerializer},
    parameters=[IDEMPOTENCY_KEY],
)
@api_view(["POST"])
def asset_refine(request: Request, asset_id: str) -> Response:
    """A new version of the asset from its own recipe plus the instruction ("brighter", "bigger
    text"…). The job's ``refine`` says which changes the engine applied."""
    user = request_user(request)
    asset = asset_get(user=user, asset_id=asset_id)
    serializer = RefineRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return _started(
        request,
        lambda: services.asset_refine(
            user=user,
            asset=asset,
            instruction=serializer.validated_data["instruction"],
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        ),
    )


# --- Animate ---------------------------------------------------------------------------------


@extend_schema(
    request=AnimateRequestSerializer,
    responses={201: GenerationJobSerializer, 200: GenerationJobSerializer},
    parameters=[IDEMPOTENCY_KEY],
)
@api_view(["POST"])
def asset_animate(request: Request, asset_id: str) -> Response:
    """A still asset's design made again on an animated asset type (Pro and Studio): the same
    words, seed and brand, moved by the animation. A new asset; counts as one generation."""
    user = request_user(request)
    asset = asset_get(user=user, asset_id=asset_id)
    serializer = AnimateRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return _started(
        request,
        lambda: services.asset_animate(
            user=user,
            asset=asset,
            spec_key=f"{data['platform']}.{data['asset_type']}",
            animation=data["animation"],
            speed=data["speed"],
            loops=data["loops"],
            fps=data["fps"],
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        ),
    )
