"""Request types for views that only signed-in creators reach (after login_required, or the
API's IsAuthenticated), the client's address, and a form's fields by their kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from django import forms
from django.conf import settings
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


def client_ip(request: HttpRequest) -> str:
    """The client's address as our proxies report it (``TRUSTED_PROXY_COUNT`` hops of
    X-Forwarded-For are theirs; without proxies, the connection's address)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        chain = request.headers.get("X-Forwarded-For", "").split(",")
        forwarded = [part.strip() for part in chain if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


FieldKind = TypeVar("FieldKind", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldKind]) -> FieldKind:
    """The form's own copy of field ``name`` as the ``kind`` it is declared as (``form.fields``
    holds plain ``Field``s to a type checker), so its queryset or choices can be set per request."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
