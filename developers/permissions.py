"""What an API key may do: its scopes, checked against the view it calls.

Session and JWT requests pass untouched (their user may do anything the view allows). A key:

- safe methods (GET, HEAD, OPTIONS) need ``read``;
- unsafe methods need ``generate`` on generation and coach views, ``library_write`` on
  library and brand-kit views (by the app the view belongs to), or the scope a view names in
  its ``api_key_scope`` attribute;
- anything else (an unsafe method on a view that declares no scope: billing, connections,
  account) is refused, so a new view is closed to keys until it says which scope opens it;
- the key-management views refuse keys outright (``NoApiKey``), and so does the webhooks
  API (``NO_KEY_APPS``).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from .models import ApiKey, Scope

# Unsafe methods, by the app a view lives in.
APP_SCOPES = {
    "generation": Scope.GENERATE,
    "coach": Scope.GENERATE,
    "library": Scope.LIBRARY_WRITE,
    "brandkits": Scope.LIBRARY_WRITE,
}


# Apps whose API no key reaches, even to read: webhook endpoints (their URLs often carry
# secrets) and delivery logs are managed signed in.
NO_KEY_APPS = frozenset({"webhooks"})


def required_scope(request: Request, view: Any) -> str | None:
    """The scope a key needs for this request; None: no key may make it."""
    if type(view).__module__.partition(".")[0] in NO_KEY_APPS:
        return None
    if request.method in SAFE_METHODS:
        return Scope.READ
    declared = getattr(view, "api_key_scope", None)
    if declared is not None:
        return str(declared)
    return APP_SCOPES.get(type(view).__module__.partition(".")[0])


class ApiKeyScopes(BasePermission):
    """In DEFAULT_PERMISSION_CLASSES: a key's request needs the scope the view requires."""

    message = "This API key can't do that."
    code = "scope_missing"

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiKey):
            return True
        needed = required_scope(request, view)
        if needed is None:
            self.message = "API keys can't do this; sign in to do it."
            return False
        if not request.auth.permits(needed):
            self.message = f"This API key lacks the “{needed}” scope."
            return False
        return True


class NoApiKey(BasePermission):
    """Views that manage keys (or anything else a key must never reach): session or JWT only."""

    message = "API keys can't manage API keys; sign in to do it."
    code = "api_key_refused"

    def has_permission(self, request: Request, view: Any) -> bool:
        return not isinstance(request.auth, ApiKey)
