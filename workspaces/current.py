"""The workspace a creator works in now: what lists show and where new work goes.

Like the acting user (``aurastream.db``), it is held for the unit of work in a context
variable: ``CurrentWorkspaceMiddleware`` sets it for each signed-in request from the session
(the creator's last switch), an API key's authentication from the key, and a task from the
work it continues. Without one, an account works in its personal workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from .models import Membership, Workspace, personal_workspace_id

# The session key holding the workspace the creator switched to.
SESSION_KEY = "workspaces.current"

# (account id, workspace id or None for their personal one): whose current workspace it is,
# so it never leaks to another account.
_current: ContextVar[tuple[int, int | None] | None] = ContextVar("current_workspace", default=None)


def workspace_id_for(user_id: int) -> int:
    """The workspace ``user_id`` works in now."""
    current = _current.get()
    if current is not None and current[0] == user_id and current[1] is not None:
        return current[1]
    return personal_workspace_id(user_id)


def chosen_workspace_id(user_id: int) -> int | None:
    """The workspace ``user_id`` switched to for this unit of work; None: their personal one."""
    current = _current.get()
    return current[1] if current is not None and current[0] == user_id else None


def in_current(user_id: int, field: str = "workspace") -> Q:
    """A filter for rows of ``user_id``'s current workspace, through the foreign key ``field``
    (a join to the personal workspace when none was chosen: no query of its own)."""
    current = _current.get()
    if current is not None and current[0] == user_id and current[1] is not None:
        return Q(**{f"{field}_id": current[1]})
    return Q(**{f"{field}__owner_id": user_id, f"{field}__kind": Workspace.Kind.PERSONAL})


def set_current(user_id: int, workspace_id: int) -> None:
    """Make ``workspace_id`` current for the rest of this unit of work (an API key's)."""
    _current.set((user_id, workspace_id))


def membership_for(request: HttpRequest, user_id: int) -> Membership | None:
    """The signed-in creator's membership of the workspace the session names, or None (no
    switch made, or they are no longer a member: they are back in their personal one)."""
    wanted = request.session.get(SESSION_KEY)
    if wanted is None:
        return None
    membership = (
        Membership.objects.select_related("workspace").filter(user_id=user_id, workspace_id=wanted).first()
    )
    if membership is None:
        request.session.pop(SESSION_KEY, None)
    return membership


class CurrentWorkspaceMiddleware:
    """Sets the signed-in creator's current workspace for the request (after the acting user,
    so the membership is read as them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # Nobody yet: an API key may name its workspace inside the view; the value goes
            # with the request either way.
            token = _current.set(None)
            try:
                return self.get_response(request)
            finally:
                _current.reset(token)
        membership = membership_for(request, user.pk)
        token = _current.set((user.pk, membership.workspace_id if membership else None))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def billing_account_id(user_id: int, workspace_id: int | None = None) -> int:
    """Whose plan covers work in ``workspace_id`` (the current one by default): its owner's.
    In a personal workspace, the account itself."""
    if workspace_id is None:
        workspace_id = chosen_workspace_id(user_id)
        if workspace_id is None:
            return user_id  # their personal workspace: no query
    owner = Workspace.objects.filter(pk=workspace_id).values_list("owner_id", flat=True).first()
    return owner if owner is not None else user_id
