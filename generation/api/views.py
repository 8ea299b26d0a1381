from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from aurastream.api.errors import error_body
from billing.services import QuotaExceeded
from generation import selectors, services
from generation.models import GenerationJob
from generation.platforms import registry
from generation.services import JobRequest

from .serializers import GenerationCreateSerializer, GenerationJobSerializer, PlatformSpecSerializer


@extend_schema(responses=PlatformSpecSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def platform_list(request: Request) -> Response:
    """Every platform asset type AuraStream makes: sizes, formats, byte caps, safe zones."""
    return Response(PlatformSpecSerializer(registry().all(), many=True).data)


def _serialize(request: Request, jobs: list[GenerationJob]) -> Any:
    assets = selectors.job_assets_by_job(jobs=jobs)
    return GenerationJobSerializer(jobs, many=True, context={"request": request, "assets": assets}).data


@extend_schema(
    request=GenerationCreateSerializer,
    responses={201: GenerationJobSerializer, 200: GenerationJobSerializer},
    parameters=[
        OpenApiParameter(
            "Idempotency-Key",
            str,
            OpenApiParameter.HEADER,
            description="Repeat a request safely: the same key returns the first job.",
        )
    ],
    methods=["POST"],
)
@extend_schema(responses=GenerationJobSerializer(many=True), methods=["GET"])
@api_view(["GET", "POST"])
def generation_list(request: Request) -> Response:
    """GET: the creator's jobs, newest first. POST: start a job (reserves its cost)."""
    user = cast(User, request.user)
    if request.method == "GET":
        jobs = list(selectors.job_list(user=user)[:50])
        return Response(_serialize(request, jobs))
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
    )
    try:
        job, created = services.job_create(
            user=user, request=job_request, idempotency_key=request.headers.get("Idempotency-Key", "")
        )
    except ValidationError as error:
        fields = dict(error.message_dict)
        if "spec_key" in fields:
            fields["asset_type"] = fields.pop("spec_key")
        return Response(
            error_body(400, "invalid", "Some fields are not valid.", fields),
            status=status.HTTP_400_BAD_REQUEST,
        )
    except QuotaExceeded as exceeded:
        body = error_body(402, "quota_exceeded", exceeded.message)
        body["error"]["upgrade_url"] = request.build_absolute_uri(reverse("billing:pricing"))
        return Response(body, status=status.HTTP_402_PAYMENT_REQUIRED)
    return Response(
        _serialize(request, [job])[0], status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
    )


@extend_schema(responses=GenerationJobSerializer)
@api_view(["GET"])
def generation_detail(request: Request, job_id: str) -> Response:
    job = selectors.job_get(user=cast(User, request.user), job_id=job_id)
    return Response(_serialize(request, [job])[0])


@extend_schema(request=None, responses=GenerationJobSerializer)
@api_view(["POST"])
def generation_cancel(request: Request, job_id: str) -> Response:
    job = selectors.job_get(user=cast(User, request.user), job_id=job_id)
    job = services.job_cancel(job=job)
    return Response(_serialize(request, [job])[0])
