"""A creator makes a YouTube thumbnail and a Twitch emote pack in Chromium, on a real worker.

The jobs go through the run's real broker (the filesystem transport, or Redis with REDIS_URL)
to a real Celery worker process whose local image provider is slowed down, so the job page's
stages can be watched as htmx polls them in. Then the in-context previews are measured as
Chromium lays them out, and a downloaded file is opened to check its pixel size.
"""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.browser import download, sign_in
from tests.worker import Worker

pytestmark = pytest.mark.worker

# Long enough per image that the "Rendering" stage outlives a 500 ms poll or two.
SLOW_SECONDS = 0.8
# Worker start-up plus a job of three slowed-down images, with room for a busy machine.
JOB_TIMEOUT = 30_000

# Installed in every page before its own scripts: writes down each state of the job page's
# #job-status region that the browser actually shows (the first render and every htmx swap),
# so the test sees the stages as the creator does, however briefly each one lasts.
RECORD_STAGES = """
(() => {
  window.__stages = [];
  const record = () => {
    const status = document.getElementById("job-status");
    if (!status) return;
    const current = status.querySelector("ol[aria-label=Steps] [aria-current=step]");
    const bar = status.querySelector("[role=progressbar]");
    const state = {
      title: status.querySelector("#job-status-title").textContent.trim(),
      current: current ? current.textContent.replace(/\\s+/g, " ").trim() : null,
      progress: bar ? Number(bar.getAttribute("aria-valuenow")) : null,
    };
    const last = window.__stages[window.__stages.length - 1];
    if (!last || JSON.stringify(last) !== JSON.stringify(state)) window.__stages.push(state);
  };
  document.addEventListener("DOMContentLoaded", () => {
    record();
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true });
  });
})();
"""


@pytest.fixture
def worker(start_worker) -> Worker:
    return start_worker(slow_seconds=SLOW_SECONDS)


def watched_stages(page: Page) -> list[dict[str, object]]:
    return page.evaluate("window.__stages")


def expect_finished(page: Page) -> list[dict[str, object]]:
    """Wait for the job page to say Done; return every state it showed on the way."""
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=JOB_TIMEOUT)
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    steps = status.get_by_role("list", name="Steps").get_by_role("listitem")
    expect(steps).to_have_count(6)
    for step in steps.all():
        expect(step).to_contain_text(": done")
    expect(status.locator("[aria-current=step]")).to_have_count(0)
    return watched_stages(page)


def assert_watched_the_stages(stages: list[dict[str, object]]) -> None:
    assert stages, "the job page never rendered #job-status"
    currents = [state["current"] for state in stages]
    assert "Rendering: in progress" in currents, stages
    progress = [state["progress"] for state in stages]
    assert progress == sorted(progress), stages
    # The bar rose while the creator watched: at least one state between empty and full.
    assert any(0 < value < 100 for value in progress), stages
    assert stages[-1] == {"title": "Done", "current": None, "progress": 100}, stages


def rendered_sizes(images: Locator) -> list[tuple[float, float]]:
    boxes = images.evaluate_all(
        "els => els.map(el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    return [(width, height) for width, height in boxes]


def test_creator_makes_a_thumbnail_and_an_emote_pack_and_downloads_them(
    page: Page, pro_creator, worker, tmp_path
):
    page.context.add_init_script(RECORD_STAGES)
    # Free allows 3 generations a month; a thumbnail and a three-emote pack need 4.
    sign_in(page, pro_creator.email)

    # ---- A YouTube thumbnail with a quoted headline ----
    page.goto("/create/")
    page.get_by_label("Platform and asset type").select_option(label="YouTube · Thumbnail")
    page.get_by_label("Describe it").fill('Neon arcade at night, headline "BOSS RUSH"')
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("YouTube thumbnail")

    assert_watched_the_stages(expect_finished(page))
    results = page.get_by_role("region", name="Your 1 asset")
    expect(results).to_be_visible()

    # In an "up next" list, light and dark, at 120×68 between placeholder videos.
    for mode in ("light", "dark"):
        video_list = results.locator("figure", has_text=f"Up next, {mode} theme")
        thumbnail = video_list.locator("img")
        expect(thumbnail).to_have_count(1)
        expect(thumbnail).to_be_visible()
        box = thumbnail.bounding_box()
        assert box is not None
        assert (round(box["width"]), round(box["height"])) == (120, 68)
        expect(thumbnail).to_have_js_property("naturalWidth", 1280)
    # And full size.
    full_size = results.locator("figure", has_text="Full size, 1280×720").locator("img")
    full_size.scroll_into_view_if_needed()
    expect(full_size).to_be_visible()
    expect(full_size).to_have_js_property("naturalWidth", 1280)
    expect(full_size).to_have_js_property("naturalHeight", 720)

    file = download(page, results.get_by_role("link", name=re.compile(r"^Download 1280×720 ")), tmp_path)
    assert file.name.startswith("youtube-thumbnail-")  # then the asset's words, then its size
    assert file.name.endswith(("-1280x720.png", "-1280x720.jpg"))
    with Image.open(file) as image:
        assert image.size == (1280, 720)

    # ---- A Twitch emote pack of three ----
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Create").click()
    expect(page).to_have_url(re.compile(r"/create/$"))
    page.get_by_label("Platform and asset type").select_option(label="Twitch · Emote (static)")
    page.get_by_label("Make", exact=True).select_option(label="Emote pack")
    pack_items = page.get_by_label("Pack items")
    expect(pack_items).to_be_visible()  # shown only once a pack is picked
    pack_items.fill("GG, HYPE, love heart")
    page.get_by_label("Describe it").fill("A cozy purple cat mascot")
    expect(page.locator("#job-cost")).to_contain_text("3 generations")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("list", name="Pack items").get_by_role("listitem")).to_have_text(
        ["GG", "HYPE", "love heart"]
    )

    assert_watched_the_stages(expect_finished(page))
    results = page.get_by_role("region", name="Your 3 assets")
    expect(results).to_be_visible()
    emotes = results.get_by_role("article")
    expect(emotes).to_have_count(3)

    # The whole set in one chat line, light and dark, every emote at 28 px.
    whole_set = results.get_by_role("group", name="The whole set in chat")
    for mode in ("light", "dark"):
        in_chat = whole_set.locator("figure", has_text=f"The set in {mode} chat").locator("img")
        expect(in_chat).to_have_count(3)
        assert rendered_sizes(in_chat) == [(28, 28)] * 3
        for emote in in_chat.all():
            expect(emote).to_have_js_property("naturalWidth", 28)

    # Each emote on its own card, on light and dark chat: its 28 px file shown at 28 px.
    for emote in emotes.all():
        for mode in ("light", "dark"):
            chat = emote.locator("figure", has_text=f"On {mode} chat")
            chat.scroll_into_view_if_needed()
            expect(chat).to_be_visible()
            images = chat.locator("img")
            at_28 = [size for size in rendered_sizes(images) if size == (28, 28)]
            assert len(at_28) >= 2, rendered_sizes(images)  # the 28 px file, and in a chat line
            expect(chat.locator("img[width='28']").first).to_have_js_property("naturalWidth", 28)

    first = emotes.first
    file = download(page, first.get_by_role("link", name=re.compile(r"^Download 28×28 ")), tmp_path)
    assert file.name == "twitch-emote-gg-28x28.png"
    with Image.open(file) as image:
        assert image.size == (28, 28)
        assert "A" in image.getbands(), image.mode
