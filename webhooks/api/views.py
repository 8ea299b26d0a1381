"""Webhooks over the API, for a workspace's admins: endpoints (list, create, read, change,
delete, rotate the secret), an endpoint's deliveries, and redelivering one. An endpoint is
created in ``workspace`` (default: the creator's personal workspace). A workspace the creator
isn't a member of is a 404; a role below admin a 403."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.api.errors import error_body
from aurastream.types import request_user
from workspaces.models import Membership, Role
from workspaces.selectors import membership_get, personal_membership

from .. import selectors, services
from ..models import Endpoint
from .serializers import DeliverySerializer, EndpointCreatedSerializer, EndpointSerializer, SecretSerializer


def _admin_of(request: Request, workspace_id: object) -> Membership:
    membership = membership_get(user=request_user(request), workspace_id=workspace_id)
    if membership is None:
        raise Http404("No such workspace.")
    if not membership.may(Role.ADMIN):
        raise PermissionDenied("Only the workspace's admins and owner manage its webhooks.")
    return membership


def _endpoint(request: Request, endpoint_id: int) -> Endpoint:
    workspace_id = selectors.endpoint_workspace_id(endpoint_id)
    if workspace_id is None:
        raise Http404("No such endpoint.")
    _admin_of(request, workspace_id)
    found = selectors.endpoint_get(workspace_id=workspace_id, endpoint_id=endpoint_id)
    if found is None:
        raise Http404("No such endpoint.")
    return found


@extend_schema(
    parameters=[OpenApiParameter("workspace", int, description="Default: your personal workspace")],
    request=EndpointSerializer,
    responses={200: EndpointSerializer(many=True), 201: EndpointCreatedSerializer},
)
@api_view(["GET", "POST"])
def endpoint_list(request: Request) -> Response:
    user = request_user(request)
    body = request.data if isinstance(request.data, Mapping) else {}
    chosen = request.query_params.get("workspace") or body.get("workspace")
    if chosen is None:
        personal = personal_membership(user=user)
        chosen = personal.workspace_id if personal else None
    membership = _admin_of(request, chosen)
    if request.method == "GET":
        endpoints = selectors.endpoint_list(workspace_id=membership.workspace_id)
        return Response(EndpointSerializer(endpoints, many=True).data)
    serializer = EndpointSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    endpoint = services.endpoint_create(
        workspace=membership.workspace,
        url=data["url"],
        description=data.get("description", ""),
        event_types=data.get("event_types", []),
        created_by=user,
    )
    endpoint.secret = services.secret_current(endpoint)  # type: ignore[attr-defined]  # shown once, here
    return Response(EndpointCreatedSerializer(endpoint).data, status=201)


@extend_schema(request=EndpointSerializer, responses={200: EndpointSerializer, 204: None})
@api_view(["GET", "PATCH", "DELETE"])
def endpoint_detail(request: Request, endpoint_id: int) -> Response:
    endpoint = _endpoint(request, endpoint_id)
    if request.method == "DELETE":
        services.endpoint_delete(endpoint=endpoint)
        return Response(status=204)
    if request.method == "PATCH":
        serializer = EndpointSerializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=endpoint, **serializer.validated_data)
    return Response(EndpointSerializer(endpoint).data)


@extend_schema(request=None, responses=SecretSerializer)
@api_view(["POST"])
def endpoint_rotate(request: Request, endpoint_id: int) -> Response:
    """A new signing secret; the previous one keeps signing beside it for 24 hours."""
    endpoint = _endpoint(request, endpoint_id)
    fresh = services.secret_rotate(endpoint=endpoint)
    until = selectors.previous_secret_until(endpoint=endpoint)
    return Response(SecretSerializer({"secret": fresh, "previous_valid_until": until}).data)


@extend_schema(responses=DeliverySerializer(many=True))
@api_view(["GET"])
def endpoint_deliveries(request: Request, endpoint_id: int) -> Response:
    endpoint = _endpoint(request, endpoint_id)
    return Response(DeliverySerializer(selectors.delivery_list(endpoint=endpoint), many=True).data)


@extend_schema(request=None, responses={202: DeliverySerializer})
@api_view(["POST"])
def delivery_redeliver(request: Request, delivery_id: int) -> Response:
    workspace_id = selectors.delivery_workspace_id(delivery_id)
    if workspace_id is None:
        raise Http404("No such delivery.")
    _admin_of(request, workspace_id)
    delivery = selectors.delivery_get(workspace_id=workspace_id, delivery_id=delivery_id)
    if delivery is None:
        raise Http404("No such delivery.")
    try:
        again = services.delivery_redeliver(delivery=delivery)
    except services.WebhookError as error:
        return Response(error_body(409, "endpoint_off", error.message), status=409)
    again.refresh_from_db()
    return Response(DeliverySerializer(again).data, status=202)
