"""API keys over the API: list, make (the key is in the answer, once) and revoke. Signed-in
sessions and JWTs only: a key never manages keys."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from aurastream.api.errors import error_body, validation_response
from aurastream.types import request_user
from workspaces.selectors import membership_get, personal_membership

from .. import selectors, services
from ..permissions import NoApiKey
from .serializers import ApiKeyCreatedSerializer, ApiKeyCreateSerializer, ApiKeySerializer


@extend_schema(
    methods=["GET"],
    operation_id="keys_list",
    responses=inline_serializer("ApiKeyList", fields={"results": ApiKeySerializer(many=True)}),
)
@extend_schema(methods=["POST"], request=ApiKeyCreateSerializer, responses={201: ApiKeyCreatedSerializer})
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated, NoApiKey])
def key_list(request: Request) -> Response:
    """GET: the keys you made. POST: make one; the answer's `key` is shown this once and never
    again (only its hash is kept)."""
    user = request_user(request)
    if request.method == "GET":
        return Response({"results": ApiKeySerializer(selectors.api_key_list(user=user), many=True).data})
    given = ApiKeyCreateSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    data = given.validated_data
    workspace = data.get("workspace")
    membership = (
        personal_membership(user=user)
        if workspace is None
        else membership_get(user=user, workspace_id=workspace)
    )
    if membership is None:
        raise Http404("No such workspace.")
    try:
        api_key, key = services.api_key_create(
            user=user,
            membership=membership,
            name=data["name"],
            scopes=data["scopes"],
            expires_in_days=data.get("expires_in_days"),
        )
    except ValidationError as error:
        return validation_response(error)
    except PermissionDenied as refused:
        code = "plan_limit" if isinstance(refused, services.KeysNotInPlan) else "permission_denied"
        return Response(error_body(403, code, str(refused)), status=403)
    api_key.key = key  # type: ignore[attr-defined]  # the one answer that carries it
    return Response(ApiKeyCreatedSerializer(api_key).data, status=201)


@extend_schema(request=None, responses={204: None})
@api_view(["DELETE"])
@permission_classes([IsAuthenticated, NoApiKey])
def key_detail(request: Request, key_id: int) -> Response:
    """Revoke a key you made, or one made for a team you administer; it stops working at once."""
    api_key = selectors.api_key_get(user=request_user(request), key_id=key_id)
    if api_key is None:
        raise Http404("No such API key.")
    services.api_key_revoke(api_key=api_key)
    return Response(status=204)
