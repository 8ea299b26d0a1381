"""Authentication backends that find accounts as system work.

Establishing who someone is means reading an account that nobody acts for yet (by email, by
the id in a session or a websocket's scope); row-level security shows such a query no rows,
so these lookups, and only these, run inside ``acting_user(None)``.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.http import HttpRequest

from aurastream.db import system_work


class _SystemLookups:
    def authenticate(self, request: HttpRequest | None, *args: Any, **credentials: Any) -> Any:
        with system_work():
            return super().authenticate(request, *args, **credentials)  # type: ignore[misc]  # the backend mixed in

    def get_user(self, user_id: Any) -> Any:
        with system_work():
            return super().get_user(user_id)  # type: ignore[misc]  # the backend mixed in


class ModelBackend(_SystemLookups, DjangoModelBackend):
    """Django's: email and password, and the account behind a session or a socket."""


class AuthenticationBackend(_SystemLookups, AllauthBackend):
    """allauth's: sign-in by email (and the lockout its adapter keeps)."""
