"""Compositions that fit the ask: thumbnails, banners, scenes, covers and panels take the layout
the words ask for (else one the seed picks), their backgrounds stay in the kit's or the named
colours, style words change them, and different prompts give visibly different pictures."""

from __future__ import annotations

import colorsys
import io
import itertools

import numpy as np
import pytest
from PIL import Image, ImageFilter

from generation.engine import geometry as geo
from generation.engine import layout
from generation.engine.layout import understood
from generation.engine.providers.local import LocalArtProvider
from generation.engine.reading import LAYOUTS
from generation.engine.render import render_asset
from generation.engine.types import BrandSnapshot, Brief, Palette
from platforms.loader import load_registry

REGISTRY = load_registry()
PROVIDER = LocalArtProvider()
BRAND = BrandSnapshot(
    name="Kit",
    palette=Palette(
        primary="#7C3AED", secondary="#DB2777", accent="#22D3EE", background="#0F0B1E", text="#FFFFFF"
    ),
)

# Twenty thumbnails a creator might ask for, each with its headline.
TWENTY = [
    ("a purple cat with a crown", "KING"),
    ("my shocked face reacting to a ghost", "NO WAY"),
    ("cat vs dog", "WHO WINS?"),
    ("top 5 settings with a controller", "BEST SETTINGS"),
    ("noob to pro with a sword", "DAY 1 VS DAY 100"),
    ("episode title card", "EPISODE 12"),
    ("teal dragon breathing fire", "DRAGON RUN"),
    ("cozy coffee stream with a sleepy bear", "COZY NIGHT"),
    ("neon racing car at night", "NEON RACE"),
    ("pastel bunny with flowers", "SPRING STREAM"),
    ("grunge skull with headphones", "SKULL MODE"),
    ("minimal rocket launch", "LIFTOFF"),
    ("comic book explosion with a robot", "BOOM"),
    ("pixel art space invader alien", "INVADED"),
    ("red trophy for the tournament win", "WE WON"),
    ("orange pizza party", "PIZZA PARTY"),
    ("green frog rage quit", "RAGE QUIT"),
    ("blue shark speedrun", "SPEEDRUN"),
    ("pink unicorn giveaway", "GIVEAWAY"),
    ("yellow lightning bolt hype", "HYPE TRAIN"),
]


def render(key: str, prompt: str, *, text: str = "", seed: int = 7, brand: BrandSnapshot = BRAND, **brief):
    result = render_asset(
        spec=REGISTRY.get(key),
        brief=Brief(prompt=prompt, text=text, **brief),
        brand=brand,
        seed=seed,
        provider=PROVIDER,
    )
    return result


def picture(result) -> Image.Image:
    return Image.open(io.BytesIO(result.files[0].data)).convert("RGB")


def colour_dhash(image: Image.Image) -> np.ndarray:
    """A difference hash per channel (Y, Cb, Cr) of a 9×8 thumbnail: 192 bits.

    A grayscale dHash (64 bits) sees only where light and dark are, so two thumbnails with the
    same composition and a different subject and colours may hash alike; the colour channels
    add what a viewer notices first. Near-duplicates differ in up to ~10 of 64 bits per
    channel, so a distance above 30 of 192 means "visibly different"."""
    small = np.asarray(image.convert("YCbCr").resize((9, 8), Image.Resampling.LANCZOS), dtype=int)
    return (small[:, 1:, :] > small[:, :-1, :]).flatten()


def test_twenty_prompts_give_twenty_visibly_different_thumbnails():
    # Each job gets its own seed, as it does in the product.
    hashes = [
        colour_dhash(picture(render("youtube.thumbnail", prompt, text=text, seed=index + 1)))
        for index, (prompt, text) in enumerate(TWENTY)
    ]
    distances = {
        (TWENTY[i][1], TWENTY[j][1]): int((a != b).sum())
        for (i, a), (j, b) in itertools.combinations(enumerate(hashes), 2)
    }
    closest = min(distances, key=distances.__getitem__)
    assert distances[closest] > 30, (closest, distances[closest])


def test_the_same_prompt_and_seed_give_the_same_bytes():
    for prompt, text in TWENTY[:4]:
        first = render("youtube.thumbnail", prompt, text=text, seed=11)
        again = render("youtube.thumbnail", prompt, text=text, seed=11)
        assert [f.data for f in first.files] == [f.data for f in again.files]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("my face reacting to the boss fight", "reaction"),
        ("cat vs dog", "versus"),
        ("top 5 settings", "top_list"),
        ("before and after my setup glow up", "before_after"),
        ("just the title, title card", "title_card"),
        ("a giant dragon", "big_subject"),
    ],
)
def test_a_thumbnail_takes_the_composition_its_words_ask_for(prompt, expected):
    spec = REGISTRY.get("youtube.thumbnail")
    result = render(spec.key, prompt, text="THE HEADLINE")
    assert understood(spec, Brief(prompt=prompt, text="THE HEADLINE"), BRAND, 7).layout == expected
    labels = {p.label: p.rect for p in result.placements}
    frame = layout.frame(spec, expected, layout.layout_variant(7))
    # The headline sits in the composition's own text area and clear of its subjects.
    assert geo.intersects(labels["headline"], frame.text)
    for slot in frame.slots:
        assert not geo.intersects(labels["headline"], geo.inset(slot.rect(), round(slot.size * 0.1)))
    marks = {"versus": {"vs"}, "top_list": {"number"}, "before_after": {"before", "after"}}
    assert marks.get(expected, set()) <= set(labels)
    assert all(c.ok for c in result.checks if c.severity in ("error", "warning")), result.checks


def test_without_an_intent_the_seed_picks_among_compositions():
    spec = REGISTRY.get("youtube.thumbnail")
    chosen = {
        understood(spec, Brief(prompt="a shocked frog", text="NO WAY"), BRAND, seed).layout
        for seed in range(12)
    }
    assert {"big_subject", "title_card", "reaction"} <= chosen
    # Compositions that need words of their own only come when asked for.
    assert not chosen & {"top_list", "before_after", "versus"}


@pytest.mark.parametrize(
    "key", ["youtube.channel_banner", "kick.banner", "stream.brb", "all.story_cover", "twitch.panel"]
)
def test_banners_scenes_covers_and_panels_have_three_compositions_each(key):
    spec = REGISTRY.get(key)
    names = LAYOUTS[spec.family]
    assert len(names) >= 3
    results = [render(key, "a purple cat with a crown", text="NightOwl", layout=name) for name in names]
    for name, result in zip(names, results, strict=True):
        assert all(c.ok for c in result.checks if c.severity == "error"), (name, result.checks)
    hashes = [colour_dhash(picture(result)) for result in results]
    for a, b in itertools.combinations(hashes, 2):
        assert int((a != b).sum()) > 30


def _hue(rgb: tuple[int, int, int]) -> float:
    return colorsys.rgb_to_hsv(*(v / 255 for v in rgb))[0] * 360


def _hue_gap(a: float, b: float) -> float:
    return min(abs(a - b), 360 - abs(a - b))


def _background_mask(result, width: int, height: int) -> np.ndarray:
    """Where the background shows: not the words or the logo."""
    mask = np.ones((height, width), dtype=bool)
    for placement in result.placements:
        r = placement.rect
        mask[r.y : r.y + r.height, r.x : r.x + r.width] = False
    return mask


def _on_arc(hue: float, a: float, b: float) -> bool:
    """Whether ``hue`` lies on the shorter arc from ``a`` to ``b`` (a blend of the two)."""
    span = _hue_gap(a, b)
    return _hue_gap(hue, a) + _hue_gap(hue, b) <= span + 1


def _hex_hue(value: str) -> float:
    return _hue(tuple(int(value[i : i + 2], 16) for i in (1, 3, 5)))


def test_backgrounds_use_only_the_kit_and_the_named_colours():
    """Every coloured background pixel is near a kit or named colour's hue, or a blend of one
    of them into the kit's background (the gradients); no colour of the art's own."""
    spec = REGISTRY.get("youtube.thumbnail")
    palette = BRAND.palette
    kit = (palette.primary, palette.secondary, palette.accent)
    for prompt, named in [("a cat", ()), ("a teal and purple cat", ("#008080", "#8E24AA"))]:
        allowed = [_hex_hue(value) for value in (*named, *kit)]
        background = _hex_hue(palette.background)
        for name in ("big_subject", "versus", "title_card", "top_list"):
            result = render(
                spec.key, f"{prompt}, top 5" if name == "top_list" else prompt, text="GG", layout=name
            )
            frame = layout.frame(spec, name, layout.layout_variant(7))
            image = np.asarray(picture(result), dtype=int)
            mask = _background_mask(result, spec.master.width, spec.master.height)
            for slot in frame.slots:
                r = geo.inset(slot.rect(), -round(slot.size * 0.15))
                mask[max(0, r.y) : r.y + r.height, max(0, r.x) : r.x + r.width] = False
            hsv = np.array([colorsys.rgb_to_hsv(*(p / 255)) for p in image[mask][::97]])
            coloured = hsv[(hsv[:, 1] > 0.35) & (hsv[:, 2] > 0.25), 0] * 360
            fits = [
                min(_hue_gap(hue, a) for a in allowed) <= 30
                or any(_on_arc(hue, background, a) for a in allowed)
                for hue in coloured
            ]
            assert np.mean(fits) >= 0.97, (prompt, name, float(np.mean(fits)))


def _background_stats(style: str) -> dict[str, float]:
    spec = REGISTRY.get("stream.brb")
    result = render(spec.key, f"a {style} cat".replace("  ", " "), text="BRB", layout="spotlight", seed=3)
    image = picture(result)
    frame = layout.frame(spec, "spotlight")
    # The top corners: background only, away from the subject and the words.
    h = image.height
    slot = frame.slots[0].rect()
    box = (0, 0, max(1, slot.x - 20), round(h * 0.45))
    region = image.crop(box)
    grey = np.asarray(region.convert("L"), dtype=float)
    hsv = np.asarray(region.convert("HSV"), dtype=float)
    edges = np.asarray(region.convert("L").filter(ImageFilter.FIND_EDGES), dtype=float)
    noise = np.abs(grey - np.asarray(region.convert("L").filter(ImageFilter.BoxBlur(2)), dtype=float))
    return {
        "light": grey.mean() / 255,
        "saturation": hsv[..., 1].mean() / 255,
        "edges": (edges > 40).mean(),
        "noise": noise.mean(),
    }


def test_style_words_change_the_background_measurably():
    plain = _background_stats("")
    pastel, grunge, minimal, comic = (_background_stats(s) for s in ("pastel", "grunge", "minimal", "comic"))
    neon, cozy, retro = (_background_stats(s) for s in ("neon", "cozy", "retro"))
    assert pastel["light"] > plain["light"] + 0.25  # light and airy
    assert grunge["noise"] > plain["noise"] * 2  # grainy and dirty
    assert grunge["light"] < plain["light"]
    assert minimal["edges"] < plain["edges"]  # flat and clean
    assert minimal["noise"] < plain["noise"] / 4
    assert comic["light"] > plain["light"] + 0.1  # a bright colour field with bold dots
    assert comic["edges"] > plain["edges"]
    styles = [plain, pastel, grunge, minimal, comic, neon, cozy, retro]
    for a, b in itertools.combinations(styles, 2):
        assert any(abs(a[k] - b[k]) > 0.02 * max(1.0, abs(a[k])) for k in a), (a, b)
