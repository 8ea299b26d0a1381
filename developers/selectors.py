"""Reads about API keys, scoped to the account asking."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from aurastream.db import system_work
from workspaces.models import Membership, Role, Workspace
from workspaces.selectors import memberships_of

from .models import ApiKey
from .services import CREATE_ROLE, key_hash


def api_key_list(*, user: User) -> QuerySet[ApiKey]:
    """The keys the creator made, newest first."""
    return ApiKey.objects.filter(user=user).select_related("workspace")


def workspaces_administered(*, user: User) -> list[Workspace]:
    """The team workspaces whose keys the creator sees and may revoke (admin or owner)."""
    return [
        m.workspace for m in memberships_of(user=user) if not m.workspace.is_personal and m.may(Role.ADMIN)
    ]


def workspace_api_keys(*, workspace: Workspace) -> list[ApiKey]:
    """Every key made for a workspace, by any member (its admins' view; the caller checked
    the role). Read as system work: the members' accounts are their own to read."""
    with system_work():
        return list(ApiKey.objects.filter(workspace=workspace).select_related("user", "workspace"))


def memberships_for_keys(*, user: User) -> list[Membership]:
    """Where the creator may make a key: workspaces where they are an editor or above,
    personal first."""
    return [m for m in memberships_of(user=user) if m.may(CREATE_ROLE)]


def api_key_get(*, user: User, key_id: object) -> ApiKey | None:
    """A key the creator may manage: their own, or one made for a workspace they admin.
    None otherwise (a 404 to them)."""
    try:
        pk = int(str(key_id))
    except ValueError:
        return None
    api_key = ApiKey.objects.select_related("workspace").filter(pk=pk).first()
    if api_key is None or api_key.user_id == user.pk:
        return api_key
    admin = Membership.objects.filter(
        user=user, workspace_id=api_key.workspace_id, role__in=Role.at_least(Role.ADMIN)
    ).exists()
    return api_key if admin and not api_key.workspace.is_personal else None


def api_key_by_key(key: str) -> ApiKey | None:
    """The key a caller presents, whatever its state (run as system work: nobody acts yet),
    with ``still_member``: whether its maker still belongs to the workspace it acts in."""
    member = Membership.objects.filter(user_id=OuterRef("user_id"), workspace_id=OuterRef("workspace_id"))
    return (
        ApiKey.objects.select_related("user")
        .annotate(still_member=Exists(member))
        .filter(key_hash=key_hash(key))
        .first()
    )
