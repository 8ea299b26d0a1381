"""Reads about workspaces, scoped to the account asking."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from aurastream.db import system_work

from .models import Invitation, Membership, Workspace


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """The account's memberships, personal workspace first, with their workspaces."""
    return (
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("workspace__kind", "workspace__name", "workspace_id")
    )


def membership_get(*, user: User, workspace_id: object) -> Membership | None:
    """The account's membership of a workspace, or None (not a member: a 404 to them)."""
    try:
        pk = int(str(workspace_id))  # from a URL or the session
    except ValueError:
        return None
    return Membership.objects.select_related("workspace").filter(user=user, workspace_id=pk).first()


def personal_membership(*, user: User) -> Membership | None:
    return (
        Membership.objects.select_related("workspace")
        .filter(user=user, workspace__kind=Workspace.Kind.PERSONAL)
        .first()
    )


def members_of(*, workspace: Workspace) -> list[Membership]:
    """The workspace's members with their names and addresses, for a member's eyes (the caller
    checked the reader is one). System work: each account row is its own under row-level
    security."""
    with system_work():
        return list(workspace.memberships.select_related("user").order_by("joined_at", "pk"))


def invitations_open(*, workspace: Workspace) -> list[Invitation]:
    return [
        i
        for i in workspace.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        if i.is_open
    ]
