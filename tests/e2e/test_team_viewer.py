"""A viewer in a team, in Chromium: after switching to the team they browse its library and
open an asset with only what their role allows (download, no delete or refine), meet a
disabled Generate button with the reason beside it, and one click takes them back to their
own workspace, where they generate as usual. axe-core checks each page."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.browser import sign_in
from tests.e2e.test_teams import assert_accessible
from tests.factories import AssetFactory, GenerationJobFactory, UserFactory
from workspaces import services
from workspaces.models import Membership, Role

TEAM = "Night Owl Agency"
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def snap(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_a_viewer_sees_and_downloads_the_teams_work_and_is_told_what_needs_an_editor(page: Page):
    owner = UserFactory(email="nova.studio@example.com", display_name="Nova", plan="studio")
    team = services.team_create(owner=owner, name=TEAM)
    viewer = UserFactory(email="sam.views@example.com", display_name="Sam")
    Membership.objects.create(workspace=team, user=viewer, role=Role.VIEWER)
    job = GenerationJobFactory(user=owner, workspace=team)
    asset = AssetFactory(
        owner=owner, workspace=team, source_job_id=job.pk, title="Boss rush recap", sizes=(112,)
    )

    sign_in(page, viewer.email)
    page.locator("summary:visible", has_text="Account menu for").click()
    page.locator("details[open]").get_by_role("button", name=TEAM, exact=True).click()
    expect(page.get_by_text(f"You're working in {TEAM}.")).to_be_visible()

    # ---- The library: the team's asset, no creating, organising or deleting ----
    page.goto("/library/")
    notice = page.locator("#viewer-notice")
    expect(notice).to_contain_text(f"You're a viewer in {TEAM}")
    expect(page.get_by_role("link", name="Create an asset")).to_have_count(0)
    expect(page.get_by_text("New collection")).to_have_count(0)
    assert_accessible(page)
    snap(page, "viewer-library")

    # ---- The asset: downloads, and the reason there is nothing to change ----
    page.get_by_role("link", name=asset.title).first.click()
    expect(page.get_by_role("heading", level=1, name=asset.title)).to_be_visible()
    expect(page.get_by_role("link", name="Download zip")).to_be_visible()
    for name in ("Delete", "Remix", "Save", "Create a public link"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    expect(page.locator("#viewer-notice")).to_contain_text("you can see and download this asset")
    assert_accessible(page)
    snap(page, "viewer-asset")

    # ---- Create: Generate is off, the reason is beside it, and the way back is one click ----
    page.goto("/create/")
    generate = page.get_by_role("button", name="Generate", exact=True)
    expect(generate).to_be_disabled()
    expect(generate).to_have_accessible_description(re.compile("needs the editor role"))
    assert_accessible(page)
    snap(page, "viewer-create")
    page.get_by_role("button", name="Work in Personal").click()
    expect(page.get_by_text("You're working in Personal.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/create/$"))
    expect(page.locator("#viewer-notice")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate", exact=True)).to_be_enabled()
