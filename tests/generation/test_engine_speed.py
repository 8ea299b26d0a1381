"""The engine's speed work keeps its promises: caches never change a file, the local provider's
chat subjects are placed as drawn, and the faster maths gives the same answers as the plain one."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from generation.engine import layout, memo
from generation.engine.artwork import contain, trim, work_size
from generation.engine.colors import contrast_array, luminance
from generation.engine.compose import Composer
from generation.engine.legibility import _median_rows, visible_shares
from generation.engine.postprocess import make_renditions, sharpen_small
from generation.engine.providers.direction import mark_colors
from generation.engine.providers.local import LocalArtProvider
from generation.engine.providers.mark_render import render_mark
from generation.engine.providers.marks import MARKS
from generation.engine.render import render_asset
from generation.engine.text import layout_text
from generation.engine.types import ArtRequest, BrandSnapshot, Brief, Palette
from platforms.loader import load_registry

REGISTRY = load_registry()
BRAND = BrandSnapshot(channel_name="NovaPlays", tagline="Cozy chaos", schedule="Mon 8 PM")
CHAT_KEYS = [spec.key for spec in REGISTRY.all() if spec.family in ("emote", "badge", "icon")]


def forget_everything() -> None:
    memo.clear_all()
    layout_text.cache_clear()
    mark_colors.cache_clear()


def files(key: str, brief: Brief, seed: int = 5) -> list[bytes]:
    result = render_asset(
        spec=REGISTRY.get(key), brief=brief, brand=BRAND, seed=seed, provider=LocalArtProvider()
    )
    return [f.data for f in result.files]


@pytest.mark.parametrize(
    ("key", "brief"),
    [
        ("twitch.emote", Brief(prompt='a hype "GG" trophy emote')),
        ("twitch.sub_badge", Brief(prompt="a neon star badge", tier=12)),
        ("discord.sticker", Brief(prompt="cozy cat and coffee", text="comfy")),
        ("twitch.panel", Brief(prompt="star", text="ABOUT ME")),
    ],
)
def test_cached_drawings_never_change_a_file(key, brief):
    forget_everything()
    cold = files(key, brief)
    warm = files(key, brief)
    # Other recipes in between fill the caches with other drawings.
    files("twitch.emote", Brief(prompt="fire and crown", text="LIT"), seed=9)
    files("twitch.sub_badge", Brief(prompt="a star badge", tier=1), seed=9)
    again = files(key, brief)
    assert cold == warm == again


def test_marks_are_pure_shared_and_left_untouched_by_renders():
    colors = mark_colors(Palette(), for_chat=True)
    for name in MARKS:
        rng = random.Random(3)
        state = rng.getstate()
        image = render_mark(name, 96, colors, rng, rotation=4.0)
        assert rng.getstate() == state, f"{name} drew on the rng: it could not be cached"
        assert render_mark(name, 96, colors, random.Random(99), rotation=4.0) is image
    shared = render_mark("trophy", 202, mark_colors(BRAND.palette, for_chat=True), random.Random(0))
    before = shared.tobytes()
    files("twitch.emote", Brief(prompt="trophy"))
    assert shared.tobytes() == before


def test_pixel_cache_is_bounded_by_entries_and_pixels():
    cache: memo.PixelCache[Image.Image] = memo.PixelCache("test", max_entries=3, max_pixels=10_000)

    def area(image: Image.Image) -> int:
        return image.width * image.height

    for size in (10, 20, 30, 40):
        cache.get(size, lambda size=size: Image.new("L", (size, size)), area)
    assert len(cache) == 3  # the oldest went
    assert cache.get(40, lambda: Image.new("L", (1, 1)), area).size == (40, 40)  # a hit
    cache.get(90, lambda: Image.new("L", (90, 90)), area)  # 8,100 px: the oldest make room
    assert len(cache) == 2
    assert cache.get(20, lambda: Image.new("L", (1, 1)), area).size == (1, 1)  # gone: made anew
    huge = cache.get(200, lambda: Image.new("L", (200, 200)), area)  # over the budget: not kept
    assert huge.size == (200, 200)
    assert cache.get(200, lambda: Image.new("L", (2, 2)), area).size == (2, 2)
    memo.clear_all()
    assert len(cache) == 0


def test_art_that_nearly_fills_its_box_is_placed_as_drawn():
    art = Image.new("RGBA", (98, 60), (200, 10, 10, 255))
    assert contain(art, 100, 80) is art  # 2 px short of the width: not resampled
    assert contain(art, 120, 90).size == (120, 73)  # well short: scaled up to fit
    assert contain(art, 90, 60).size == (90, 55)  # too big: scaled down


@pytest.mark.parametrize("key", CHAT_KEYS)
@pytest.mark.parametrize("prompt", ['a hype "GG" trophy emote', "neon cat", "retro pixel fire and crown"])
def test_local_chat_subjects_are_drawn_to_fill_the_composers_box(key, prompt):
    spec = REGISTRY.get(key)
    brief = Brief(prompt=prompt, tier=6 if spec.family == "badge" else None)
    width, height = work_size(spec)
    request = ArtRequest(spec=spec, brief=brief, brand=BRAND, seed=2, width=width, height=height)
    art = LocalArtProvider().paint(request)
    assert art.size == (width, height)
    subject = trim(art)
    box_w, box_h = layout.chat_subject_size(spec, layout.text_plan(spec, brief, BRAND), width)
    assert subject.width <= box_w
    assert subject.height <= box_h
    assert box_w - subject.width <= layout.FIT_SLACK or box_h - subject.height <= layout.FIT_SLACK
    assert contain(subject, box_w, box_h) is subject


def reference_visible_share(image: Image.Image, background: tuple[int, int, int]) -> float:
    """The plain formula the fast one replaced."""
    pixels = np.asarray(image.convert("RGBA")).astype(np.float32)
    alpha = pixels[..., 3] / 255.0
    weight = float(alpha.sum())
    if weight < 1e-3:
        return 0.0
    comp = pixels[..., :3] * alpha[..., None] + np.asarray(background, dtype=np.float32) * (
        1 - alpha[..., None]
    )
    c = np.clip(comp, 0, 255).astype(np.uint8).astype(np.float32) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    lum = linear @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    visible = contrast_array(lum, luminance(background)) >= 2.0
    return min(1.0, float((alpha * visible).sum()) / weight / 0.35)


def test_fast_visible_share_matches_the_plain_formula():
    rng = np.random.default_rng(4)
    backgrounds = ((255, 255, 255), (0x18, 0x18, 0x1B), (120, 40, 200))
    for size in (1, 7, 28, 150):
        pixels = rng.integers(0, 256, (size, size, 4), dtype=np.uint8)
        pixels[..., 3] = np.where(rng.random((size, size)) < 0.3, 0, pixels[..., 3])
        image = Image.fromarray(pixels)
        fast = visible_shares(image, backgrounds)
        for background, value in zip(backgrounds, fast, strict=True):
            assert value == pytest.approx(reference_visible_share(image, background), abs=1e-5)
    assert visible_shares(Image.new("RGBA", (8, 8)), backgrounds) == [0.0, 0.0, 0.0]


def test_median_rows_is_numpys_median():
    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 10, 11, 999, 1000):
        floats = (rng.random((6, n)) * 255).astype(np.float32)
        ints = rng.integers(0, 256, (3, n), dtype=np.uint8)
        for rows in (floats, ints):
            assert _median_rows(rows) == tuple(int(v) for v in np.median(rows, axis=1))


def reference_sharpen(image: Image.Image) -> np.ndarray:
    """The float formula the fast sharpening replaced (premultiplied colour, unsharp, divide)."""
    unsharp = ImageFilter.UnsharpMask(radius=0.6, percent=70, threshold=1)
    pixels = np.asarray(image).astype(np.float32)
    alpha = pixels[..., 3:4] / 255.0
    premultiplied = Image.fromarray(np.clip(np.rint(pixels[..., :3] * alpha), 0, 255).astype(np.uint8))
    colour = np.asarray(premultiplied.filter(unsharp)).astype(np.float32)
    sharp_alpha = np.asarray(image.getchannel("A").filter(unsharp)).astype(np.float32)[..., None] / 255
    rgb = np.where(sharp_alpha > 0, np.clip(colour / np.maximum(sharp_alpha, 1e-3), 0, 255), 0)
    return np.rint(np.concatenate([rgb, sharp_alpha * 255], axis=-1)).astype(int)


def test_sharpening_small_files_matches_the_plain_formula_and_keeps_edges_clean():
    image = Image.new("RGBA", (112, 112), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, 99, 99), fill=(230, 40, 90, 255), outline=(20, 10, 30, 255), width=6)
    draw.rectangle((40, 50, 70, 60), fill=(255, 240, 120, 160))
    for size in (56, 28, 18):
        small = image.resize((size, size), Image.Resampling.LANCZOS)
        sharp = np.asarray(sharpen_small(small)).astype(int)
        expected = reference_sharpen(small)
        assert (sharp[..., 3] == expected[..., 3]).all()  # alpha: exactly the same
        shown = sharp[..., :3] * sharp[..., 3:] / 255
        assert np.abs(shown - expected[..., :3] * expected[..., 3:] / 255).max() <= 1.0
        # Fully transparent pixels carry no colour (no halo, nothing for the encoder to store).
        assert (sharp[sharp[..., 3] == 0][:, :3] == 0).all()


def test_renditions_hand_their_unsharpened_pixels_to_the_legibility_check():
    spec = REGISTRY.get("twitch.emote")
    master = Image.new("RGBA", work_size(spec), (0, 0, 0, 0))
    ImageDraw.Draw(master).rectangle((40, 40, 180, 180), fill=(250, 200, 0, 255))
    previews: dict[tuple[int, int], Image.Image] = {}
    images = make_renditions(master, spec, (0, 0, 0), previews)
    assert [image.size for image in images] == [(112, 112), (56, 56), (28, 28)]
    assert set(previews) == {(112, 112), (56, 56), (28, 28)}
    assert previews[(112, 112)].convert("RGBA").tobytes() == images[0].tobytes()  # not sharpened at 112
    assert previews[(28, 28)].convert("RGBA").tobytes() != images[2].tobytes()  # sharpened at 28


def test_checks_report_plain_python_values():
    result = render_asset(
        spec=REGISTRY.get("twitch.emote"),
        brief=Brief(prompt='"GG" trophy'),
        brand=BRAND,
        seed=1,
        provider=LocalArtProvider(),
    )
    for check in result.checks:
        assert type(check.ok) is bool, check
        assert check.value is None or type(check.value) in (int, float), check


def test_the_composer_reuses_a_badge_frame_without_changing_it():
    spec = REGISTRY.get("twitch.sub_badge")
    brief = Brief(prompt="a star badge", tier=24)
    width, height = work_size(spec)
    request = ArtRequest(spec=spec, brief=brief, brand=BRAND, seed=1, width=width, height=height)
    art = LocalArtProvider().paint(request)
    first = Composer(spec=spec, brief=brief, brand=BRAND, art=art).compose().image.tobytes()
    second = Composer(spec=spec, brief=brief, brand=BRAND, art=art).compose().image.tobytes()
    assert first == second
