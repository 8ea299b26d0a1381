from __future__ import annotations

from typing import Any, cast

from django.db import connection
from django.http import HttpRequest
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings as drf_settings
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


def request_user_id(request: HttpRequest, *, scope: str = "read") -> int | None:
    """Who is asking, for plain Django views that API clients call too (downloads, streams).

    A bearer token wins, tried by each of the API's authentication classes in turn (an API key
    or a JWT; the kernel names none of the apps that provide them); otherwise the browser's
    session. A credential that carries scopes (an API key: ``permits``) must permit ``scope``.
    None when nothing authenticates.
    """
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return _bearer_user_id(Request(request), scope)
    user = request.user
    return user.pk if user.is_authenticated else None


def _bearer_user_id(request: Request, scope: str) -> int | None:
    # DRF imports the dotted paths in its settings: classes, though its stubs say strings.
    classes = cast("list[type[BaseAuthentication]]", drf_settings.DEFAULT_AUTHENTICATION_CLASSES)
    for authentication_class in classes:
        if issubclass(authentication_class, SessionAuthentication):
            continue  # a bearer token is the credential here, not the cookie
        try:
            result = authentication_class().authenticate(request)
        except (TokenError, APIException):  # refused (401), or not allowed at all (403)
            return None
        if result is None:
            continue
        user, auth = result
        permits = getattr(auth, "permits", None)
        if permits is not None and not permits(scope):
            return None
        return int(user.pk)
    return None
