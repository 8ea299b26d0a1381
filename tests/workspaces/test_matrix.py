"""Who reaches what in a team workspace: for each object page and API resource, each role's
answer (viewers see and download, editors change work, admins manage kits and members) and a
non-member's 404; then the same in raw SQL as the app's role, through row-level security."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import (
    AssetFactory,
    BrandKitFactory,
    CoachSessionFactory,
    GenerationJobFactory,
    UserFactory,
)
from workspaces import services
from workspaces.models import Membership, Role

ROLES = ("owner", "admin", "editor", "viewer", "outsider")


@pytest.fixture
def team(db):
    """A team with one member of each role, an outsider in a team of their own, and one of
    each kind of work in the first team."""
    owner = UserFactory(plan="studio")
    team = services.team_create(owner=owner, name="Agency")
    people = {"owner": owner}
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        people[role] = UserFactory()
        Membership.objects.create(workspace=team, user=people[role], role=role)
    outsider = UserFactory(plan="studio")
    services.team_create(owner=outsider, name="Elsewhere")
    people["outsider"] = outsider
    editor = people[Role.EDITOR]
    work = {
        "asset": AssetFactory(owner=editor, workspace=team, sizes=(112,)),
        "kit": BrandKitFactory(owner=owner, workspace=team, name="Agency kit"),
        "job": GenerationJobFactory(user=editor, workspace=team),
        "session": CoachSessionFactory(user=editor, workspace=team),
    }
    return team, people, work


def answers(people, call) -> dict[str, int]:
    """Each role's status code for ``call(client, role)``."""
    result = {}
    for role in ROLES:
        client = Client()
        client.force_login(people[role])
        result[role] = call(client, role).status_code
    return result


def api_answers(people, call) -> dict[str, int]:
    result = {}
    for role in ROLES:
        client = APIClient()
        client.force_login(people[role])
        result[role] = call(client, role).status_code
    return result


def expect(owner, admin, editor, viewer, outsider) -> dict[str, int]:
    return dict(zip(ROLES, (owner, admin, editor, viewer, outsider), strict=True))


def test_pages(team):
    _team, people, work = team
    asset, kit, job, session = work["asset"], work["kit"], work["job"], work["session"]
    see = expect(200, 200, 200, 200, 404)
    assert answers(people, lambda c, r: c.get(f"/library/assets/{asset.pk}/")) == see
    assert answers(people, lambda c, r: c.get(f"/brand/{kit.pk}/")) == see
    assert answers(people, lambda c, r: c.get(f"/create/jobs/{job.pk}/")) == see
    assert answers(people, lambda c, r: c.get(f"/coach/{session.pk}/")) == see
    # Renaming an asset is an editor's; managing members an admin's.
    rename = answers(people, lambda c, r: c.post(f"/library/assets/{asset.pk}/", {"title": f"By {r}"}))
    assert rename == expect(302, 302, 302, 403, 404)
    viewer = _team.memberships.get(role=Role.VIEWER)
    role_change = f"/teams/{_team.pk}/members/{viewer.pk}/role/"
    manage = answers(people, lambda c, r: c.post(role_change, {"role": "viewer"}))
    assert manage == expect(302, 302, 403, 403, 404)


def test_api(team):
    _team, people, work = team
    asset, kit, job, session = work["asset"], work["kit"], work["job"], work["session"]
    see = expect(200, 200, 200, 200, 404)
    assert api_answers(people, lambda c, r: c.get(f"/api/v1/assets/{asset.pk}/")) == see
    assert api_answers(people, lambda c, r: c.get(f"/api/v1/brand-kits/{kit.pk}/")) == see
    assert api_answers(people, lambda c, r: c.get(f"/api/v1/generations/{job.pk}/")) == see
    assert api_answers(people, lambda c, r: c.get(f"/api/v1/coach/sessions/{session.pk}/")) == see
    patch = api_answers(
        people, lambda c, r: c.patch(f"/api/v1/assets/{asset.pk}/", {"title": f"By {r}"}, format="json")
    )
    assert patch == expect(200, 200, 200, 403, 404)
    default = api_answers(people, lambda c, r: c.post(f"/api/v1/brand-kits/{kit.pk}/default/"))
    assert default == expect(200, 200, 403, 403, 404)
    running = GenerationJobFactory(user=people[Role.EDITOR], workspace=_team, status="running")
    cancel = api_answers(people, lambda c, r: c.post(f"/api/v1/generations/{running.pk}/cancel/"))
    assert cancel == expect(200, 200, 200, 403, 404)


def test_deleting_an_asset_is_an_editors_whatever_workspace_is_current(team):
    _team, people, work = team
    asset = work["asset"]
    for role in ("viewer", "outsider"):
        client = APIClient()
        client.force_login(people[role])
        assert client.delete(f"/api/v1/assets/{asset.pk}/").status_code == (403 if role == "viewer" else 404)
    asset.refresh_from_db()
    assert asset.deleted_at is None
    editor = APIClient()
    editor.force_login(people[Role.EDITOR])  # their current workspace is their personal one
    assert editor.delete(f"/api/v1/assets/{asset.pk}/").status_code == 204
    asset.refresh_from_db()
    assert asset.deleted_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_row_level_security_agrees(team):
    from tests.workspaces.test_row_level_security import as_member

    _team, people, work = team
    asset = work["asset"]
    seen = {}
    for role in ROLES:
        seen[role] = as_member(
            people[role].pk,
            f"SELECT count(*) FROM library_asset WHERE id = '{asset.pk}'",  # noqa: S608 - a uuid of ours
            f"SELECT count(*) FROM brandkits_brandkit WHERE id = {work['kit'].pk}",  # noqa: S608 - our id
            f"UPDATE library_asset SET title = 'x' WHERE id = '{asset.pk}'",  # noqa: S608 - a uuid of ours
            f"UPDATE brandkits_brandkit SET name = 'x' WHERE id = {work['kit'].pk}",  # noqa: S608 - our id
        )
    assert seen == {
        "owner": [[(1,)], [(1,)], 1, 1],
        "admin": [[(1,)], [(1,)], 1, 1],
        "editor": [[(1,)], [(1,)], 1, 0],
        "viewer": [[(1,)], [(1,)], 0, 0],
        "outsider": [[(0,)], [(0,)], 0, 0],
    }
