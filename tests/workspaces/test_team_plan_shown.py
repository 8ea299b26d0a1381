"""Working in a team, a member sees the plan that pays for the team's work (its owner's), not
their own: what is left to generate, how long assets are kept, the coach's sessions."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AssetFactory, UserFactory
from workspaces import services
from workspaces.models import Membership, Role


@pytest.fixture
def member(db):
    owner = UserFactory(plan="studio")
    team = services.team_create(owner=owner, name="Agency")
    member = UserFactory()  # on Free
    Membership.objects.create(workspace=team, user=member, role=Role.EDITOR)
    return team, member


def client_for(user, workspace=None) -> Client:
    client = Client()
    client.force_login(user)
    if workspace is not None:
        assert client.post("/workspaces/switch/", {"workspace": workspace.pk}).status_code == 302
    return client


def test_in_the_team_the_pages_show_the_owners_plan(member):
    team, editor = member
    asset = AssetFactory(owner=editor, workspace=team, sizes=(112,))
    client = client_for(editor, team)

    create = client.get("/create/").content.decode()
    assert "Unlimited generations</span> on Studio" in create
    assert "generations left" not in create
    assert "Unlimited sessions on Studio" in client.get("/coach/").content.decode()
    assert "assets are kept" not in client.get("/library/").content.decode()
    assert "Kept until" not in client.get(f"/library/assets/{asset.pk}/").content.decode()


def test_in_their_own_workspace_a_member_sees_their_own_plan(member):
    _team, editor = member
    client = client_for(editor)

    create = client.get("/create/").content.decode()
    assert "3 of 3 generations left" in create
    assert "on Free" in create
    assert "On your plan, assets are kept" in client.get("/library/").content.decode()
