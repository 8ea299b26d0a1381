"""A viewer's pages leave out the controls the server would refuse them (and say why, with the
way back to their own workspace); an editor in the same team keeps every control."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import (
    AssetFactory,
    BrandKitFactory,
    CoachSessionFactory,
    GenerationJobFactory,
    UserFactory,
)
from workspaces import services
from workspaces.models import Membership, Role

NOTICE = "You're a viewer in <strong>Agency</strong>"


@pytest.fixture
def team(db):
    owner = UserFactory(plan="studio")
    team = services.team_create(owner=owner, name="Agency")
    viewer, editor = UserFactory(), UserFactory()
    Membership.objects.create(workspace=team, user=viewer, role=Role.VIEWER)
    Membership.objects.create(workspace=team, user=editor, role=Role.EDITOR)
    job = GenerationJobFactory(user=editor, workspace=team)
    asset = AssetFactory(owner=editor, workspace=team, source_job_id=job.pk, sizes=(112,))
    CoachSessionFactory(user=editor, workspace=team, title="Boss rush")
    return team, viewer, editor, asset


def working_in(team, user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.post("/workspaces/switch/", {"workspace": team.pk}).status_code == 302
    return client


def test_a_viewer_sees_the_library_and_downloads_but_meets_no_editing_control(team):
    team, viewer, editor, _asset = team
    page = working_in(team, viewer).get("/library/").content.decode()
    assert NOTICE in page
    assert "Download zip" in page
    for control in ("Create an asset", "New collection", "Add tags", ">Move<", ">Delete<"):
        assert control not in page, control
    # The way back to their own work.
    assert "Work in Personal" in page

    page = working_in(team, editor).get("/library/").content.decode()
    assert NOTICE not in page
    for control in ("Create an asset", "New collection", "Add tags", ">Move<", ">Delete<"):
        assert control in page, control


def test_a_viewer_opens_a_team_asset_without_its_editing_controls(team):
    team, viewer, editor, asset = team
    url = f"/library/assets/{asset.pk}/"
    answer = working_in(team, viewer).get(url)
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "You're a viewer in <strong>Agency</strong>: you can see and download this asset." in page
    assert "Download zip" in page
    for control in ("Create a public link", ">Delete<", "Organise", "Remix", "Loading refine options"):
        assert control not in page, control

    page = working_in(team, editor).get(url).content.decode()
    assert "You're a viewer" not in page
    for control in ("Create a public link", ">Delete<", "Organise", "Remix", "Loading refine options"):
        assert control in page, control
    assert "Only the team can see this asset." in page


def test_a_viewer_meets_a_disabled_generate_button_and_the_reason(team):
    team, viewer, editor, _ = team
    viewer_client = working_in(team, viewer)
    for url in ("/create/", "/create/quick/starting-soon/"):
        page = viewer_client.get(url).content.decode()
        assert NOTICE in page, url
        assert 'disabled aria-describedby="viewer-notice"' in page, url
    page = working_in(team, editor).get("/create/").content.decode()
    assert NOTICE not in page
    assert 'aria-describedby="viewer-notice"' not in page


def test_a_viewer_reads_the_teams_coach_sessions_but_starts_none(team):
    team, viewer, editor, _ = team
    page = working_in(team, viewer).get("/coach/").content.decode()
    assert "Boss rush" in page
    assert NOTICE in page
    assert "Start a session" not in page
    assert "Delete session" not in page

    page = working_in(team, editor).get("/coach/").content.decode()
    assert "Start a session" in page
    assert "Delete session" in page


def test_in_their_own_workspace_a_team_viewer_has_every_control(team):
    _team, viewer, _editor, _asset = team
    client = Client()
    client.force_login(viewer)
    page = client.get("/create/").content.decode()
    assert "You're a viewer" not in page


def test_a_viewer_reads_a_coach_session_with_the_composer_and_generate_off(team):
    team, viewer, editor, _ = team
    session = CoachSessionFactory(user=editor, workspace=team, title="Raid night")
    page = working_in(team, viewer).get(f"/coach/{session.pk}/").content.decode()
    assert "you can read this session" in page
    assert "required disabled" in page  # the message box
    assert "data-read-only disabled" in page

    page = working_in(team, editor).get(f"/coach/{session.pk}/").content.decode()
    assert "you can read this session" not in page
    assert "data-read-only" not in page


def test_below_admin_a_teams_brand_kits_are_shown_but_not_changed(team):
    team, viewer, editor, _ = team
    admin = UserFactory()
    Membership.objects.create(workspace=team, user=admin, role=Role.ADMIN)
    kit = BrandKitFactory(owner=team.owner, workspace=team, name="Agency kit")

    for member in (viewer, editor):
        client = working_in(team, member)
        kits = client.get("/brand/").content.decode()
        assert "are managed by its owner and admins" in kits
        assert f'aria-label="Open {kit.name}"' in kits
        for control in ("New brand kit", "Make default", "Delete kit", "Suggest a kit"):
            assert control not in kits, control
        page = client.get(f"/brand/{kit.pk}/").content.decode()
        assert "whose owner and admins change it" in page
        assert "Changes apply to new assets once you save" not in page
        assert "Save changes" not in page
        assert "Upload font" not in page

    client = working_in(team, admin)
    assert "are managed by" not in client.get("/brand/").content.decode()
    page = client.get(f"/brand/{kit.pk}/").content.decode()
    assert "Save changes" in page
    assert "kit-read-only" not in page
