from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from aurastream.db import set_acting_user

from .tokens import check_bound


class ActingUserJWTAuthentication(JWTAuthentication):
    """JWT auth that makes the token's user the acting user of the request's transaction.

    Session users are known before the view runs (ActingUserMiddleware); token users only
    once DRF authenticates inside the view.
    """

    def get_user(self, validated_token: Any) -> Any:
        user = super().get_user(validated_token)
        check_bound(validated_token, user)
        return user

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            set_acting_user(result[0].pk)
        return result


class ActingUserJWTScheme(SimpleJWTScheme):
    """Documents the bearer-token scheme in the OpenAPI schema."""

    target_class = "aurastream.api.authentication.ActingUserJWTAuthentication"


def request_user_id(request: HttpRequest) -> int | None:
    """Who is asking, for plain Django views that API clients call too (downloads, streams).

    A bearer token wins; otherwise the browser's session. None when neither authenticates.
    """
    if request.headers.get("Authorization", "").startswith("Bearer "):
        try:
            result = ActingUserJWTAuthentication().authenticate(Request(request))
        except (InvalidToken, TokenError, AuthenticationFailed):
            return None
        return result[0].pk if result else None
    user = request.user
    return user.pk if user.is_authenticated else None
