from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import services
from aurastream.types import request_user

from .serializers import MeSerializer


@extend_schema(responses=MeSerializer, request=MeSerializer)
@api_view(["GET", "PATCH"])
def me(request: Request) -> Response:
    """The signed-in creator's profile; PATCH changes the display name or timezone."""
    user = request_user(request)
    if request.method == "PATCH":
        serializer = MeSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_profile_update(
            user=user,
            display_name=serializer.validated_data.get("display_name", user.display_name),
            timezone=serializer.validated_data.get("timezone", user.timezone),
        )
    return Response(MeSerializer(user).data)
