"""Animated assets in Chromium: a Pro creator makes a still Twitch emote move, watches it in the
chat mocks, pauses it, refines it slower and downloads the zip; a viewer who asks for reduced
motion sees it paused; a Free creator is offered the upgrade instead; an alert plays its WebM
over the stand-in stream.

The still designs are made by the real engine (local provider, Celery eager, in the test's
thread); the animate and refine jobs run the same way inside the live server's request, so the
job page is done when it opens. Files are read back from what the browser downloads. Each page
is screenshotted at 1366×768 into the test's folder (``--basetemp`` keeps them), and axe-core
checks the animated asset page and the Create page with an animated type chosen.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from accounts.models import User
from generation.models import GenerationJob
from generation.services import JobRequest, job_create
from library.models import Asset
from tests.e2e.browser import download, sign_in, watch_csp
from tests.e2e.test_accessibility import AXE, RUN_AXE, describe
from tests.factories import UserFactory

SCREEN = ViewportSize(width=1366, height=768)
ASSET_URL = re.compile(r"/library/assets/[0-9a-f-]{36}/$")
JOB_URL = re.compile(r"/create/jobs/[0-9a-f-]{36}/$")
# Twitch's three sizes of an animated emote whose word is "GG", named as the zip names them.
EMOTE_FILES = [f"twitch-animated-emote-gg-{size}x{size}.gif" for size in (112, 28, 56)]


def made(user: User, spec_key: str, animation: str = "") -> Asset:
    """An asset made through the product's service, the way Create makes it."""
    request = JobRequest(spec_key=spec_key, prompt="a hype cat", text="GG", seed=7, animation=animation)
    job, _ = job_create(user=user, request=request)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    return Asset.objects.get(source_job_id=job.pk)


@pytest.fixture
def pro_still(pro_creator: User) -> Asset:
    return made(pro_creator, "twitch.emote")


@pytest.fixture
def free_still(creator: User) -> Asset:
    return made(creator, "twitch.emote")


@pytest.fixture
def studio_alert(transactional_db) -> Asset:
    studio: User = UserFactory.create(email="nova.studio@example.com", display_name="Nova", plan="studio")
    return made(studio, "stream.alert", animation="pop_in")


def animation_of(data: bytes) -> tuple[str | None, list[int]]:
    """A file's format and its frames' durations in ms."""
    image = Image.open(io.BytesIO(data))
    durations = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        durations.append(int(image.info.get("duration", 0)))
    return image.format, durations


def wait_until_done(page: Page) -> None:
    expect(page).to_have_url(JOB_URL)
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=30_000)


def open_made_asset(page: Page) -> str:
    """From a finished job's page to the asset it made; its page's URL."""
    results = page.get_by_role("region", name="Your 1 asset")
    results.get_by_role("heading", level=3).get_by_role("link").click()
    expect(page).to_have_url(ASSET_URL)
    return page.url


def chat_line_emotes(page: Page) -> Locator:
    """The emote as a chat message shows it, in the light and the dark chat mock."""
    chats = page.locator("figure", has_text=re.compile("On (light|dark) chat"))
    return chats.locator("p picture[data-motion] img")


def expect_still(image: Locator, still: bool = True) -> None:
    """Wait until ``image`` shows its first frame (the ``/still/`` file), or, with ``still``
    false, the moving file."""
    image.page.wait_for_function(
        "([img, still]) => img.currentSrc.endsWith('/still/') === still", arg=[image.element_handle(), still]
    )


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.wait_for_load_state("networkidle")  # htmx fills panels in after the first paint
    page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE)


def test_a_pro_creator_makes_a_still_emote_move_refines_it_slower_and_downloads_it(
    page: Page, browser: Browser, live_server, pro_still: Asset, tmp_path: Path
):
    page.set_viewport_size(SCREEN)
    sign_in(page, pro_still.owner.email)

    # ---- The still emote, opened from the library ----
    page.goto("/library/")
    page.get_by_role("link", name=pro_still.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/library/assets/{pro_still.pk}/$"))
    panel = page.locator("section#animate")
    expect(panel.get_by_role("heading", name="Make it move")).to_be_visible()
    panel.screenshot(path=tmp_path / "make-it-move-pro.png")

    # ---- Make it move: Bounce, as Twitch's animated emote ----
    panel.get_by_label("Make it a").select_option(label="Twitch emote (animated)")
    panel.get_by_label("Animation").select_option(label="Bounce")
    panel.get_by_role("button", name="Animate").click()
    wait_until_done(page)
    first_url = open_made_asset(page)
    moving = Asset.objects.get(owner=pro_still.owner, spec_key="twitch.animated_emote")
    assert moving.recipe["motion"]["animation"] == "bounce"

    # ---- Seen in chat at 28 px, light and dark, moving ----
    emotes = chat_line_emotes(page)
    expect(emotes).to_have_count(2)
    for emote in emotes.all():
        emote.scroll_into_view_if_needed()
        expect(emote).to_have_js_property("complete", True)
        assert emote.evaluate("img => img.naturalWidth") > 0
        box = emote.bounding_box()
        assert box is not None
        assert (box["width"], box["height"]) == (28, 28)
        shown = emote.evaluate("img => img.currentSrc")
        assert not shown.endswith("/still/"), shown
        served = page.request.get(shown)
        file_format, durations = animation_of(served.body())
        assert file_format == "GIF"
        assert len(durations) > 1, "the emote in chat does not move"

    # ---- Pause holds the first frame; Play moves again ----
    preview = page.locator("[data-motion-scope]")
    still_sources = preview.locator("picture[data-motion] source[data-still]")
    light_emote = emotes.first
    preview.get_by_role("button", name="Pause").click()
    expect(preview).to_have_attribute("data-motion-state", "paused")
    assert set(still_sources.evaluate_all("sources => sources.map(s => s.media)")) == {"all"}
    expect_still(light_emote)
    preview.get_by_role("button", name="Play").click()
    expect(preview).to_have_attribute("data-motion-state", "playing")
    expect_still(light_emote, still=False)

    # ---- The animated asset's page: axe, and how it looks in both themes ----
    violations = axe_violations(page)
    assert not violations, f"axe found on the animated emote's page:\n{describe(violations)}"
    page.screenshot(path=tmp_path / "animated-emote-dark.png", full_page=True)
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Switch to light theme").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\blight\b"))
    page.screenshot(path=tmp_path / "animated-emote-light.png", full_page=True)
    violations = axe_violations(page)
    assert not violations, f"axe found on the animated emote's page (light):\n{describe(violations)}"

    # ---- A viewer who asks for reduced motion: paused from the start, and told so ----
    calm = browser.new_context(
        base_url=live_server.url,
        viewport=SCREEN,
        reduced_motion="reduce",
        storage_state=page.context.storage_state(),  # signed in, as in the page above
    )
    calm_page = calm.new_page()
    refused = watch_csp(calm_page)
    try:
        calm_page.goto(first_url)
        calm_preview = calm_page.locator("[data-motion-scope]")
        expect(calm_preview).to_have_attribute("data-motion-state", "paused")
        expect(calm_preview.get_by_role("button", name="Play")).to_be_visible()
        expect(calm_preview).to_contain_text("Paused because your device asks for reduced motion.")
        calm_emote = chat_line_emotes(calm_page).first
        calm_emote.scroll_into_view_if_needed()
        expect_still(calm_emote)
    finally:
        calm.close()
    assert not refused, refused

    # ---- Slower: a new version whose loop lasts longer ----
    first_gif = download(page, page.get_by_role("link", name="Download 112×112 GIF"), tmp_path / "first")
    page.get_by_role("group", name="Quick changes").get_by_role("button", name="Slower").click()
    wait_until_done(page)
    expect(page.get_by_text("“slower” — a new version of")).to_be_visible()
    open_made_asset(page)
    expect(page.locator("main")).to_contain_text("Version 2 (this one)")
    slower_gif = download(page, page.get_by_role("link", name="Download 112×112 GIF"), tmp_path / "slower")
    _, first_durations = animation_of(first_gif.read_bytes())
    _, slower_durations = animation_of(slower_gif.read_bytes())
    assert sum(slower_durations) > sum(first_durations), (first_durations, slower_durations)

    # ---- The zip: the three sizes, named for Twitch, each moving ----
    archive = download(page, page.get_by_role("link", name="Download zip", exact=True), tmp_path / "zip")
    with zipfile.ZipFile(archive) as files:
        assert sorted(files.namelist()) == EMOTE_FILES
        for name in files.namelist():
            file_format, durations = animation_of(files.read(name))
            size = int(name.rsplit("-", 1)[1].split("x")[0])
            assert Image.open(io.BytesIO(files.read(name))).size == (size, size)
            assert file_format == "GIF"
            assert len(durations) > 1, f"{name} does not move"


def test_a_free_creator_is_offered_the_upgrade_and_posting_anyway_makes_nothing(
    page: Page, free_still: Asset, tmp_path: Path
):
    page.set_viewport_size(SCREEN)
    sign_in(page, free_still.owner.email)
    page.goto(f"/library/assets/{free_still.pk}/")
    panel = page.locator("section#animate")
    expect(panel.get_by_role("heading", name="Make it move")).to_be_visible()
    expect(panel).to_contain_text("aren't part of the Free plan")
    expect(panel.get_by_role("link", name="See plans")).to_have_attribute("href", "/pricing/")
    expect(panel.get_by_role("button", name="Animate")).to_have_count(0)
    panel.screenshot(path=tmp_path / "make-it-move-free.png")

    # The form the panel did not offer, posted anyway (with the page's own CSRF token).
    page.evaluate(
        """([action, token]) => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = action;
          const fields = { csrfmiddlewaretoken: token, spec_key: "twitch.animated_emote",
                           animation: "bounce", speed: "normal", loops: "0" };
          for (const [name, value] of Object.entries(fields)) {
            const input = document.createElement("input");
            input.type = "hidden"; input.name = name; input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        }""",
        [
            f"/create/assets/{free_still.pk}/animate/",
            page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
        ],
    )
    expect(page).to_have_url(re.compile(rf"/library/assets/{free_still.pk}/#animate$"))
    expect(page.locator("main")).to_contain_text("aren't part of the Free plan")
    assert not Asset.objects.filter(owner=free_still.owner, spec_key="twitch.animated_emote").exists()
    assert GenerationJob.objects.filter(user=free_still.owner).count() == 1


def test_create_offers_motion_for_an_animated_emote(page: Page, pro_creator: User, tmp_path: Path):
    page.set_viewport_size(SCREEN)
    sign_in(page, pro_creator.email)
    page.goto("/create/")
    motion = page.locator("fieldset[data-motion-fields]")
    expect(motion).to_be_hidden()  # a still type is chosen first
    page.get_by_label("Platform and asset type").select_option(label="Twitch · Emote (animated)")
    expect(motion).to_be_visible()
    expect(motion.get_by_label("Animation")).to_be_visible()
    motion.evaluate("fieldset => fieldset.scrollIntoView({ block: 'center' })")
    page.screenshot(path=tmp_path / "create-animated-emote.png")
    violations = axe_violations(page)
    assert not violations, f"axe found on Create with an animated emote chosen:\n{describe(violations)}"


def test_an_alert_plays_its_webm_over_the_stream_scene(page: Page, studio_alert: Asset, tmp_path: Path):
    page.set_viewport_size(SCREEN)
    sign_in(page, studio_alert.owner.email)
    page.goto(f"/library/assets/{studio_alert.pk}/")
    scene = page.locator("[data-stream-scene]")
    video = scene.locator("video[data-motion-video]")
    expect(video).to_have_count(1)
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-stream-scene] video');"
        " return v.readyState >= 2 && !v.paused && v.currentTime > 0; }"
    )
    started = video.evaluate("v => v.currentTime")
    page.wait_for_function(
        f"() => document.querySelector('[data-stream-scene] video').currentTime > {started}"
    )
    scene.evaluate("scene => scene.scrollIntoView({ block: 'center' })")
    page.screenshot(path=tmp_path / "alert-over-scene.png")

    page.locator("[data-motion-scope]").get_by_role("button", name="Pause").click()
    expect(video).to_have_js_property("paused", True)
    held = video.evaluate("v => v.currentTime")
    page.wait_for_timeout(300)
    assert video.evaluate("v => v.currentTime") == held
