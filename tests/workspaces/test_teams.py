"""Team workspaces through their pages: making one on Studio, inviting by email, joining once,
roles, leaving, removing, handing on and deleting; the seats a plan gives."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from tests.factories import PlanGrantFactory, UserFactory
from workspaces.models import Invitation, Membership, Role, Workspace

pytestmark = pytest.mark.django_db


def text(answer) -> str:
    return html.unescape(answer.content.decode())


def invite(client, team, email, role="editor"):
    # The email leaves once the request commits (the test's transaction never does).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("teams:invite", args=[team.pk]), {"email": email, "role": role})


def join_link() -> str:
    """The path of the join link in the last email sent."""
    match = re.search(r"https?://[^/\s]+(/teams/join/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def browser() -> Client:
    """A second browser, beside the team owner's ``studio_client``."""
    return Client()


@pytest.fixture
def team(studio_client, studio) -> Workspace:
    answer = studio_client.post(reverse("teams:new"), {"name": "Night Owl Agency"})
    assert answer.status_code == 302
    return Workspace.objects.get(kind="team")


def test_every_account_has_its_personal_workspace(user):
    (membership,) = Membership.objects.filter(user=user)
    assert membership.role == Role.OWNER
    assert (membership.workspace.kind, membership.workspace.owner) == ("personal", user)


def test_studio_makes_a_team_and_owns_it(studio_client, studio, team):
    assert team.owner == studio
    assert team.memberships.get().role == Role.OWNER
    page = text(studio_client.get(reverse("teams:detail", args=[team.pk])))
    assert "Night Owl Agency" in page
    assert "1 of 5 seats taken" in page


def test_pro_is_told_teams_are_a_studio_feature(pro_client):
    page = text(pro_client.get(reverse("teams:list")))
    assert "Team workspaces aren't part of the Pro plan. Upgrade to Studio to make one." in page
    answer = pro_client.post(reverse("teams:new"), {"name": "Mine"})
    assert answer.status_code == 400
    assert not Workspace.objects.filter(kind="team").exists()


def test_the_pricing_page_states_the_seats(client):
    assert "Team workspaces with 5 seats each" in text(client.get(reverse("billing:pricing")))


def test_an_invited_editor_joins_once_with_the_invited_address(studio_client, team, browser):
    answer = invite(studio_client, team, "Editor@Example.com")
    assert answer.status_code == 302
    (email,) = mail.outbox
    assert email.to == ["editor@example.com"]
    assert "Night Owl Agency" in email.subject
    link = join_link()
    invitation = Invitation.objects.get()
    assert link.split("/")[-2] not in invitation.token_hash  # only a hash is kept

    editor = UserFactory(email="editor@example.com")
    browser.force_login(editor)
    page = text(browser.get(link))
    assert "invited you to the team" in page
    joined = browser.post(link)
    assert joined.status_code == 302
    assert Membership.objects.get(workspace=team, user=editor).role == Role.EDITOR

    again = browser.post(link)
    assert again.status_code == 400
    assert "isn't valid any more" in text(again)
    assert team.memberships.count() == 2


def test_an_invitation_is_only_for_its_address(studio_client, team, browser):
    invite(studio_client, team, "editor@example.com")
    browser.force_login(UserFactory(email="someone.else@example.com"))
    answer = browser.post(join_link())
    assert answer.status_code == 400
    assert "This invitation is for editor@example.com" in text(answer)
    assert team.memberships.count() == 1


def test_expired_withdrawn_and_forged_links_do_nothing(studio_client, team, browser):
    editor = UserFactory(email="editor@example.com")
    browser.force_login(editor)
    invite(studio_client, team, "editor@example.com")
    link = join_link()
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert browser.post(link).status_code == 400
    assert browser.post(link[:-3] + "xx/").status_code == 400
    invite(studio_client, team, "editor@example.com")
    link = join_link()
    invitation = Invitation.objects.filter(revoked_at__isnull=True).latest("pk")
    studio_client.post(reverse("teams:invitation_revoke", args=[team.pk, invitation.pk]))
    assert browser.post(link).status_code == 400
    assert not Membership.objects.filter(workspace=team, user=editor).exists()


def test_a_team_has_five_seats_open_invitations_included(studio_client, team):
    for n in range(4):
        assert invite(studio_client, team, f"member{n}@example.com").status_code == 302
    answer = invite(studio_client, team, "sixth@example.com")
    assert answer.status_code == 400
    assert "All 5 seats of Night Owl Agency are taken" in text(answer)
    assert Invitation.objects.count() == 4


def member(team, role, email=None) -> Membership:
    user = UserFactory(**({"email": email} if email else {}))
    return Membership.objects.create(workspace=team, user=user, role=role)


def test_roles_decide_who_manages_members(client, team):
    editor = member(team, Role.EDITOR)
    viewer = member(team, Role.VIEWER)
    client.force_login(editor.user)
    assert client.get(reverse("teams:detail", args=[team.pk])).status_code == 200
    assert invite(client, team, "x@example.com").status_code == 403
    role = client.post(reverse("teams:member_role", args=[team.pk, viewer.pk]), {"role": "admin"})
    assert role.status_code == 403
    assert client.post(reverse("teams:member_remove", args=[team.pk, viewer.pk])).status_code == 403
    assert client.post(reverse("teams:delete", args=[team.pk]), {"confirm": team.name}).status_code == 403
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER
    assert not Invitation.objects.exists()


def test_an_admin_manages_members_but_not_the_owner(client, team, studio):
    admin = member(team, Role.ADMIN)
    viewer = member(team, Role.VIEWER)
    client.force_login(admin.user)
    client.post(reverse("teams:member_role", args=[team.pk, viewer.pk]), {"role": "editor"})
    viewer.refresh_from_db()
    assert viewer.role == Role.EDITOR
    owner = team.memberships.get(user=studio)
    client.post(reverse("teams:member_remove", args=[team.pk, owner.pk]))
    client.post(reverse("teams:member_role", args=[team.pk, owner.pk]), {"role": "viewer"})
    owner.refresh_from_db()
    assert owner.role == Role.OWNER
    assert client.post(reverse("teams:member_remove", args=[team.pk, viewer.pk])).status_code == 302
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_non_members_get_404_everywhere(client, team):
    client.force_login(UserFactory())
    owner = team.memberships.get()
    assert client.get(reverse("teams:detail", args=[team.pk])).status_code == 404
    assert invite(client, team, "x@example.com").status_code == 404
    assert client.post(reverse("teams:member_remove", args=[team.pk, owner.pk])).status_code == 404
    assert client.post(reverse("teams:delete", args=[team.pk]), {"confirm": team.name}).status_code == 404
    personal = Workspace.objects.filter(kind="personal").exclude(owner=team.owner).first()
    assert client.get(reverse("teams:detail", args=[personal.pk])).status_code == 404


def test_a_member_leaves_and_the_owner_cannot(browser, studio_client, team, studio):
    editor = member(team, Role.EDITOR)
    browser.force_login(editor.user)
    assert browser.post(reverse("teams:member_remove", args=[team.pk, editor.pk])).status_code == 302
    assert not Membership.objects.filter(pk=editor.pk).exists()
    owner = team.memberships.get(user=studio)
    answer = studio_client.post(reverse("teams:member_remove", args=[team.pk, owner.pk]), follow=True)
    assert "The owner can't leave their team" in text(answer)
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_ownership_goes_only_to_a_member_whose_plan_has_teams(studio_client, team, studio):
    editor = member(team, Role.EDITOR)
    refused = studio_client.post(
        reverse("teams:transfer", args=[team.pk]), {"member": editor.pk}, follow=True
    )
    assert "They need Studio to take it over" in text(refused)
    PlanGrantFactory(user=editor.user, plan="studio")
    studio_client.post(reverse("teams:transfer", args=[team.pk]), {"member": editor.pk})
    team.refresh_from_db()
    assert team.owner == editor.user
    roles = dict(team.memberships.values_list("user_id", "role"))
    assert roles == {studio.pk: Role.ADMIN, editor.user_id: Role.OWNER}


def test_the_owner_deletes_the_team_by_typing_its_name(studio_client, team):
    member(team, Role.EDITOR)
    studio_client.post(reverse("teams:delete", args=[team.pk]), {"confirm": "wrong"})
    assert Workspace.objects.filter(pk=team.pk).exists()
    studio_client.post(reverse("teams:delete", args=[team.pk]), {"confirm": team.name})
    assert not Workspace.objects.filter(pk=team.pk).exists()
    assert not Membership.objects.filter(workspace_id=team.pk).exists()
