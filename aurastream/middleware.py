from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse

from .db import ANONYMOUS, acting_user

View = TypeVar("View", bound=Callable[..., Any])


def own_transactions(view: View) -> View:
    """Mark a view that opens its own ``acting_user`` transactions (a long-lived stream that
    commits as it goes), so the middleware does not wrap it in one request-wide transaction."""
    view.own_transactions = True  # type: ignore[attr-defined]
    return view


class ActingUserMiddleware:
    """Runs the rest of the request in a transaction acting for the signed-in user (or as
    ``ANONYMOUS`` when signed out). Staff in the admin work as the system: they manage every
    creator's rows.

    Like ATOMIC_REQUESTS, a server error rolls the request's writes back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    # Load-balancer probes do no user work and must stay cheap.
    exempt_paths = ("/healthz", "/readyz")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in self.exempt_paths or self._owns_transactions(request):
            return self.get_response(request)
        user = getattr(request, "user", None)
        user_id: int | None = ANONYMOUS
        if user is not None and user.is_authenticated:
            user_id = None if user.is_staff and self._in_admin(request) else user.pk
        with acting_user(user_id):
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    @staticmethod
    def _in_admin(request: HttpRequest) -> bool:
        return request.path.startswith(reverse("admin:index"))

    @staticmethod
    def _owns_transactions(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        # Views that manage their own transactions: ours, and Django's non_atomic_requests
        # (dj-stripe's webhook, which must commit its log row even when processing fails).
        return getattr(match.func, "own_transactions", False) or bool(
            getattr(match.func, "_non_atomic_requests", None)
        )
