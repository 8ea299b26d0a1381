from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from . import selectors
from .current import chosen_workspace_id
from .models import Membership, Role


def workspaces(request: HttpRequest) -> dict[str, Any]:
    """The header's workspace switcher: the creator's workspaces and the current one (shown
    only to creators in more than one), and whether the creator may make and change work
    (editors) or manage kits and members (admins) in the current one; each read only when a
    template uses it."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def memberships() -> list[Membership]:
        return list(selectors.memberships_of(user=user))

    @cache
    def current() -> Membership | None:
        here = chosen_workspace_id(user.pk)
        return next(
            (
                m
                for m in memberships()
                if m.workspace_id == here or (here is None and m.workspace.is_personal)
            ),
            None,
        )

    def can_edit_here() -> bool:
        membership = current()
        # No membership found: the personal workspace, made with the account, is theirs.
        return membership is None or membership.can_edit

    def can_manage_here() -> bool:
        """Brand kits, fonts and members: admins and the owner."""
        membership = current()
        return membership is None or membership.may(Role.ADMIN)

    return {
        "workspace_memberships": memberships,
        "current_membership": current,
        "can_edit_here": can_edit_here,
        "can_manage_here": can_manage_here,
    }
