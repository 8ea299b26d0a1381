"""Request types for views that only signed-in creators reach (after login_required, or the
API's IsAuthenticated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails
    from rest_framework.request import Request

    from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User


def request_user(request: Request) -> User:
    """The creator an API view serves: its permission (IsAuthenticated, the API's default)
    has already turned anonymous requests away."""
    return cast("User", request.user)
