"""The local provider: deterministic, on-palette, prompt-driven art without any service."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

from generation.engine.artwork import work_size
from generation.engine.colors import hex_to_rgb
from generation.engine.providers.direction import direct, pick_subjects
from generation.engine.providers.local import LocalArtProvider
from generation.engine.providers.marks import MARKS
from generation.engine.types import ArtRequest, BrandSnapshot, Brief, Palette
from platforms.loader import load_registry

REGISTRY = load_registry()
PALETTE = Palette(
    primary="#E11D48", secondary="#F59E0B", accent="#10B981", background="#111827", text="#FFFFFF"
)
BRAND = BrandSnapshot(palette=PALETTE, channel_name="Ember")


def request(
    key: str = "twitch.emote", prompt: str = "a heart emote", *, seed: int = 3, brand: BrandSnapshot = BRAND
) -> ArtRequest:
    spec = REGISTRY.get(key)
    width, height = work_size(spec)
    return ArtRequest(
        spec=spec, brief=Brief(prompt=prompt), brand=brand, seed=seed, width=width, height=height
    )


def art(req: ArtRequest) -> Image.Image:
    result = LocalArtProvider().generate(req)
    return Image.open(io.BytesIO(result.image_png))


def test_generate_returns_a_png_of_the_requested_size_with_its_name():
    result = LocalArtProvider().generate(request("youtube.thumbnail", "ranked grind"))
    assert result.provider == "local"
    assert result.model == "aurastream-local-1"
    image = Image.open(io.BytesIO(result.image_png))
    assert image.format == "PNG"
    assert image.size == (1280, 720)


def test_same_request_same_bytes_whatever_the_global_random_state():
    req = request("stream.starting_soon", "cozy rainy night")
    random.seed(1)
    np.random.seed(1)
    first = LocalArtProvider().generate(req).image_png
    random.seed(999)
    np.random.seed(999)
    second = LocalArtProvider().generate(req).image_png
    assert first == second


def test_another_seed_gives_different_art():
    assert art(request(seed=1)).tobytes() != art(request(seed=2)).tobytes()
    assert (
        art(request("youtube.thumbnail", "hype", seed=1)).tobytes()
        != art(request("youtube.thumbnail", "hype", seed=2)).tobytes()
    )


def test_paint_matches_generate():
    req = request("twitch.panel", "about me star")
    provider = LocalArtProvider()
    assert provider.paint(req).tobytes() == Image.open(io.BytesIO(provider.generate(req).image_png)).tobytes()


def test_chat_art_is_transparent_and_uses_the_palette():
    image = art(request("twitch.emote", "a heart emote")).convert("RGBA")
    pixels = np.asarray(image)
    alpha = pixels[..., 3]
    assert alpha[0, 0] == 0
    assert alpha[-1, -1] == 0
    visible = pixels[..., :3][alpha > 200].astype(int)
    references = np.array(
        [
            hex_to_rgb(c)
            for c in (PALETTE.primary, PALETTE.secondary, PALETTE.accent, PALETTE.background, PALETTE.text)
        ]
    )
    distance = np.sqrt(((visible[:, None, :] - references[None]) ** 2).sum(-1)).min(axis=1)
    assert (distance < 60).mean() > 0.85  # nearly every pixel is a brand colour (or its outline)

    # Flat fills are the exact brand hex: the primary is one of the three commonest colours.
    colours, counts = np.unique(visible, axis=0, return_counts=True)
    top = {tuple(int(v) for v in colours[i]) for i in np.argsort(-counts)[:3]}
    assert hex_to_rgb(PALETTE.primary) in top


def test_backgrounds_follow_the_brand_palette():
    warm = BrandSnapshot(
        palette=Palette(primary="#DC2626", secondary="#F97316", accent="#FACC15", background="#2A0A0A")
    )
    cool = BrandSnapshot(
        palette=Palette(primary="#2563EB", secondary="#06B6D4", accent="#A5F3FC", background="#020B2A")
    )
    warm_mean = (
        np.asarray(art(request("stream.brb", "coffee", brand=warm)).convert("RGB")).reshape(-1, 3).mean(0)
    )
    cool_mean = (
        np.asarray(art(request("stream.brb", "coffee", brand=cool)).convert("RGB")).reshape(-1, 3).mean(0)
    )
    assert warm_mean[0] > warm_mean[2] + 20
    assert cool_mean[2] > cool_mean[0] + 20


@pytest.mark.parametrize(
    ("prompt", "subjects"),
    [
        ("a cat wearing a crown", ["cat", "crown"]),
        ("FIRE emote", ["fire"]),
        ('make a "GG" emote', ["trophy"]),
        ("cozy vibes", ["coffee"]),  # a mood word picks a subject when no noun does
        ("ranked grind", ["diamond", "fire"]),
        ("pog", ["wow"]),
    ],
)
def test_prompt_words_pick_subjects(prompt, subjects):
    assert pick_subjects(prompt) == subjects


def test_moods_weather_and_avoid():
    assert direct(request(prompt="cozy lofi stream")).mood == "cozy"
    assert direct(request(prompt="neon cyber city")).mark_style == "neon"
    assert direct(request(prompt="retro pixel arcade")).mark_style == "pixel"
    assert direct(request(prompt="rainy night")).weather == "rain"
    avoiding = BrandSnapshot(palette=PALETTE, avoid=("skull",))
    assert "skull" not in direct(request(prompt="skull and fire", brand=avoiding)).subjects


def test_every_mark_draws():
    from generation.engine.providers.direction import mark_colors
    from generation.engine.providers.mark_render import render_mark

    colors = mark_colors(PALETTE, for_chat=True)
    for name in MARKS:
        image = render_mark(name, 64, colors, random.Random(0))
        coverage = (np.asarray(image.getchannel("A")) > 128).mean()
        assert 0.1 < coverage < 0.95, name


def test_different_keywords_make_different_marks():
    silhouettes = {}
    for prompt in ("fire", "cat", "trophy", "ghost", "rocket"):
        image = art(request(prompt=prompt, seed=5)).convert("RGBA")
        silhouettes[prompt] = np.asarray(image.getchannel("A")) > 128
    names = list(silhouettes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            overlap = (silhouettes[a] & silhouettes[b]).sum() / (silhouettes[a] | silhouettes[b]).sum()
            assert overlap < 0.85, (a, b, overlap)


def test_overlay_art_leaves_the_holes_transparent():
    image = art(request("stream.overlay", "gaming overlay")).convert("RGBA")
    alpha = np.asarray(image.getchannel("A"))
    for hole in REGISTRY.get("stream.overlay").transparent_areas:
        assert alpha[hole.y : hole.y + hole.height, hole.x : hole.x + hole.width].max() == 0
    assert alpha[1060, 960] == 255  # the frame art is opaque
