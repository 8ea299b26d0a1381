"""Platform connections over the API: list, start and finish connecting, read again,
disconnect, a YouTube channel's recent videos, and publishing an asset. Every lookup is
scoped to the requesting creator (404 otherwise); a platform's failure is its own status
(503 with Retry-After when it is down or limiting, 409 ``reconnect`` when it refuses the
connection's tokens, 400 when it refuses the request) and changes nothing."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.api.errors import error_body
from aurastream.middleware import keep_writes
from aurastream.types import request_user
from library.models import Asset

from .. import publishing, selectors, services
from ..providers import PROVIDERS, YOUTUBE, ProviderError, TokenRejected
from .serializers import (
    ConnectionListSerializer,
    ConnectionSerializer,
    FinishSerializer,
    PublicationSerializer,
    PublishSerializer,
)


def _provider_failed(error: ProviderError) -> Response:
    code = (
        "reconnect"
        if isinstance(error, TokenRejected)
        else ("unavailable" if error.status == 503 else "refused")
    )
    response = Response(error_body(error.status, code, error.message), status=error.status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return keep_writes(response)  # type: ignore[return-value]  # the same Response, marked


def _limit(request: Request, limit: services.ConnectionLimitReached) -> Response:
    body = error_body(403, "plan_limit", limit.message)
    body["error"]["upgrade_url"] = request.build_absolute_uri(reverse("billing:pricing"))
    return Response(body, status=403)


def _callback(request: Request, provider: str) -> str:
    return request.build_absolute_uri(reverse("connections:callback", args=[provider]))


def _provider(provider: str) -> str:
    if provider not in PROVIDERS:
        raise Http404("No such platform.")
    return provider


@extend_schema(operation_id="connections_list", responses=ConnectionListSerializer)
@api_view(["GET"])
def connection_list(request: Request) -> Response:
    user = request_user(request)
    connections = selectors.connection_list(user=user)
    allowance = services.allowance_for(user)
    return Response(
        {
            "results": ConnectionSerializer(connections, many=True, context={"request": request}).data,
            "allowance": {
                "limit": allowance.limit,
                "used": allowance.used,
                "may_connect": allowance.may_connect,
            },
            "providers": [
                {"name": p.name, "label": p.label, "configured": p.configured} for p in PROVIDERS.values()
            ],
        }
    )


@extend_schema(request=None, responses={200: dict})
@api_view(["POST"])
def connect_start(request: Request, provider: str) -> Response:
    """Where to send the creator to approve; the platform then returns to ``redirect_uri``
    (the site's own callback, which finishes it for a signed-in creator), or a client that
    catches that redirect posts its ``code`` and ``state`` to ``…/finish/``."""
    user = request_user(request)
    try:
        started = services.connect_start(
            user=user, provider=_provider(provider), redirect_uri=_callback(request, provider)
        )
    except services.ConnectionLimitReached as limit:
        return _limit(request, limit)
    except ProviderError as error:
        return _provider_failed(error)
    return Response(
        {
            "authorize_url": started.authorize_url,
            "state": started.state,
            "redirect_uri": _callback(request, provider),
        }
    )


@extend_schema(request=FinishSerializer, responses={201: ConnectionSerializer})
@api_view(["POST"])
def connect_finish(request: Request, provider: str) -> Response:
    data = FinishSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        connection = services.connect_finish(
            user=request_user(request),
            provider=_provider(provider),
            code=data.validated_data["code"],
            state=data.validated_data["state"],
            redirect_uri=_callback(request, provider),
        )
    except services.ConnectionLimitReached as limit:
        return _limit(request, limit)
    except services.ConnectFailed as failed:
        return Response(error_body(400, "invalid_state", failed.message), status=400)
    except ProviderError as error:
        return _provider_failed(error)
    return Response(ConnectionSerializer(connection, context={"request": request}).data, status=201)


@extend_schema(responses={200: ConnectionSerializer, 204: None})
@api_view(["GET", "DELETE"])
def connection_detail(request: Request, connection_id: int) -> Response:
    connection = selectors.connection_get(user=request_user(request), connection_id=connection_id)
    if request.method == "DELETE":
        services.connection_disconnect(connection=connection)
        return Response(status=204)
    return Response(ConnectionSerializer(connection, context={"request": request}).data)


@extend_schema(request=None, responses={200: ConnectionSerializer})
@api_view(["POST"])
def connection_read(request: Request, connection_id: int) -> Response:
    connection = selectors.connection_get(user=request_user(request), connection_id=connection_id)
    try:
        services.connection_read(connection=connection)
    except ProviderError as error:
        return _provider_failed(error)
    return Response(ConnectionSerializer(connection, context={"request": request}).data)


@extend_schema(responses={200: dict})
@api_view(["GET"])
def connection_videos(request: Request, connection_id: int) -> Response:
    connection = selectors.connection_get(user=request_user(request), connection_id=connection_id)
    if connection.provider != YOUTUBE.name:
        raise Http404("Only YouTube channels have videos to publish thumbnails to.")
    try:
        videos = publishing.recent_videos(connection)
    except ProviderError as error:
        return _provider_failed(error)
    return Response(
        {"results": [{"id": v.id, "title": v.title, "published_at": v.published_at} for v in videos]}
    )


@extend_schema(request=PublishSerializer, responses={201: PublicationSerializer})
@api_view(["POST"])
def asset_publish(request: Request, asset_id: Any) -> Response:
    user = request_user(request)
    asset = get_object_or_404(Asset.objects.filter(owner=user, deleted_at__isnull=True), pk=asset_id)
    data = PublishSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    connection = selectors.connection_get(user=user, connection_id=data.validated_data["connection"])
    if not publishing.publish_kind(asset):
        return Response(
            error_body(
                400, "not_publishable", "Only YouTube thumbnails and channel banners can be published."
            ),
            status=400,
        )
    try:
        publication = publishing.asset_publish(
            asset=asset, connection=connection, video_id=data.validated_data["video"]
        )
    except ProviderError as error:
        return _provider_failed(error)
    return Response(PublicationSerializer(publication).data, status=201)
