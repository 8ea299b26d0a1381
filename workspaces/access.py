"""Who may reach work in a workspace: the reads scope to the workspaces a creator is a member
of, the writes check the role.

- Lists show the current workspace (``workspaces.current.workspace_id_for``).
- An object is found among every workspace the creator belongs to (a link from an email or
  another workspace still opens it); not a member: 404.
- Changing it needs a role: not enough, 403 (``require``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from aurastream.db import ANONYMOUS, current_acting_user_id

from .models import Membership, Role


def account_id(user: object) -> int:
    """The id of an account given as itself or as its id."""
    return user if isinstance(user, int) else int(getattr(user, "pk", 0) or 0)


def member_workspaces(user: object, role: str = Role.VIEWER) -> QuerySet[Membership, int]:
    """A subquery of the workspaces where ``user`` (an account or its id) has ``role`` or above."""
    user_id = account_id(user)
    return Membership.objects.filter(user_id=user_id, role__in=Role.at_least(role)).values_list(
        "workspace_id", flat=True
    )


def role_in(user: object, workspace_id: int) -> str | None:
    user_id = account_id(user)
    return (
        Membership.objects.filter(user_id=user_id, workspace_id=workspace_id)
        .values_list("role", flat=True)
        .first()
    )


def may(user: object, workspace_id: int, role: str = Role.EDITOR) -> bool:
    """Whether ``user``'s role in ``workspace_id`` includes ``role`` (pages leave out the
    controls it doesn't allow)."""
    return Role.rank(role_in(user, workspace_id) or "") >= Role.rank(role)


def require(user: object, workspace_id: int, role: str) -> None:
    """Refuse (403) unless ``user``'s role in ``workspace_id`` includes ``role``."""
    if not may(user, workspace_id, role):
        raise PermissionDenied(f"This needs the workspace's {Role(role).label.lower()} role or above.")


def require_acting(workspace_id: int, role: str = Role.EDITOR) -> None:
    """Refuse (403) a write in ``workspace_id`` unless the account the unit of work acts for
    has ``role`` there; system work (and work acting for nobody in particular) passes, and
    row-level security still binds it. Write services call this first, so pages and the API
    refuse alike."""
    user_id = current_acting_user_id()
    if user_id is None or user_id == ANONYMOUS:
        # System work; or nobody named yet (signed-out work reaches no write service, and
        # row-level security gives ANONYMOUS no row to write).
        return
    require(user_id, workspace_id, role)
