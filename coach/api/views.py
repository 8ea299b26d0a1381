"""Coach sessions over the API. Every lookup is scoped to the requesting creator (404 otherwise).

Sending a message is ``events.session_messages``: it answers as server-sent events.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.api.errors import error_body, validation_response
from aurastream.types import request_user
from billing.services import CoachLimitReached, MotionNotAllowed, QuotaExceeded
from coach import selectors, services

from .serializers import (
    CoachSessionCreateSerializer,
    CoachSessionDetailSerializer,
    CoachSessionSerializer,
    CoachSessionUpdateSerializer,
)


def _invalid(error: ValidationError) -> Response:
    return validation_response(error)


@extend_schema(responses=CoachSessionSerializer(many=True), methods=["GET"])
@extend_schema(
    request=CoachSessionCreateSerializer, responses={201: CoachSessionDetailSerializer}, methods=["POST"]
)
@api_view(["GET", "POST"])
def session_list(request: Request) -> Response:
    """GET: the creator's coach sessions, latest first. POST: start one (Free: one trial)."""
    user = request_user(request)
    if request.method == "GET":
        sessions = selectors.session_list(user=user)[:100]
        return Response(CoachSessionSerializer(sessions, many=True).data)
    serializer = CoachSessionCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    spec_key = f"{data['platform']}.{data['asset_type']}" if data["platform"] else ""
    try:
        session = services.session_create(
            user=user, brand_kit_id=data["brand_kit"], spec_key=spec_key, title=data["title"]
        )
    except ValidationError as error:
        return _invalid(error)
    except CoachLimitReached as limit:
        body = error_body(403, "plan_limit", limit.message)
        body["error"]["upgrade_url"] = request.build_absolute_uri(reverse("billing:pricing"))
        return Response(body, status=status.HTTP_403_FORBIDDEN)
    return Response(CoachSessionDetailSerializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema(responses=CoachSessionDetailSerializer, methods=["GET"])
@extend_schema(
    request=CoachSessionUpdateSerializer, responses=CoachSessionDetailSerializer, methods=["PATCH"]
)
@extend_schema(responses={204: None}, methods=["DELETE"])
@api_view(["GET", "PATCH", "DELETE"])
def session_detail(request: Request, session_id: str) -> Response:
    """A session with its whole conversation; rename it, change its brand kit, or delete it
    (for the undo window: ``POST …/restore/`` brings it back until the purge)."""
    session = selectors.session_get(user=request_user(request), session_id=session_id)
    if request.method == "DELETE":
        services.session_delete(session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.method == "PATCH":
        serializer = CoachSessionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            session = services.session_update(
                session=session,
                title=serializer.validated_data.get("title"),
                brand_kit_id=serializer.validated_data.get("brand_kit"),
            )
        except ValidationError as error:
            return _invalid(error)
    return Response(CoachSessionDetailSerializer(session).data)


@extend_schema(request=None, responses=CoachSessionDetailSerializer)
@api_view(["POST"])
def session_restore(request: Request, session_id: str) -> Response:
    """Undo a session's delete within the undo window: back with its conversation and brief.
    404 once it is too late."""
    session = selectors.session_get_for_undo(user=request_user(request), session_id=session_id)
    restored = services.session_restore(session=session)
    if restored is None:
        raise Http404
    return Response(CoachSessionDetailSerializer(restored).data)


@extend_schema(
    request=None,
    responses={
        201: inline_serializer(
            "CoachGenerateResponse",
            {
                "job": serializers.UUIDField(),
                "status": serializers.CharField(),
                "url": serializers.CharField(),
            },
        )
    },
)
@api_view(["POST"])
def session_generate(request: Request, session_id: str) -> Response:
    """Start a generation job from the session's brief (once the coach says it is ready)."""
    user = request_user(request)
    session = selectors.session_get(user=user, session_id=session_id)
    try:
        job = services.job_from_brief(
            user=user, session=session, idempotency_key=request.headers.get("Idempotency-Key", "")
        )
    except ValidationError as error:
        return _invalid(error)
    except QuotaExceeded as exceeded:
        # A plan without motion is a plan limit (403), like every other API; no room is 402.
        code, reason = (
            (403, "plan_limit") if isinstance(exceeded, MotionNotAllowed) else (402, "quota_exceeded")
        )
        body = error_body(code, reason, exceeded.message)
        body["error"]["upgrade_url"] = request.build_absolute_uri(reverse("billing:pricing"))
        return Response(body, status=code)
    return Response(
        {
            "job": str(job.pk),
            "status": job.status,
            "url": request.build_absolute_uri(reverse("api-generation", args=[job.pk])),
        },
        status=status.HTTP_201_CREATED,
    )
