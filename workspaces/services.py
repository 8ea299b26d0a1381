"""Every write to workspaces: the personal one each account has, teams, invitations, members.

How many seats a team has is the plan's business (the team pages ask billing and pass it in);
these services enforce it. Accepting an invitation and handing a team to another member are
system work once the service has checked who may do them: the acting user writes rows that
row-level security keeps to admins (see ``aurastream.rls.workspace_tables``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from aurastream.db import system_work

from .models import PERSONAL_NAME, Invitation, Membership, Role, Workspace

INVITATION_SALT = "aurastream.workspaces.invitation"
INVITATION_DAYS = 7
# Invitations a team may send in a day (each is an email to an address its admins choose).
INVITATIONS_PER_DAY = 20
# The first key of the PostgreSQL advisory lock that counts a team's seats (any constant of our
# own; the second key is the workspace).
SEATS_LOCK = 0x5EA7


class WorkspaceError(Exception):
    """A change that can't be made, with the reason in words a creator reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoSeatsLeft(WorkspaceError):
    pass


class InvitationInvalid(WorkspaceError):
    pass


def personal_workspace_create(*, user: User) -> Workspace:
    """The account's own workspace, with the account as its owner (once per account)."""
    return Workspace.found(owner_id=user.pk, name=PERSONAL_NAME, kind=Workspace.Kind.PERSONAL)


@transaction.atomic
def team_create(*, owner: User, name: str) -> Workspace:
    """A team workspace owned by ``owner`` (the caller checked their plan allows teams)."""
    return Workspace.found(owner_id=owner.pk, name=name.strip(), kind=Workspace.Kind.TEAM)


@transaction.atomic
def team_rename(*, workspace: Workspace, name: str) -> Workspace:
    workspace.name = name.strip()
    workspace.save(update_fields=["name"])
    return workspace


@transaction.atomic
def team_delete(*, workspace: Workspace) -> None:
    if workspace.is_personal:
        raise WorkspaceError("Your personal workspace goes only with your account.")
    workspace.delete()


def _hold_seats(workspace: Workspace) -> None:
    """Seats are counted, then one is taken: one such change per team at a time, until the
    transaction ends, so two invitations sent at once can't both take the last seat. An
    advisory lock, since an admin may not lock the workspace's row (only its owner writes it);
    SQLite runs one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SEATS_LOCK, workspace.pk])


def seats_taken(workspace: Workspace) -> int:
    """Members plus invitations still open: each holds a seat."""
    open_invitations = Invitation.objects.filter(
        workspace=workspace, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    return workspace.memberships.count() + open_invitations.count()


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, email: str, role: str, invited_by: User | None, seats: int | None
) -> tuple[Invitation, str]:
    """Invite ``email`` as ``role``. Returns the invitation and its link's token, which is shown
    or sent once and never stored (only its hash is)."""
    if workspace.is_personal:
        raise WorkspaceError("A personal workspace can't have members. Make a team for that.")
    if role not in Role.values or role == Role.OWNER:
        raise WorkspaceError("Pick a role: admin, editor or viewer.")
    email = email.strip().lower()
    _hold_seats(workspace)
    with system_work():  # members' accounts are their own to read
        member = workspace.memberships.filter(user__email__iexact=email).exists()
    if member:
        raise WorkspaceError(f"{email} is already a member of {workspace.name}.")
    # A new invitation to the same address replaces the old one (and frees its seat).
    Invitation.objects.filter(
        workspace=workspace, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    recent = Invitation.objects.filter(
        workspace=workspace, created_at__gte=timezone.now() - dt.timedelta(days=1)
    ).count()
    if recent >= INVITATIONS_PER_DAY:
        raise WorkspaceError(
            f"{workspace.name} has sent {INVITATIONS_PER_DAY} invitations today. Try again tomorrow."
        )
    if seats is not None and seats_taken(workspace) >= seats:
        raise NoSeatsLeft(
            f"All {seats} seats of {workspace.name} are taken. Remove a member or an open invitation first."
        )
    secret = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        invited_by=invited_by,
        token_hash=_token_hash(secret),
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    token = signing.TimestampSigner(salt=INVITATION_SALT).sign(secret)
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token names, if the signature holds and it is not too old
    (open or not: the page says which). System work: the invitee is not a member yet."""
    try:
        secret = signing.TimestampSigner(salt=INVITATION_SALT).unsign(
            token, max_age=dt.timedelta(days=INVITATION_DAYS)
        )
    except signing.BadSignature:
        return None
    with system_work():
        return (
            Invitation.objects.select_related("workspace", "invited_by")
            .filter(token_hash=_token_hash(secret))
            .first()
        )


def invitation_accept(*, token: str, user: User, seats: int | None) -> Membership:
    """Join the invitation's team as its role: once, before it expires, by the account with
    the invited address."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise InvitationInvalid("This invitation link isn't valid or has expired. Ask for a new one.")
    email = user.email
    with system_work():
        invitation = Invitation.objects.select_for_update().select_related("workspace").get(pk=invitation.pk)
        if not invitation.is_open:
            raise InvitationInvalid(
                "This invitation has been used, withdrawn or has expired. Ask for a new one."
            )
        if email.lower() != invitation.email.lower():
            raise InvitationInvalid(
                f"This invitation is for {invitation.email}. Sign in with that address to accept it."
            )
        workspace = invitation.workspace
        # Its own seat was counted while it was open.
        if seats is not None and seats_taken(workspace) > seats:
            raise NoSeatsLeft(f"All {seats} seats of {workspace.name} are taken.")
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        try:
            with transaction.atomic():
                return Membership.objects.create(workspace=workspace, user=user, role=invitation.role)
        except IntegrityError:
            raise InvitationInvalid(f"You are already a member of {workspace.name}.") from None


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.is_open:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def member_role_change(*, membership: Membership, role: str, by: Membership) -> Membership:
    """Change a member's role: admins change editors and viewers (and admins), never the
    owner; ownership moves only through ``ownership_transfer``."""
    if role not in Role.values or role == Role.OWNER:
        raise WorkspaceError("Pick a role: admin, editor or viewer.")
    if membership.role == Role.OWNER:
        raise WorkspaceError("The owner's role changes only by handing the team to someone else.")
    if not by.may(Role.ADMIN):
        raise WorkspaceError("Only the team's owner and admins change roles.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, by: Membership) -> None:
    """Remove a member (or leave, when ``by`` is the member). The owner can't be removed and
    can't leave: they hand the team on or delete it."""
    if membership.role == Role.OWNER:
        raise WorkspaceError("The owner can't leave their team: hand it to another member or delete it.")
    if by.pk != membership.pk and not by.may(Role.ADMIN):
        raise WorkspaceError("Only the team's owner and admins remove members.")
    membership.delete()


@transaction.atomic
def ownership_transfer(*, workspace: Workspace, to: Membership, by: Membership) -> Workspace:
    """Hand the team to another member: they become its owner (and pay for it), the old
    owner stays on as an admin."""
    if by.role != Role.OWNER or by.workspace_id != workspace.pk:
        raise WorkspaceError("Only the team's owner hands it on.")
    if to.workspace_id != workspace.pk or to.pk == by.pk:
        raise WorkspaceError("Pick another member of this team.")
    if workspace.is_personal:
        raise WorkspaceError("A personal workspace can't be handed on.")
    with system_work():  # both memberships and the workspace change together
        Membership.objects.filter(pk=by.pk).update(role=Role.ADMIN)
        Membership.objects.filter(pk=to.pk).update(role=Role.OWNER)
        Workspace.objects.filter(pk=workspace.pk).update(owner_id=to.user_id)
    workspace.refresh_from_db()
    return workspace
