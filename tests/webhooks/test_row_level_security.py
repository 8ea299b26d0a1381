"""A workspace's webhooks under row-level security, as the app's database role over raw SQL:
its admins see and change endpoints, secrets, events and deliveries; editors, viewers and
strangers see none of them."""

from __future__ import annotations

# ruff: noqa: S608 - the SQL is built from the fixture's own integer ids
import psycopg
import pytest
from django.db import connection

from aurastream.db import marker
from tests.aurastream.test_rls_fails_closed import app_role_connection
from tests.factories import UserFactory
from webhooks import services
from workspaces.models import Membership, Role
from workspaces.services import team_create

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]

TABLES = ("webhooks_endpoint", "webhooks_endpointsecret", "webhooks_event", "webhooks_delivery")


@pytest.fixture
def team(receiver):
    owner = UserFactory(plan="studio")
    team = team_create(owner=owner, name="Agency")
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        Membership.objects.create(workspace=team, user=UserFactory(), role=role)
    services.endpoint_create(workspace=team, url=receiver.url, created_by=owner)
    services.event_emit(workspace_id=team.pk, type="job.failed", data={})
    return team


def as_member(user_id: int, *statements: str) -> list:
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


def test_only_the_workspaces_admins_see_its_webhooks(team):
    counts = [f"SELECT count(*) FROM {table}" for table in TABLES]
    for role in (Role.OWNER, Role.ADMIN):
        assert as_member(team.memberships.get(role=role).user_id, *counts) == [[(1,)]] * 4
    for user_id in (team.memberships.get(role=Role.EDITOR).user_id, UserFactory().pk):
        assert as_member(user_id, *counts) == [[(0,)]] * 4


def test_an_editor_can_neither_change_nor_add_an_endpoint(team):
    editor = team.memberships.get(role=Role.EDITOR).user_id
    assert as_member(
        editor,
        "UPDATE webhooks_endpoint SET url = 'http://127.0.0.1/x'",
        "DELETE FROM webhooks_delivery",
        f"INSERT INTO webhooks_endpoint (workspace_id, url, description, event_types, enabled,"
        f" disabled_reason, created_at) VALUES ({team.pk}, 'http://x', '', '[]', true, '', now())",
    ) == [0, 0, "InsufficientPrivilege"]
