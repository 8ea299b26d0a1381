"""Subject art from the vocabulary, as a creator sees it in the files."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from generation.engine import art
from generation.engine.providers.local import LocalArtProvider
from generation.engine.providers.subjects import SubjectPlan, draw_subject
from generation.engine.reading import Accessory
from generation.engine.render import render_asset
from generation.engine.types import BrandSnapshot, Brief
from platforms.loader import load_registry

REGISTRY = load_registry()
BRAND = BrandSnapshot()


def _opaque(image: Image.Image) -> np.ndarray:
    pixels = np.asarray(image.convert("RGBA"))
    return pixels[pixels[..., 3] > 200][:, :3]


def test_a_requested_colour_covers_the_subject_and_keeps_its_shading():
    plain = art.raster("cat-face", 256)
    purple = art.raster("cat-face", 256, "#8E24AA")
    assert art.coverage(plain, "#8E24AA") < 0.01
    assert art.coverage(purple, "#8E24AA") > 0.5
    # Shading survives: several distinct purple tones, not one flat fill.
    tones = {tuple(p) for p in _opaque(purple) if p[2] > p[1] + 40}
    assert len(tones) > 3


def test_a_crown_sits_on_the_cat():
    crowned = draw_subject(
        SubjectPlan("cat-face", (Accessory("crown", "head"),), colour="#8E24AA", sticker=False), 240
    )
    cat_top = _purple_top(crowned)
    # The crown's gold is drawn over the top band of the cat: it overlaps the cat's bounding box.
    pixels = np.asarray(crowned)
    gold = (pixels[..., 0] > 200) & (pixels[..., 1] > 140) & (pixels[..., 2] < 90) & (pixels[..., 3] > 200)
    rows = np.flatnonzero(gold.any(axis=1))
    assert len(rows)
    assert rows[0] < cat_top < rows[-1]


def _purple_top(image: Image.Image) -> int:
    """The top row of the (purple) cat."""
    pixels = np.asarray(image).astype(int)
    purple = (
        (pixels[..., 2] > pixels[..., 1] + 60)
        & (pixels[..., 0] > pixels[..., 1] + 40)
        & (pixels[..., 3] > 200)
    )
    return int(np.flatnonzero(purple.any(axis=1))[0])


def test_an_emote_pack_shows_the_crowned_purple_cat_in_every_emote():
    spec = REGISTRY.get("twitch.emote")
    base = "a purple cat mascot with a crown"
    for idea, text in (("GG", "GG"), ("HYPE", "HYPE"), ("love heart", "")):
        result = render_asset(
            spec=spec,
            brief=Brief(prompt=idea, text=text, base=base),
            brand=BRAND,
            seed=7,
            provider=LocalArtProvider(),
        )
        assert result.ok
        master = Image.open(io.BytesIO(result.files[0].data))
        assert art.coverage(master, "#8E24AA", tolerance=70) > 0.12, idea
        pixels = np.asarray(master.convert("RGBA"))
        gold = (
            (pixels[..., 0] > 200) & (pixels[..., 1] > 140) & (pixels[..., 2] < 90) & (pixels[..., 3] > 200)
        )
        assert gold.sum() > 60, idea  # the crown


def test_the_coach_example_thumbnail_is_teal_and_purple():
    spec = REGISTRY.get("youtube.thumbnail")
    prompt = "YouTube thumbnail of me winning a Valorant clutch, neon purple and teal"
    result = render_asset(
        spec=spec,
        brief=Brief(prompt=prompt, text="CLUTCH KING"),
        brand=BRAND,
        seed=3,
        provider=LocalArtProvider(),
    )
    image = Image.open(io.BytesIO(result.files[0].data))
    assert art.coverage(image, "#8E24AA") + art.coverage(image, "#008080") > 0.2
