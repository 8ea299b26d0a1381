"""A Pro creator connects their YouTube channel in Chromium, brings its avatar's colours into a
new brand kit, and publishes a thumbnail from their library as one of their videos' thumbnail.

YouTube (Google's consent page, token endpoint and Data API) is played by
``tests.fakes.platforms`` on 127.0.0.1, so the browser really goes to the consent page and back.
The thumbnail is made in the browser through Quick Create with the new kit, on a real worker, and
published from its library page. axe-core checks the Connections page and the publish page;
screenshots of the journey go to e2e-shots in the system's temporary folder.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from brandkits.models import BrandKit
from library.models import Asset
from tests.e2e.browser import sign_in
from tests.e2e.test_accessibility import AXE, RUN_AXE, describe
from tests.fakes.platforms import FakePlatforms

pytestmark = pytest.mark.worker

SHOTS = Path(tempfile.gettempdir()) / "e2e-shots"
JOB_TIMEOUT = 30_000  # worker start-up plus one thumbnail, with room for a busy machine
PROMPT = "Boss rush recap, neon arena"


@pytest.fixture
def fake(settings) -> Iterator[FakePlatforms]:
    """Twitch, YouTube and Kick played on 127.0.0.1, and the app pointed at them."""
    with FakePlatforms.running() as fake:
        settings.CONNECTION_CLIENTS = fake.settings()
        settings.CONNECTIONS_BASE_URLS = fake.origins()
        yield fake


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_accessible(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text())
    violations = page.evaluate(RUN_AXE)
    assert not violations, f"axe found on {page.url}:\n{describe(violations)}"


def test_creator_connects_youtube_uses_its_colours_and_publishes_a_thumbnail(
    page: Page, pro_creator, worker, fake: FakePlatforms
):
    channel = fake.channels["youtube"]
    sign_in(page, pro_creator.email)

    # ---- Connections → Connect YouTube → the platform's consent page → Allow ----
    page.goto("/profile/connections/")
    expect(page.get_by_role("heading", level=1, name="Connections")).to_be_visible()
    assert_accessible(page)
    shoot(page, "connections")
    page.get_by_role("button", name="Connect YouTube").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/o/oauth2/v2/auth\?"))
    expect(page.get_by_role("button", name="Allow")).to_be_visible()
    shoot(page, "consent")
    page.get_by_role("button", name="Allow").click()

    expect(page).to_have_url(re.compile(r"/profile/connections/$"))
    expect(page.get_by_text(f"YouTube channel “{channel.display_name}” is connected.")).to_be_visible()
    connected = page.get_by_role("article", name=f"YouTube channel {channel.display_name}")
    expect(connected).to_be_visible()
    shoot(page, "connections-connected")
    assert_accessible(page)

    # ---- Use in a brand kit: a new kit, from the avatar ----
    connected.get_by_role("link", name="Use in a brand kit").click()
    expect(page).to_have_url(re.compile(r"/profile/connections/\d+/brand/$"))
    expect(page.get_by_role("radio", name="The channel's avatar")).to_be_checked()
    expect(page.get_by_label("Put them in")).to_have_value("new")
    page.get_by_role("button", name="Use these colours").click()

    expect(page).to_have_url(re.compile(r"/brand/\d+/$"))
    kit = BrandKit.objects.get(owner=pro_creator)
    assert page.url.endswith(f"/brand/{kit.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(kit.name)
    kit_colours = {c.upper() for c in [*kit.palette.values(), *kit.extra_colors]}
    avatar_colours = {c.upper() for c in channel.avatar_colours}
    assert len(kit_colours & avatar_colours) >= 2, (kit_colours, avatar_colours)

    # ---- A thumbnail in the new kit, made on a real worker, then its library page ----
    page.get_by_role("link", name="Create", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/$"))
    page.get_by_label("Platform and asset type").select_option(label="YouTube · Thumbnail")
    page.get_by_label("Brand kit", exact=True).select_option(label=kit.name)
    page.get_by_label("Describe it").fill(PROMPT)
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=JOB_TIMEOUT)
    results = page.get_by_role("region", name="Your 1 asset")
    results.get_by_role("heading", level=3).get_by_role("link").click()

    asset = Asset.objects.get(owner=pro_creator)
    assert (asset.platform, asset.asset_type, asset.brand_kit_id) == ("youtube", "thumbnail", kit.pk)
    expect(page).to_have_url(re.compile(rf"/library/assets/{asset.pk}/$"))
    panel = page.get_by_role("region", name="Publish", exact=True)
    expect(panel).to_be_visible()  # loaded over htmx
    panel.get_by_role("link", name="Publish to YouTube").click()

    expect(page).to_have_url(re.compile(rf"/library/assets/{asset.pk}/publish/$"))
    expect(page.get_by_role("heading", level=1, name="Publish to YouTube")).to_be_visible()
    chosen_id, chosen_title = channel.videos[1].video_id, channel.videos[1].title
    videos = page.get_by_role("group", name="Video").get_by_role("radio")
    expect(videos).to_have_count(len(channel.videos))
    expect(videos.nth(1)).to_have_accessible_name(re.compile(re.escape(chosen_title)))
    shoot(page, "publish")
    assert_accessible(page)
    page.get_by_role("radio", name=chosen_title).check()
    page.get_by_role("button", name="Set as thumbnail").click()

    # ---- Back on the asset: published, when, and what YouTube received ----
    expect(page).to_have_url(re.compile(rf"/library/assets/{asset.pk}/$"))
    expect(page.get_by_text("Published to YouTube as the thumbnail.")).to_be_visible()
    published = page.get_by_role("region", name="Published", exact=True)
    expect(published.get_by_text("Published to YouTube")).to_be_visible()
    expect(published.locator("time")).to_have_text(re.compile(r"^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}$"))
    expect(published).to_contain_text(f"thumbnail of “{chosen_title}”")
    shoot(page, "asset-published")

    rendition = asset.renditions.get()
    with rendition.file.open("rb") as handle:
        stored = handle.read()
    assert len(fake.uploads) == 1, fake.uploads
    upload = fake.uploads[0]
    assert (upload.kind, upload.video_id, upload.content_type) == ("thumbnail", chosen_id, "image/png")
    assert upload.data == stored
    publication = asset.publications.get()
    assert (publication.target_id, publication.target_title) == (chosen_id, chosen_title)
