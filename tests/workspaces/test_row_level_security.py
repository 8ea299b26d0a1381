"""The workspaces' own tables under row-level security, as the app's database role over raw
SQL: members see their workspace and each other, admins manage members and invitations but
never the owner's row, and an ex-member sees nothing the moment they are removed."""

from __future__ import annotations

# ruff: noqa: S608 - the SQL is built from the fixture's own integer ids
import psycopg
import pytest
from django.db import connection

from aurastream.db import marker
from tests.aurastream.test_rls_fails_closed import app_role_connection
from tests.factories import UserFactory
from workspaces import services
from workspaces.models import Invitation, Membership, Role

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def team():
    owner = UserFactory(plan="studio")
    team = services.team_create(owner=owner, name="Agency")
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        Membership.objects.create(workspace=team, user=UserFactory(), role=role)
    services.invitation_create(
        workspace=team, email="new@example.com", role="editor", invited_by=owner, seats=5
    )
    return team


def as_member(user_id: int, *statements: str) -> list:
    """Run ``statements`` as the app's role acting for ``user_id``; each one's rows, or the
    error's class name when PostgreSQL refused it."""
    results: list = []
    with app_role_connection() as raw:
        for statement in statements:
            try:
                with raw.transaction():
                    txid = raw.execute("SELECT txid_current()").fetchone()[0]
                    raw.execute("SELECT set_config('app.user_id', %s, true)", [marker(user_id, txid)])
                    cursor = raw.execute(statement)
                    results.append(cursor.fetchall() if cursor.description else cursor.rowcount)
            except psycopg.Error as error:
                results.append(type(error).__name__)
    return results


def role_of(team, role):
    return team.memberships.get(role=role)


def test_members_see_their_team_and_each_other_and_nobody_else_does(team):
    viewer = role_of(team, Role.VIEWER)
    stranger = UserFactory()
    seen = as_member(
        viewer.user_id,
        f"SELECT name FROM workspaces_workspace WHERE id = {team.pk}",
        f"SELECT count(*) FROM workspaces_membership WHERE workspace_id = {team.pk}",
        "SELECT count(*) FROM workspaces_invitation",
    )
    assert seen == [[("Agency",)], [(4,)], [(0,)]]  # invitations are the admins'
    unseen = as_member(
        stranger.pk,
        f"SELECT count(*) FROM workspaces_workspace WHERE id = {team.pk}",
        f"SELECT count(*) FROM workspaces_membership WHERE workspace_id = {team.pk}",
    )
    assert unseen == [[(0,)], [(0,)]]


def test_an_ex_member_sees_nothing_at_once(team):
    editor = role_of(team, Role.EDITOR)
    editor.delete()
    seen = as_member(editor.user_id, f"SELECT count(*) FROM workspaces_workspace WHERE id = {team.pk}")
    assert seen == [[(0,)]]


def test_only_admins_add_members_and_nobody_but_the_owner_touches_the_owners_row(team):
    editor, admin = role_of(team, Role.EDITOR), role_of(team, Role.ADMIN)
    owner = role_of(team, Role.OWNER)
    newcomer = UserFactory()
    insert = (
        f"INSERT INTO workspaces_membership (workspace_id, user_id, role, joined_at)"
        f" VALUES ({team.pk}, {newcomer.pk}, 'editor', now())"
    )
    assert as_member(editor.user_id, insert) == ["InsufficientPrivilege"]
    assert as_member(
        editor.user_id, f"UPDATE workspaces_membership SET role = 'admin' WHERE id = {editor.pk}"
    ) == [0]
    move = f"UPDATE workspaces_membership SET user_id = {newcomer.pk} WHERE id = {editor.pk}"
    assert as_member(admin.user_id, move) == ["InsufficientPrivilege"]
    assert as_member(
        admin.user_id,
        f"UPDATE workspaces_membership SET role = 'viewer' WHERE id = {owner.pk}",
        f"DELETE FROM workspaces_membership WHERE id = {owner.pk}",
        f"UPDATE workspaces_membership SET role = 'owner' WHERE id = {editor.pk}",
    ) == [0, 0, "InsufficientPrivilege"]
    assert as_member(admin.user_id, "SELECT count(*) FROM workspaces_invitation") == [[(1,)]]
    assert Membership.objects.get(pk=owner.pk).role == Role.OWNER
    assert Invitation.objects.count() == 1


def test_a_member_may_leave_but_not_remove_others(team):
    viewer, editor = role_of(team, Role.VIEWER), role_of(team, Role.EDITOR)
    assert as_member(viewer.user_id, f"DELETE FROM workspaces_membership WHERE id = {editor.pk}") == [0]
    assert as_member(viewer.user_id, f"DELETE FROM workspaces_membership WHERE id = {viewer.pk}") == [1]


def test_members_do_not_see_each_others_account_rows(team):
    viewer, editor = role_of(team, Role.VIEWER), role_of(team, Role.EDITOR)
    seen = as_member(viewer.user_id, f"SELECT count(*) FROM accounts_user WHERE id = {editor.user_id}")
    assert seen == [[(0,)]]


def test_an_admin_cannot_make_a_key_for_someone_else(team):
    admin, editor = role_of(team, Role.ADMIN), role_of(team, Role.EDITOR)
    forged = (
        "INSERT INTO developers_apikey (user_id, workspace_id, name, shown, key_hash, scopes, created_at)"
        f" VALUES ({editor.user_id}, {team.pk}, 'x', 'as_live_x', repeat('a', 64), '[]', now())"
    )
    assert as_member(admin.user_id, forged) == ["InsufficientPrivilege"]
