"""A Studio creator makes a team and invites an editor by email in Chromium; the editor opens
the emailed link, signed in with the invited address, joins, switches to the team in the
header and generates with the team's brand kit; the owner removes them, and the team's work
is a 404 to them at once. axe-core checks the team pages."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from generation.models import GenerationJob
from tests.e2e.browser import sign_in
from tests.e2e.test_accessibility import AXE, RUN_AXE, describe
from tests.factories import BrandKitFactory, UserFactory
from workspaces.models import Workspace

TEAM = "Night Owl Agency"
EDITOR_EMAIL = "kai.edits@example.com"


def assert_accessible(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text())
    violations = page.evaluate(RUN_AXE)
    assert not violations, f"axe found on {page.url}:\n{describe(violations)}"


def join_link() -> str:
    assert mail.outbox, "no invitation was sent"
    match = re.search(r"http://[^\s]+/teams/join/[^\s/]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_an_owner_invites_an_editor_who_joins_and_loses_access_once_removed(
    page: Page, new_page, live_server
):
    owner = UserFactory(email="nova.studio@example.com", display_name="Nova", plan="studio")
    UserFactory(email=EDITOR_EMAIL, display_name="Kai")

    # ---- The owner makes a team and invites the editor ----
    sign_in(page, owner.email)
    page.goto("/teams/")
    expect(page.get_by_role("heading", level=1, name="Teams")).to_be_visible()
    page.get_by_role("link", name="New team").click()
    page.get_by_label("Team name").fill(TEAM)
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1, name=TEAM)).to_be_visible()
    expect(page.get_by_text(f"Team “{TEAM}” is ready.")).to_be_visible()
    expect(page.locator("#seat-count")).to_have_text("1 of 5 seats taken")
    page.get_by_label("Email address").fill(EDITOR_EMAIL)
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {EDITOR_EMAIL}.")).to_be_visible()
    expect(page.get_by_role("list", name="Open invitations")).to_contain_text(EDITOR_EMAIL)
    assert_accessible(page)
    team_url = page.url

    # ---- The editor, in their own browser, follows the emailed link and joins ----
    editor_page = new_page(live_server.url)
    sign_in(editor_page, EDITOR_EMAIL)
    editor_page.goto(join_link())
    expect(editor_page.get_by_role("heading", level=1, name=f"Join {TEAM}")).to_be_visible()
    expect(editor_page.locator("main")).to_contain_text("Nova invited you to the team")
    assert_accessible(editor_page)
    editor_page.get_by_role("button", name=f"Join {TEAM}").click()
    expect(editor_page).to_have_url(team_url)
    expect(editor_page.get_by_text(f"You joined {TEAM} as editor.")).to_be_visible()
    members = editor_page.get_by_role("list", name="Members")
    expect(members.get_by_role("listitem")).to_have_count(2)
    # An editor doesn't manage members: no invitation form, no role changes.
    expect(editor_page.get_by_role("button", name="Send invitation")).to_have_count(0)
    expect(editor_page.get_by_role("button", name="Change role")).to_have_count(0)

    # ---- The editor switches to the team and generates with the team's brand kit ----
    team = Workspace.objects.get(kind="team")
    kit = BrandKitFactory(owner=owner, workspace=team, name="Night Owl Kit")
    # The account menu lists the workspaces (wide screens also have them in the header).
    editor_page.locator("summary:visible", has_text="Account menu for").click()
    editor_page.locator("details[open]").get_by_role("button", name=TEAM, exact=True).click()
    expect(editor_page.get_by_text(f"You're working in {TEAM}.")).to_be_visible()
    editor_page.goto("/create/")
    editor_page.get_by_label("Platform and asset type").select_option(label="YouTube · Thumbnail")
    expect(editor_page.get_by_label("Brand kit", exact=True)).to_contain_text(kit.name)
    editor_page.get_by_label("Brand kit", exact=True).select_option(label=kit.name)
    editor_page.get_by_label("Describe it").fill("Boss rush recap")
    editor_page.get_by_role("button", name="Generate", exact=True).click()
    expect(editor_page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    job = GenerationJob.objects.get()
    assert (job.workspace_id, job.brand_kit_id, job.user.email) == (team.pk, kit.pk, EDITOR_EMAIL)
    job_url = editor_page.url

    # ---- The owner removes the editor; the team's work is a 404 to them at once ----
    page.reload()
    page.get_by_role("listitem", name="Kai").get_by_role("button", name="Remove Kai").click()
    expect(page.get_by_text("Kai is no longer a member.")).to_be_visible()
    for url in (job_url, team_url):
        answer = editor_page.goto(url)
        assert answer is not None
        assert answer.status == 404
