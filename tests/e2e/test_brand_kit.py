"""A creator makes a brand kit in Chromium, and their next thumbnail is made with it.

They pick five colours and a heading font, save, upload a logo, and watch the live preview
redraw as they change a colour (without the page reloading). Then a thumbnail is made on a real
worker, and the downloaded PNG is sampled: the kit's five colours as exact pixel values, the
logo's colours where the logo was placed, and the headline set in the chosen font.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Locator, Page, expect

from brandkits.models import BrandKit
from generation.brand import brand_from_json
from generation.engine.providers.local import LocalArtProvider
from generation.engine.render import render_asset
from generation.engine.types import Brief
from generation.models import GenerationJob
from platforms import spec_get
from tests.e2e.browser import download, sign_in

pytestmark = pytest.mark.worker

JOB_TIMEOUT = 30_000  # worker start-up plus one thumbnail, with room for a busy machine

KIT_NAME = "Neon Arcade"
# Distinctive colours, none of them a default, a neighbour of another or of the logo's.
COLOURS = {
    "primary": "#FF2E88",
    "secondary": "#1DE9B6",
    "accent": "#FFD400",
    "background": "#101820",
    "text": "#FFFFFF",
}
LIVE_BACKGROUND = "#2A0845"  # the background picked while watching the preview, then saved
HEADING_FONT = ("fjalla-one", "Fjalla One")  # (engine key, name in the select)
OTHER_HEADING_FONT = "red-hat-display"  # the default heading font, to tell the glyphs apart

MAGENTA = (255, 0, 255)  # the logo's disc
CYAN = (0, 255, 255)  # the square inside it
LOGO_TOLERANCE = 6  # per channel: the logo is scaled (with resampling) to fit its box

HEADLINE = "BOSS RUSH"
# A neon arcade: the local engine draws subject marks that carry the secondary colour. The
# thumbnail recipe itself paints the secondary only mixed with the primary, so with other
# prompts (a "boss fight recap") no pixel of the file is exactly the secondary colour.
PROMPT = f'Neon arcade at night, headline "{HEADLINE}"'


def rgb(hex_code: str) -> tuple[int, int, int]:
    return (int(hex_code[1:3], 16), int(hex_code[3:5], 16), int(hex_code[5:7], 16))


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB")).astype(np.int16)


def exact(image: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    return (image == colour).all(axis=-1)


def near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int) -> np.ndarray:
    return np.abs(image - colour).max(axis=-1) <= tolerance


@pytest.fixture
def logo_file(tmp_path: Path) -> Path:
    """A magenta disc with a cyan square in it, on a transparent background."""
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=(*MAGENTA, 255))
    draw.rectangle((130, 130, 270, 270), fill=(*CYAN, 255))
    path = tmp_path / "nova-logo.png"
    image.save(path)
    return path


def colour_input(page: Page, role: str) -> Locator:
    return page.locator(f"#kit-form input[type=color][name={role}_color]")


def preview_images(page: Page) -> Locator:
    return page.locator("#kit-preview img")


def preview_sources(page: Page) -> list[str]:
    return preview_images(page).evaluate_all("imgs => imgs.map(img => img.src)")


def preview_thumbnail(page: Page) -> np.ndarray:
    """The live preview's thumbnail sample, decoded from its data: URI."""
    src = page.get_by_role("img", name="Thumbnail drawn with this kit").get_attribute("src")
    assert src is not None
    assert src.startswith("data:image/"), src[:40]
    return pixels(base64.b64decode(src.split(",", 1)[1]))


def test_creator_makes_a_brand_kit_and_the_next_thumbnail_uses_it(
    page: Page, creator, worker, logo_file, tmp_path
):
    # The free plan: one brand kit and three generations a month, plenty here.
    sign_in(page, creator.email)

    # ---- Brand kits → New brand kit: a name, five colours, a heading font ----
    page.get_by_role("link", name="Brand kits", exact=True).click()
    expect(page).to_have_url(re.compile(r"/brand/$"))
    page.get_by_role("link", name="New brand kit").click()
    expect(page).to_have_url(re.compile(r"/brand/new/$"))
    page.get_by_label("Name", exact=True).fill(KIT_NAME)
    for role, hex_code in COLOURS.items():
        # fill() on a colour input sets it and fires input and change, as the picker does.
        colour_input(page, role).fill(hex_code.lower())
        expect(page.locator(f"[data-hex-of=id_{role}_color]")).to_have_text(hex_code)
    page.get_by_label("Heading font").select_option(label=HEADING_FONT[1])
    page.get_by_role("button", name="Create kit").click()

    expect(page).to_have_url(re.compile(r"/brand/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KIT_NAME)
    kit = BrandKit.objects.get(owner=creator)
    assert kit.name == KIT_NAME
    assert kit.palette == COLOURS
    assert kit.heading_font == HEADING_FONT[0]
    assert kit.is_default  # a creator's first kit

    # ---- Upload the primary logo ----
    page.locator("#logo-file-primary").set_input_files(logo_file)
    page.get_by_role("button", name="Upload primary logo").click()
    expect(page).to_have_url(re.compile(rf"/brand/{kit.pk}/$"))
    expect(page.get_by_role("img", name=f"Primary logo of {KIT_NAME}")).to_be_visible()
    assert kit.logos.filter(role="primary").exists()

    # ---- The live preview: drawn with the saved kit and logo, then redrawn as they edit ----
    expect(preview_images(page)).to_have_count(3)  # emote, thumbnail, banner
    # The preview is a downscaled JPEG: colours within a small tolerance, not exact.
    before = preview_thumbnail(page)
    assert near(before, rgb(COLOURS["background"]), 8).sum() > 1000
    assert near(before, MAGENTA, 24).sum() > 200  # the logo is in the preview too
    assert near(before, rgb(LIVE_BACKGROUND), 8).sum() < 100
    sources = preview_sources(page)
    edit_url = page.url
    page.evaluate("window.__samePage = 'kit-editor'")  # gone if the page reloads
    background = colour_input(page, "background")
    background.evaluate(
        "input => input.addEventListener('change', () => { window.__changed = input.value; })"
    )

    background.fill(LIVE_BACKGROUND.lower())
    assert page.evaluate("window.__changed") == LIVE_BACKGROUND.lower()
    expect(page.locator("[data-hex-of=id_background_color]")).to_have_text(LIVE_BACKGROUND)
    page.wait_for_function(
        """before => {
          const now = [...document.querySelectorAll("#kit-preview img")].map(img => img.src);
          return now.length === before.length && now.every((src, i) => src !== before[i]);
        }""",
        arg=sources,
    )
    assert page.url == edit_url
    assert page.evaluate("window.__samePage") == "kit-editor"
    after = preview_thumbnail(page)
    assert near(after, rgb(LIVE_BACKGROUND), 8).sum() > 1000
    assert (
        near(after, rgb(COLOURS["background"]), 8).sum()
        < near(before, rgb(COLOURS["background"]), 8).sum() / 10
    )
    kit.refresh_from_db()
    assert kit.background_color == COLOURS["background"]  # nothing saved yet

    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"/brand/{kit.pk}/$"))
    expect(page.get_by_text("Brand kit saved.")).to_be_visible()
    saved = {**COLOURS, "background": LIVE_BACKGROUND}
    kit.refresh_from_db()
    assert kit.palette == saved

    # ---- The next thumbnail, made on a real worker ----
    page.get_by_role("link", name="Create", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/$"))
    page.get_by_label("Platform and asset type").select_option(label="YouTube · Thumbnail")
    page.get_by_label("Brand kit", exact=True).select_option(label=KIT_NAME)
    page.get_by_label("Describe it").fill(PROMPT)
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page).to_have_url(re.compile(r"/create/jobs/[0-9a-f-]{36}/$"))
    status = page.locator("#job-status")
    expect(status.get_by_role("heading", level=2, name="Done", exact=True)).to_be_visible(timeout=JOB_TIMEOUT)
    results = page.get_by_role("region", name="Your 1 asset")
    file = download(page, results.get_by_role("link", name=re.compile(r"^Download 1280×720 ")), tmp_path)
    assert file.name.startswith("youtube-thumbnail-")  # then the asset's words, then its size
    assert file.name.endswith(("-1280x720.png", "-1280x720.jpg"))
    data = file.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1280, 720))
    thumbnail = pixels(data)

    # The kit's five colours, each as an exact pixel value somewhere in the file.
    for role, hex_code in saved.items():
        count = int(exact(thumbnail, rgb(hex_code)).sum())
        assert count >= 50, f"{role} {hex_code}: {count} exact pixels"
    # The background picked in the preview replaced the first one.
    assert exact(thumbnail, rgb(LIVE_BACKGROUND)).sum() > 10_000
    assert exact(thumbnail, rgb(COLOURS["background"])).sum() == 0

    # The job froze the saved kit: its colours, the chosen heading font and the logo.
    job = GenerationJob.objects.get(user=creator)
    assert job.brand_kit_id == kit.pk
    snapshot = job.brand_snapshot
    assert snapshot["palette"] == {**saved, "extras": []}
    assert snapshot["heading_font"] == HEADING_FONT[0]
    assert snapshot["logo_png"]

    # The file is, pixel for pixel, the engine's render of that snapshot and seed (the worker's
    # provider is the local one behind a 0 s delay), so the same render, made here, tells where
    # the logo and the headline were placed, and a render with another font can be compared.
    brand = brand_from_json(snapshot)
    item = job.items[0]
    assert item["prompt"] == PROMPT
    spec = spec_get("youtube.thumbnail")
    brief = Brief(prompt=item["prompt"], text=item["text"], subtext=item["subtext"])

    def render(heading_font: str) -> tuple[np.ndarray, dict[str, tuple[int, int, int, int]]]:
        result = render_asset(
            spec=spec,
            brief=brief,
            brand=dataclasses.replace(brand, heading_font=heading_font),
            seed=item["seed"],
            provider=LocalArtProvider(),
        )
        boxes = {p.label: (p.rect.x, p.rect.y, p.rect.width, p.rect.height) for p in result.placements}
        return pixels(result.files[0].data), boxes

    expected, boxes = render(HEADING_FONT[0])
    assert np.array_equal(thumbnail, expected)

    # The logo: its magenta and cyan, where the engine placed it (and nowhere else).
    assert "logo" in boxes, boxes
    x, y, w, h = boxes["logo"]
    in_logo_box = np.zeros(thumbnail.shape[:2], dtype=bool)
    in_logo_box[y : y + h, x : x + w] = True
    for colour, least in ((MAGENTA, 1000), (CYAN, 200)):
        found = near(thumbnail, colour, LOGO_TOLERANCE)
        assert found.sum() >= least, (colour, int(found.sum()))
        assert not (found & ~in_logo_box).any(), colour

    # The font: the headline set in another heading font gives other glyphs in the same file.
    assert "headline" in boxes, boxes
    other, other_boxes = render(OTHER_HEADING_FONT)
    x, y, w, h = boxes["headline"]
    differ = (thumbnail[y : y + h, x : x + w] != other[y : y + h, x : x + w]).any(axis=-1)
    assert differ.mean() > 0.2, differ.mean()
    assert other_boxes["headline"] != boxes["headline"]  # Fjalla One's narrower, taller lines
