"""Workspaces: where a creator's work lives, and who else may work on it.

Every account has a personal workspace, made with it. Studio creators may also own team
workspaces, with a fixed number of seats, and invite others into them with a role.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    """What a member may do, each role including the ones below it."""

    OWNER = "owner", "Owner"  # billing, ownership, deleting the team
    ADMIN = "admin", "Admin"  # members, invitations, brand kits, API keys and webhooks
    EDITOR = "editor", "Editor"  # generate, refine, organise the library
    VIEWER = "viewer", "Viewer"  # see and download

    @staticmethod
    def rank(role: str) -> int:
        """0 for no role, then viewer 1 … owner 4."""
        return {"viewer": 1, "editor": 2, "admin": 3, "owner": 4}.get(role, 0)

    @classmethod
    def at_least(cls, role: str) -> list[str]:
        """The roles that include ``role``."""
        return [r for r in cls.values if cls.rank(r) >= cls.rank(role)]


# What each role is for, in the words the members page and the invitation use.
ROLE_DESCRIPTIONS = {
    Role.OWNER: "Billing, members and everything else; can delete the team.",
    Role.ADMIN: "Manages members, invitations and brand kits, and makes everything an editor can.",
    Role.EDITOR: "Generates, refines and organises the team's assets.",
    Role.VIEWER: "Sees and downloads the team's assets and brand kits.",
}


# Every account's own workspace is called this.
PERSONAL_NAME = "Personal"


class Workspace(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal"
        TEAM = "team", "Team"

    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TEAM)
    # The account that pays: the workspace's plan is its owner's.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_workspaces"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "pk"]  # personal first, then teams by name
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(kind="personal"), name="workspace_one_personal_per_account"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def found(cls, *, owner_id: int, name: str, kind: str) -> Workspace:
        """A new workspace with its owner as its first member."""
        workspace = cls.objects.create(name=name, kind=kind, owner_id=owner_id)
        Membership.objects.create(workspace=workspace, user_id=owner_id, role=Role.OWNER)
        return workspace

    @property
    def is_personal(self) -> bool:
        return self.kind == self.Kind.PERSONAL


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_once_per_workspace"),
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(role="owner"), name="membership_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    def may(self, role: str) -> bool:
        """Whether this member's role includes ``role``."""
        return Role.rank(self.role) >= Role.rank(role)

    @property
    def can_edit(self) -> bool:
        """Whether this member makes and changes work here (editor and above); a viewer's
        pages leave out the controls the server would refuse them."""
        return self.may(Role.EDITOR)


class Invitation(models.Model):
    """An invitation by email to join a team. The link carries a signed token; only its hash
    is kept. It expires, and works once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=[c for c in Role.choices if c[0] != Role.OWNER])
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.email} to {self.workspace}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


def personal_workspace_id(user_id: int) -> int:
    """The id of the account's personal workspace (made now if the account predates it, as
    accounts loaded raw from fixtures do). System work: which workspace is someone's own is no
    secret, and the caller may be acting for nobody yet."""
    from aurastream.db import system_work

    with system_work():
        found = (
            Workspace.objects.filter(owner_id=user_id, kind=Workspace.Kind.PERSONAL)
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None:
            return found
        return Workspace.found(owner_id=user_id, name=PERSONAL_NAME, kind=Workspace.Kind.PERSONAL).pk


def fill_workspaces(rows: Iterable[InWorkspace]) -> None:
    """Give rows about to be bulk-created (``bulk_create`` skips ``save``) their makers'
    personal workspaces where they have none, in one query."""
    rows = [row for row in rows if row.workspace_id is None]
    makers = {getattr(row, f"{row.MADE_BY}_id") for row in rows}
    if not makers:
        return
    personal = dict(
        Workspace.objects.filter(owner_id__in=makers, kind=Workspace.Kind.PERSONAL).values_list(
            "owner_id", "pk"
        )
    )
    for row in rows:
        maker = getattr(row, f"{row.MADE_BY}_id")
        if maker not in personal:
            personal[maker] = personal_workspace_id(maker)
        row.workspace_id = personal[maker]


class InWorkspace(models.Model):
    """Work that belongs to a workspace (brand kits, media, fonts, jobs, assets, collections,
    tags, coach chats, usage). Made without one, it goes to the personal workspace of the
    account in ``MADE_BY`` (the field naming who made it)."""

    MADE_BY = "owner"

    # Blank in forms and full_clean(): save() fills it in.
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", blank=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.workspace_id is None:
            from .current import workspace_id_for

            self.workspace_id = workspace_id_for(getattr(self, f"{self.MADE_BY}_id"))
        super().save(*args, **kwargs)
