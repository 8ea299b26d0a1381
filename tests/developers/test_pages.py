"""The API keys pages: make a key (shown once), list and revoke; team admins see the team's keys."""

from __future__ import annotations

import html

import pytest

from developers.models import ApiKey
from tests.factories import PlanGrantFactory, UserFactory
from workspaces import services as workspaces
from workspaces.models import Membership, Role
from workspaces.selectors import personal_membership

pytestmark = pytest.mark.django_db


def test_making_a_key_shows_it_once(pro_client, pro):
    page = pro_client.get("/profile/api-keys/new/")
    assert page.status_code == 200
    personal = personal_membership(user=pro)
    assert personal is not None

    made = pro_client.post(
        "/profile/api-keys/new/",
        {
            "name": "Overlay",
            "scopes": ["read", "library_write"],
            "expires": "90",
            "workspace": personal.workspace_id,
        },
    )
    assert made.status_code == 201
    api_key = ApiKey.objects.get()
    key = made.context["key"]
    assert key.startswith(api_key.shown)
    assert key in made.content.decode()
    assert "only time it is shown" in made.content.decode()
    assert "no-store" in made["Cache-Control"] or "max-age=0" in made["Cache-Control"]
    assert api_key.scopes == ["read", "library_write"]
    assert api_key.expires_at is not None

    listed = pro_client.get("/profile/api-keys/").content.decode()
    assert "Overlay" in listed
    assert api_key.shown in listed
    assert key not in listed


def test_a_key_needs_a_scope(pro_client, pro):
    personal = personal_membership(user=pro)
    assert personal is not None
    answer = pro_client.post("/profile/api-keys/new/", {"name": "x", "workspace": personal.workspace_id})
    assert answer.status_code == 400
    assert "Choose at least one thing the key may do." in html.unescape(answer.content.decode())
    assert not ApiKey.objects.exists()


def test_free_creators_see_why_and_an_upgrade(auth_client):
    page = html.unescape(auth_client.get("/profile/api-keys/").content.decode())
    assert "Personal API keys aren't part of the Free plan." in page
    assert "New key" not in page
    refused = auth_client.post("/profile/api-keys/new/", {"name": "x", "scopes": ["read"]})
    assert refused.status_code == 400
    assert not ApiKey.objects.exists()


def test_the_settings_menu_links_the_page(pro_client):
    page = pro_client.get("/profile/api-keys/").content.decode()
    assert (
        'href="/profile/api-keys/" class="nav-link w-full whitespace-nowrap" aria-current="page">API keys'
        in page
    )


def test_revoking_from_the_page(pro_client, pro, make_key):
    api_key, _ = make_key(pro)
    assert pro_client.post(f"/profile/api-keys/{api_key.pk}/revoke/").status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


@pytest.fixture
def team(studio):
    workspace = workspaces.team_create(owner=studio, name="Night Crew")
    return workspace


def _member(team, role: str, *, plan: str = "pro"):
    member = UserFactory()
    PlanGrantFactory(user=member, plan=plan)
    Membership.objects.create(workspace=team, user=member, role=role)
    return member


def test_team_admins_see_and_revoke_the_teams_keys_others_do_not(client, team, make_key):
    editor = _member(team, Role.EDITOR)
    admin = _member(team, Role.ADMIN)
    viewer = _member(team, Role.VIEWER)
    team_key, _ = make_key(editor, workspace=team)
    private_key, _ = make_key(editor)

    client.force_login(admin)
    page = client.get("/profile/api-keys/").content.decode()
    assert "Keys for Night Crew" in page
    assert f"api-key-{team_key.pk}" in page
    assert f"api-key-{private_key.pk}" not in page
    assert client.post(f"/profile/api-keys/{private_key.pk}/revoke/").status_code == 404
    assert client.post(f"/profile/api-keys/{team_key.pk}/revoke/").status_code == 302
    team_key.refresh_from_db()
    assert team_key.revoked_at is not None

    client.force_login(viewer)
    page = client.get("/profile/api-keys/").content.decode()
    assert "Keys for Night Crew" not in page
    assert f"api-key-{team_key.pk}" not in page
    assert client.post(f"/profile/api-keys/{private_key.pk}/revoke/").status_code == 404


def test_keys_are_made_only_where_the_creator_edits(client, team):
    viewer = _member(team, Role.VIEWER)
    client.force_login(viewer)
    page = client.get("/profile/api-keys/new/").content.decode()
    assert f'<option value="{team.pk}"' not in page
    answer = client.post("/profile/api-keys/new/", {"name": "x", "scopes": ["read"], "workspace": team.pk})
    assert answer.status_code == 400
    assert not ApiKey.objects.exists()
