"""API keys beside the JWT: ``Authorization: Bearer as_live_…``.

Listed first in ``DEFAULT_AUTHENTICATION_CLASSES``: a bearer token without the key prefix (a
JWT) is not ours and goes on to the JWT class; one with it is a key, and a key that is
unknown, revoked or expired (or whose maker has left its workspace, or whose account is
inactive) is a 401; one whose maker's plan no longer has the developer API is a 403.
``request.auth`` is the ``ApiKey`` (its ``workspace_id`` names the workspace the key acts in).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied, Throttled
from rest_framework.request import Request

from aurastream.db import set_acting_user, system_work
from aurastream.types import client_ip
from billing import entitlements
from workspaces.current import set_current

from . import selectors, services
from .models import KEY_PREFIX, ApiKey
from .throttling import RefusedKeyThrottle

REFUSED = "This API key is not valid: it may have been revoked or have expired."


def presented_key(request: Request) -> str | None:
    """The API key in the Authorization header, or None when the header holds none."""
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials.startswith(KEY_PREFIX):
        return None
    return credentials


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        key = presented_key(request)
        if key is None:
            return None
        throttle = RefusedKeyThrottle()
        wait = throttle.blocked(request)
        if wait is not None:
            raise Throttled(wait=wait, detail="Too many API keys were refused from this address.")
        # Nobody acts yet: the key is found as system work, then the request's transaction
        # acts for its user (as ActingUserJWTAuthentication does), back again if refused.
        with system_work():
            api_key = selectors.api_key_by_key(key)
            if api_key is None or not self._valid(api_key):
                throttle.refused(request)
                raise AuthenticationFailed(REFUSED, code="invalid_api_key")
            # A plan that no longer has the developer API leaves the key valid but idle.
            allowance = entitlements.developer_api(api_key.user)
            if not allowance.may_use_keys:
                raise PermissionDenied(allowance.explanation, code="plan_limit")
            services.api_key_touch(api_key=api_key, address=client_ip(request._request))
        if connection.in_atomic_block:
            set_acting_user(api_key.user_id)
        set_current(api_key.user_id, api_key.workspace_id)  # a key works in its workspace
        return api_key.user, api_key

    @staticmethod
    def _valid(api_key: ApiKey) -> bool:
        """Not revoked or expired, its account active, its maker still in its workspace."""
        return api_key.is_active and api_key.user.is_active and bool(getattr(api_key, "still_member", False))

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Documents API keys in the OpenAPI schema."""

    target_class = "developers.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API key (`as_live_…`), made on the API keys page or with "
                "`POST /api/v1/keys/`: `Authorization: Bearer <key>`. Its scopes (read, "
                "generate, library_write) limit what it may do."
            ),
        }
