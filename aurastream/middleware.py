from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve, reverse

from .db import ANONYMOUS, acting_user, set_acting_user

View = TypeVar("View", bound=Callable[..., Any])


def own_transactions(view: View) -> View:
    """Mark a view that opens its own ``acting_user`` transactions (a long-lived stream that
    commits as it goes), so the middleware does not wrap it in one request-wide transaction."""
    view.own_transactions = True  # type: ignore[attr-defined]  # a mark the middleware reads
    return view


def system_work(view: View) -> View:
    """Mark a view that works as the system: it must find accounts nobody acts for yet (API
    token sign-in and refresh). The view itself decides what it may show."""
    view.system_work = True  # type: ignore[attr-defined]  # a mark the middleware reads
    return view


def keep_writes(response: HttpResponse) -> HttpResponse:
    """Mark a 5xx answer whose writes must stand: an outside service failed after something
    that must not be lost was saved (a platform's rotated refresh token)."""
    response.keeps_writes = True  # type: ignore[attr-defined]  # a mark the middleware reads
    return response


class ActingUserMiddleware:
    """Runs the rest of the request in a transaction acting for the signed-in user (or as
    ``ANONYMOUS`` when signed out).

    Who is asking is found first, in the same transaction, as the system: the session and the
    account behind it are rows nobody acts for yet. Some views stay system work: the admin
    (staff manage every creator's rows; a visitor gets its sign-in form), allauth's pages
    (sign-in, sign-up, password reset and social logins look accounts up by address) and views
    marked ``system_work``.

    A signed-in creator who is not staff gets the site's 404 for every path under the admin
    (its own views and anything mounted beside them), as the creator: to them it does not exist.

    Like ATOMIC_REQUESTS, a server error rolls the request's writes back (unless the view marked
    the answer with ``keep_writes``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    # Load-balancer probes do no user work and must stay cheap.
    exempt_paths = ("/healthz", "/readyz")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in self.exempt_paths:
            return self.get_response(request)
        match = self._match(request)
        if self._owns_transactions(match):
            return self.get_response(request)
        system = self._system_work(request, match)
        signed_out = not system and settings.SESSION_COOKIE_NAME not in request.COOKIES
        with acting_user(ANONYMOUS if signed_out else None):
            if not system and not signed_out:
                user = getattr(request, "user", None)
                set_acting_user(user.pk if user is not None and user.is_authenticated else ANONYMOUS)
            response = self.get_response(request)
            if response.status_code >= 500 and not getattr(response, "keeps_writes", False):
                transaction.set_rollback(True)
        return response

    def process_view(self, request: HttpRequest, view: Callable[..., Any], *args: Any) -> None:
        """A signed-in creator gets the site's 404 for every view under the admin (the admin
        site's own and anything mounted beside them), rendered as them and answered through the
        rest of the middleware like any 404. Every path under the admin resolves to a view (the
        admin site ends in a catch-all), so none gets past."""
        if self._in_the_admin(request) and self._signed_in_creator(request):
            set_acting_user(request.user.pk)
            raise Http404("No such page.")

    @staticmethod
    def _match(request: HttpRequest) -> ResolverMatch | None:
        try:
            return resolve(request.path_info)
        except Resolver404:
            return None

    @staticmethod
    def _in_the_admin(request: HttpRequest) -> bool:
        """Any path under the admin's, the admin site's own views or not."""
        prefix = reverse("admin:index")
        return request.path.startswith(prefix) or request.path == prefix.rstrip("/")

    @staticmethod
    def _signed_in_creator(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated and not user.is_staff

    def _system_work(self, request: HttpRequest, match: ResolverMatch | None) -> bool:
        if self._in_the_admin(request) or request.path.startswith("/accounts/"):
            return True
        if match is None:
            return False
        view_class = getattr(match.func, "view_class", None)
        return bool(getattr(match.func, "system_work", False) or getattr(view_class, "system_work", False))

    @staticmethod
    def _owns_transactions(match: ResolverMatch | None) -> bool:
        if match is None:
            return False
        # Views that manage their own transactions: ours, and Django's non_atomic_requests
        # (dj-stripe's webhook, which must commit its log row even when processing fails).
        return getattr(match.func, "own_transactions", False) or bool(
            getattr(match.func, "_non_atomic_requests", None)
        )
