"""Team workspaces: making one (a Studio plan's), its members and roles, invitations by email,
leaving, handing the team on and deleting it.

A workspace the creator isn't a member of is a 404; a member whose role doesn't include an
action gets a 403 saying which role does.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aurastream.db import system_work
from aurastream.types import AuthenticatedHttpRequest
from billing import entitlements
from workspaces import selectors, services
from workspaces.models import ROLE_DESCRIPTIONS, Invitation, Membership, Role
from workspaces.services import WorkspaceError

from .emails import invitation_email_send
from .forms import InviteForm, RoleForm, TeamForm, TransferForm


def _member(request: AuthenticatedHttpRequest, workspace_id: int, role: str = Role.VIEWER) -> Membership:
    """The creator's membership of a team: 404 when they have none, 403 when their role
    doesn't include ``role``."""
    membership = selectors.membership_get(user=request.user, workspace_id=workspace_id)
    if membership is None or membership.workspace.is_personal:
        raise Http404("No such team.")
    if not membership.may(role):
        raise PermissionDenied(f"Only the team's {Role(role).label.lower()}s and above can do that.")
    return membership


def _name(membership: Membership) -> str:
    return membership.user.display_name or membership.user.email


def _seats(membership: Membership) -> int:
    return entitlements.team_allowance(membership.workspace.owner_id).seats


@require_GET
@login_required
def team_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "memberships": selectors.memberships_of(user=request.user),
        "allowance": entitlements.team_allowance(request.user),
    }
    return render(request, "teams/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def team_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowance = entitlements.team_allowance(request.user)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and allowance.may_own_teams and form.is_valid():
        workspace = services.team_create(owner=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"Team “{workspace.name}” is ready. Invite its members below.")
        return redirect("teams:detail", workspace_id=workspace.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "teams/new.html", {"form": form, "allowance": allowance}, status=status)


@require_GET
@login_required
def team_detail(request: AuthenticatedHttpRequest, workspace_id: int) -> HttpResponse:
    membership = _member(request, workspace_id)
    return _detail(request, membership, InviteForm())


def _detail(
    request: AuthenticatedHttpRequest, membership: Membership, invite_form: InviteForm, status: int = 200
) -> HttpResponse:
    workspace = membership.workspace
    seats = _seats(membership)
    manages = membership.may(Role.ADMIN)
    context = {
        "membership": membership,
        "workspace": workspace,
        "members": selectors.members_of(workspace=workspace),
        "invitations": selectors.invitations_open(workspace=workspace) if manages else [],
        "manages": manages,
        "seats": seats,
        "seats_taken": services.seats_taken(workspace),
        "invite_form": invite_form,
        "roles": [(role, ROLE_DESCRIPTIONS[role]) for role in Role],
        "role_choices": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]  # a ChoiceField
    }
    return render(request, "teams/detail.html", context, status=status)


@require_POST
@login_required
def invite(request: AuthenticatedHttpRequest, workspace_id: int) -> HttpResponse:
    membership = _member(request, workspace_id, Role.ADMIN)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = services.invitation_create(
                workspace=membership.workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                seats=_seats(membership),
            )
        except WorkspaceError as error:
            form.add_error(None, error.message)
        else:
            invitation_email_send(invitation=invitation, token=token)
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("teams:detail", workspace_id=workspace_id)
    return _detail(request, membership, form, status=400)


@require_POST
@login_required
def invitation_revoke(
    request: AuthenticatedHttpRequest, workspace_id: int, invitation_id: int
) -> HttpResponse:
    membership = _member(request, workspace_id, Role.ADMIN)
    invitation = get_object_or_404(Invitation, pk=invitation_id, workspace=membership.workspace)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn; its link no longer works.")
    return redirect("teams:detail", workspace_id=workspace_id)


def _other(membership: Membership, member_id: int) -> Membership:
    """A member of the same team, with their account (read as system work: accounts are their
    own under row-level security; the caller is a member)."""
    with system_work():
        return get_object_or_404(
            Membership.objects.select_related("user"), pk=member_id, workspace=membership.workspace
        )


@require_POST
@login_required
def member_role(request: AuthenticatedHttpRequest, workspace_id: int, member_id: int) -> HttpResponse:
    membership = _member(request, workspace_id, Role.ADMIN)
    other = _other(membership, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a role: admin, editor or viewer.")
        return redirect("teams:detail", workspace_id=workspace_id)
    try:
        services.member_role_change(membership=other, role=form.cleaned_data["role"], by=membership)
    except WorkspaceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{_name(other)} is now {other.get_role_display().lower()}.",
        )
    return redirect("teams:detail", workspace_id=workspace_id)


@require_POST
@login_required
def member_remove(request: AuthenticatedHttpRequest, workspace_id: int, member_id: int) -> HttpResponse:
    membership = _member(request, workspace_id)
    other = _other(membership, member_id)
    leaving = other.pk == membership.pk
    try:
        services.member_remove(membership=other, by=membership)
    except WorkspaceError as error:
        if not leaving and not membership.may(Role.ADMIN):
            raise PermissionDenied(error.message) from None
        messages.error(request, error.message)
        return redirect("teams:detail", workspace_id=workspace_id)
    if leaving:
        messages.success(request, f"You left {membership.workspace.name}.")
        return redirect("teams:list")
    messages.success(request, f"{_name(other)} is no longer a member.")
    return redirect("teams:detail", workspace_id=workspace_id)


@require_POST
@login_required
def transfer(request: AuthenticatedHttpRequest, workspace_id: int) -> HttpResponse:
    membership = _member(request, workspace_id, Role.OWNER)
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a member of this team.")
        return redirect("teams:detail", workspace_id=workspace_id)
    other = _other(membership, form.cleaned_data["member"])
    allowance = entitlements.team_allowance(other.user)
    if not allowance.may_own_teams:
        messages.error(
            request,
            f"A team's plan is its owner's, and {_name(other)} is on "
            f"{allowance.plan.name}, which has no teams. They need Studio to take it over.",
        )
        return redirect("teams:detail", workspace_id=workspace_id)
    try:
        services.ownership_transfer(workspace=membership.workspace, to=other, by=membership)
    except WorkspaceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{_name(other)} now owns {membership.workspace.name}; you stay on as an admin.",
        )
    return redirect("teams:detail", workspace_id=workspace_id)


@require_POST
@login_required
def team_rename(request: AuthenticatedHttpRequest, workspace_id: int) -> HttpResponse:
    membership = _member(request, workspace_id, Role.OWNER)
    form = TeamForm(request.POST)
    if form.is_valid():
        services.team_rename(workspace=membership.workspace, name=form.cleaned_data["name"])
        messages.success(request, "Team renamed.")
    else:
        messages.error(request, "Give the team a name of up to 60 characters.")
    return redirect("teams:detail", workspace_id=workspace_id)


@require_POST
@login_required
def team_delete(request: AuthenticatedHttpRequest, workspace_id: int) -> HttpResponse:
    membership = _member(request, workspace_id, Role.OWNER)
    workspace = membership.workspace
    if request.POST.get("confirm", "").strip() != workspace.name:
        messages.error(request, f"Type the team's name, “{workspace.name}”, to delete it.")
        return redirect("teams:detail", workspace_id=workspace_id)
    services.team_delete(workspace=workspace)
    messages.success(request, f"Team “{workspace.name}” and everything in it is deleted.")
    return redirect("teams:list")


@require_http_methods(["GET", "POST"])
@login_required
def join(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    problem = ""
    if invitation is None or not invitation.is_open:
        problem = (
            "This invitation link isn't valid any more: it was used, withdrawn or has expired. "
            "Ask the team for a new one."
        )
    elif invitation.email.lower() != request.user.email.lower():
        problem = (
            f"This invitation is for {invitation.email}, and you're signed in as {request.user.email}. "
            "Sign in with the invited address to accept it."
        )
    if request.method == "POST" and not problem and invitation is not None:
        seats = entitlements.team_allowance(invitation.workspace.owner_id).seats
        try:
            joined = services.invitation_accept(token=token, user=request.user, seats=seats)
        except WorkspaceError as error:
            problem = error.message
        else:
            messages.success(
                request, f"You joined {joined.workspace.name} as {joined.get_role_display().lower()}."
            )
            return redirect("teams:detail", workspace_id=joined.workspace_id)
    context = {
        "invitation": invitation,
        "problem": problem,
        "role_description": ROLE_DESCRIPTIONS.get(invitation.role, "") if invitation else "",  # type: ignore[call-overload]  # a Role value
    }
    return render(
        request, "teams/join.html", context, status=400 if problem and request.method == "POST" else 200
    )
