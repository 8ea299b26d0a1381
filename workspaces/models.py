"""Workspaces: where a creator's work lives, and who else may work on it.

Every account has a personal workspace, made with it. Studio creators may also own team
workspaces, with a fixed number of seats, and invite others into them with a role.
"""

from __future__ import annotations

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
