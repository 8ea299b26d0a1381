from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings

from aurastream.db import acting_user, current_acting_user_id, set_acting_user

from .tokens import check_bound


class ActingUserJWTAuthentication(JWTAuthentication):
    """JWT auth that makes the token's user the acting user of the request's transaction.

    Session users are known before the view runs (ActingUserMiddleware); token users only
    once DRF authenticates inside the view.
    """

    def get_user(self, validated_token: Any) -> Any:
        # The signed token names its account, and the account's row is readable only by work
        # acting for it (aurastream.rls): inside the request's transaction, switch it to that
        # account (back again if the token is refused); outside one, read it in a transaction
        # of its own.
        claim = str(validated_token.get(api_settings.USER_ID_CLAIM, ""))
        if not claim.isascii() or not claim.isdigit():
            raise InvalidToken("Token contained no recognizable user identification")
        user_id = int(claim)
        if not connection.in_atomic_block:
            with acting_user(user_id):
                return self._bound_user(validated_token)
        before = current_acting_user_id()
        set_acting_user(user_id)
        try:
            return self._bound_user(validated_token)
        except Exception:
            set_acting_user(before)
            raise

    def _bound_user(self, validated_token: Any) -> Any:
        user = super().get_user(validated_token)
        check_bound(validated_token, user)
        return user


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
