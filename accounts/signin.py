"""Signing in with a password, wherever it happens: the sign-in page (allauth), API tokens and
the admin. All of them authenticate through allauth's adapter (``accounts.adapters``), so one
lockout covers them, and each answers a locked-out attempt with 429 and a way back in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

LOCKED_CODE = "too_many_login_attempts"
LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this account. Wait a few minutes, or reset your "
    "password by email to get back in now."
)
RETRY_AFTER_SECONDS = 300


def authenticate(request: HttpRequest, email: str, password: str) -> Any:
    """The account for ``email`` and ``password``, or None. Raises ``Locked`` when the shared
    lockout refuses the attempt (nothing is checked then)."""
    try:
        return get_adapter(request).authenticate(request, email=email, password=password)
    except ValidationError as error:
        if error.code == LOCKED_CODE:
            raise Locked from error
        raise


class Locked(Exception):
    """The shared sign-in lockout refused the attempt."""


def is_locked_response(response: HttpResponse) -> bool:
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is None or not form.is_bound:
        return False
    return any(error.code == LOCKED_CODE for error in form.errors.as_data().get("__all__", []))


def answer_429_when_locked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A sign-in view that answers 429 (with Retry-After) when the lockout refused the attempt;
    the page still shows the form and the message."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "POST" and is_locked_response(response):
            response.status_code = 429
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    return wrapped


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in, through the same lockout as every other password sign-in."""

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if self.request is None:
            return super().clean()
        if email is not None and password:
            try:
                self.user_cache = authenticate(self.request, email=email, password=password)
            except Locked:
                raise forms.ValidationError(LOCKED_MESSAGE, code=LOCKED_CODE) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
