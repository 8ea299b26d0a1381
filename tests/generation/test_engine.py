"""The render engine end to end, over the whole platform registry, with the local provider."""

from __future__ import annotations

import io
import itertools
from functools import cache

import numpy as np
import pytest
from PIL import Image, ImageDraw

from generation.engine import geometry as geo
from generation.engine import layout
from generation.engine.badge import LEVELS, draw_frame, tier_level
from generation.engine.layout import understood
from generation.engine.providers.direction import mark_colors
from generation.engine.providers.local import LocalArtProvider
from generation.engine.render import render_asset
from generation.engine.types import (
    ArtRequest,
    ArtResult,
    BrandSnapshot,
    Brief,
    Palette,
    ProviderError,
    RenderResult,
)
from platforms.loader import load_registry

REGISTRY = load_registry()
# Still asset types; animated ones have their own tests (test_motion.py).
SPECS = tuple(spec for spec in REGISTRY.all() if not spec.animated)
PROVIDER = LocalArtProvider()
BRAND = BrandSnapshot(
    name="Nova kit",
    channel_name="NovaPlays",
    tagline="Cozy chaos every night",
    schedule="Mon · Wed · Fri 8 PM",
)


def brief_for(key: str) -> Brief:
    family = REGISTRY.get(key).family
    if family == "badge":
        return Brief(prompt="a star badge", tier=3)
    if family in ("emote", "icon"):
        return Brief(prompt='a "GG" trophy emote')
    if family == "thumbnail":
        return Brief(prompt="ranked grind hype", text="RANKED GRIND", subtext="Road to Diamond · Ep. 12")
    if family == "panel":
        return Brief(prompt="star", text="ABOUT ME")
    return Brief(prompt="cozy night stream", text="Big news" if family == "cover" else "")


@cache
def render(key: str, seed: int = 7) -> RenderResult:
    return render_asset(
        spec=REGISTRY.get(key), brief=brief_for(key), brand=BRAND, seed=seed, provider=PROVIDER
    )


def open_file(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("spec", SPECS, ids=[spec.key for spec in SPECS])
def test_every_asset_type_renders_upload_ready_files(spec):
    result = render(spec.key)
    assert [(f.width, f.height, f.label) for f in result.files] == [
        (r.width, r.height, r.label) for r in spec.renditions
    ]
    for file in result.files:
        image = open_file(file.data)
        assert image.size == (file.width, file.height)
        assert image.format == file.format == spec.formats[0]
        if spec.byte_cap is not None:
            assert len(file.data) <= spec.byte_cap
        if spec.transparent:
            assert image.mode in ("RGBA", "LA") or "transparency" in image.info, image.mode
        else:
            assert image.mode in ("RGB", "L", "P")
        assert not image.info.get("exif")
        assert "timestamp" not in image.info
    assert result.ok, [c for c in result.checks if not c.ok and c.severity == "error"]
    assert not [
        c for c in result.checks if c.code in ("dimensions", "bytes", "format", "transparency") and not c.ok
    ]
    assert result.provider == "local"
    assert result.model == "aurastream-local-1"
    assert "no text" in result.prompt.lower()


@pytest.mark.parametrize("spec", SPECS, ids=[spec.key for spec in SPECS])
def test_same_recipe_gives_identical_bytes(spec):
    again = render_asset(
        spec=spec, brief=brief_for(spec.key), brand=BRAND, seed=7, provider=LocalArtProvider()
    )
    assert [f.data for f in again.files] == [f.data for f in render(spec.key).files]


@pytest.mark.parametrize(
    "key", ["twitch.emote", "twitch.sub_badge", "youtube.thumbnail", "twitch.panel", "kick.avatar"]
)
def test_another_seed_gives_another_image(key):
    assert render(key, seed=7).files[0].data != render(key, seed=8).files[0].data


def test_text_placements_stay_in_the_safe_zone_for_every_asset_type():
    for spec in SPECS:
        result = render(spec.key)
        safe = next((c for c in result.checks if c.code == "safe_zone"), None)
        assert safe is None or safe.ok, (spec.key, safe)
        for placement in result.placements:
            for area in spec.keep_clear + spec.transparent_areas:
                assert not geo.intersects(placement.rect, area), (spec.key, placement)


def test_the_thumbnail_headline_is_set_clear_of_the_duration_stamp():
    spec = REGISTRY.get("youtube.thumbnail")
    result = render(spec.key)
    labels = {p.label: p.rect for p in result.placements}
    assert {"headline", "subtext"} <= set(labels)
    (stamp,) = spec.keep_clear
    assert spec.safe_zone is not None
    for rect in labels.values():
        assert not geo.intersects(rect, stamp)
        assert geo.contains(spec.safe_zone, rect)
    # The words keep off the subject of whichever composition the seed settled on.
    name = understood(spec, brief_for(spec.key), BRAND, 7).layout
    subject = layout.frame(spec, name).slots[0].rect()
    assert not geo.intersects(labels["headline"], subject), name


def test_setting_gg_on_an_emote_changes_its_pixels():
    spec = REGISTRY.get("twitch.emote")
    with_text = render_asset(
        spec=spec, brief=Brief(prompt="a trophy emote", text="GG"), brand=BRAND, seed=1, provider=PROVIDER
    )
    without = render_asset(
        spec=spec, brief=Brief(prompt="a trophy emote"), brand=BRAND, seed=1, provider=PROVIDER
    )
    a = np.asarray(open_file(with_text.files[0].data).convert("RGBA")).astype(int)
    b = np.asarray(open_file(without.files[0].data).convert("RGBA")).astype(int)
    assert np.abs(a - b).mean() > 10
    assert [p.label for p in with_text.placements] == ["text"]
    assert without.placements == ()
    # The quoted word in a prompt is the emote's text when no text is given.
    quoted = render_asset(
        spec=spec, brief=Brief(prompt='a trophy emote that says "GG"'), brand=BRAND, seed=1, provider=PROVIDER
    )
    assert [p.label for p in quoted.placements] == ["text"]


def test_scenes_get_their_default_titles():
    for key in ("stream.starting_soon", "stream.brb", "stream.ending"):
        labels = [p.label for p in render(key).placements]
        assert "title" in labels, key


def test_sub_badge_tiers_are_one_family_that_escalates():
    spec = REGISTRY.get("twitch.sub_badge")
    tiers = (1, 3, 6, 12)
    files = [
        render_asset(
            spec=spec, brief=Brief(prompt="a star badge", tier=tier), brand=BRAND, seed=4, provider=PROVIDER
        )
        .files[0]
        .data
        for tier in tiers
    ]
    assert len(set(files)) == len(tiers)
    levels = [tier_level(spec, tier) for tier in (1, 2, 3, 6, 9, 12, 24, 36)]
    assert levels == sorted(levels)
    assert len(set(levels)) == len(levels)
    # More ornament with tenure: gems, spikes, wings and crown only accumulate …
    for low, high in itertools.pairwise(LEVELS):
        assert high.gems >= low.gems
        assert high.spikes >= low.spikes
        assert high.wings >= low.wings
        assert high.crown >= low.crown
    # … every tier's frame looks different from the one before, and the top tier carries far
    # more ornament than the first.
    colors = mark_colors(BRAND.palette, for_chat=True)
    frames = [np.asarray(draw_frame(72, level, colors)) for level in range(len(LEVELS))]
    for low, high in itertools.pairwise(frames):
        assert np.abs(low.astype(int) - high.astype(int)).mean() > 3
    coverage = [float((frame[..., 3] > 128).mean()) for frame in frames]
    assert coverage[-1] > coverage[0] + 0.1
    # Brighter metal: the ring gets lighter from the brand colour to bronze, silver, gold.
    ring = [
        np.asarray(draw_frame(72, level, colors).convert("RGB"))[4:14, 30:42].mean() for level in (2, 3, 5)
    ]
    assert ring[0] < ring[2]
    # The tier number is set on the badge.
    labelled = render_asset(
        spec=spec, brief=Brief(prompt="a star badge", tier=12), brand=BRAND, seed=4, provider=PROVIDER
    )
    assert [p.label for p in labelled.placements] == ["tier"]


def test_a_badly_coloured_brand_gets_legibility_warnings():
    ink = "#18181B"  # everything the colour of Twitch's dark chat
    brand = BrandSnapshot(palette=Palette(primary=ink, secondary=ink, accent=ink, background=ink, text=ink))
    # Nothing drawable named: the engine draws the brand's own mark, in the brand's colours.
    emote = render_asset(
        spec=REGISTRY.get("twitch.emote"),
        brief=Brief(prompt="our brand mark"),
        brand=brand,
        seed=1,
        provider=PROVIDER,
    )
    dark = next(c for c in emote.checks if c.code == "legibility_dark")
    assert not dark.ok
    assert dark.severity == "warning"
    assert dark.value is not None
    assert dark.value < 0.5
    assert "28 px on dark chat" in dark.message
    assert "disappears" in dark.message
    assert next(c for c in emote.checks if c.code == "legibility_light").ok
    thumbnail = render_asset(
        spec=REGISTRY.get("youtube.thumbnail"),
        brief=Brief(prompt="star", text="RANKED GRIND"),
        brand=brand,
        seed=1,
        provider=PROVIDER,
    )
    legibility = next(c for c in thumbnail.checks if c.code == "legibility")
    assert not legibility.ok
    assert "hard to read" in legibility.message
    assert thumbnail.ok  # warnings, not errors: the files are still valid uploads


def test_a_well_coloured_brand_reads_on_both_chat_themes():
    result = render("twitch.emote")
    for code in ("legibility_light", "legibility_dark"):
        check = next(c for c in result.checks if c.code == code)
        assert check.ok, check
        assert check.value is not None
        assert check.value >= 0.5


def test_a_clashing_text_colour_is_replaced_by_a_readable_brand_colour():
    brand = BrandSnapshot(palette=Palette(text="#0F0B1E", background="#0F0B1E"), channel_name="Nova")
    result = render_asset(
        spec=REGISTRY.get("youtube.thumbnail"),
        brief=Brief(prompt="star", text="WIN"),
        brand=brand,
        seed=1,
        provider=PROVIDER,
    )
    note = next(c for c in result.checks if c.code == "text_colour")
    assert note.severity == "info"
    assert "#0F0B1E" in note.message
    assert next(c for c in result.checks if c.code == "legibility").ok


def test_the_logo_is_placed_inside_the_safe_zone():
    logo = Image.new("RGBA", (200, 120), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rounded_rectangle((10, 10, 190, 110), radius=30, fill=(255, 200, 0, 255))
    buffer = io.BytesIO()
    logo.save(buffer, format="PNG")
    brand = BrandSnapshot(channel_name="NovaPlays", tagline="Cozy chaos", logo_png=buffer.getvalue())
    for key in ("youtube.thumbnail", "youtube.channel_banner", "stream.brb", "stream.overlay"):
        spec = REGISTRY.get(key)
        result = render_asset(
            spec=spec, brief=Brief(prompt="star", text="Hello"), brand=brand, seed=1, provider=PROVIDER
        )
        logos = [p for p in result.placements if p.kind == "logo"]
        assert len(logos) == 1, key
        assert spec.safe_zone is not None
        assert geo.contains(spec.safe_zone, logos[0].rect), key
        assert next(c for c in result.checks if c.code == "safe_zone").ok


def test_overlay_holes_are_transparent_in_the_file():
    spec = REGISTRY.get("stream.overlay")
    image = open_file(render(spec.key).files[0].data).convert("RGBA")
    alpha = np.asarray(image.getchannel("A"))
    for hole in spec.transparent_areas:
        assert alpha[hole.y : hole.y + hole.height, hole.x : hole.x + hole.width].max() == 0
    assert next(c for c in render(spec.key).checks if c.code == "transparent_areas").ok


def test_avatar_text_stays_inside_the_circle():
    spec = REGISTRY.get("youtube.profile_picture")
    result = render_asset(
        spec=spec, brief=Brief(prompt="cat", text="NOVA"), brand=BRAND, seed=2, provider=PROVIDER
    )
    (placement,) = result.placements
    assert geo.inside_circle(placement.rect, 400, 400, 400)


def test_progress_is_reported_stage_by_stage():
    seen: list[tuple[str, int]] = []
    render_asset(
        spec=REGISTRY.get("twitch.panel"),
        brief=Brief(prompt="star"),
        brand=BRAND,
        seed=1,
        provider=PROVIDER,
        on_progress=lambda s, p: seen.append((s, p)),
    )
    stages = [stage for stage, _ in seen]
    assert stages[0] == "prompting"
    assert stages[-1] == "validating"
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == [
        "prompting",
        "rendering",
        "post_processing",
        "validating",
    ]
    percents = [p for _, p in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100


class FlatGreenProvider:
    """A provider like an AI model: a subject on a flat chroma-green background, as PNG bytes."""

    name = "flat"
    model = "flat-1"

    def generate(self, request: ArtRequest) -> ArtResult:
        image = Image.new("RGB", (1024, 1024), (0, 255, 0))
        ImageDraw.Draw(image).ellipse(
            (300, 200, 700, 800), fill=(200, 40, 90), outline=(20, 10, 30), width=24
        )
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return ArtResult(image_png=buffer.getvalue(), provider=self.name, model=self.model)


def test_flat_backgrounds_from_ai_providers_are_keyed_out_trimmed_and_padded():
    spec = REGISTRY.get("twitch.emote")
    result = render_asset(
        spec=spec, brief=Brief(prompt="a blob"), brand=BRAND, seed=1, provider=FlatGreenProvider()
    )
    assert result.provider == "flat"
    image = open_file(result.files[0].data).convert("RGBA")
    pixels = np.asarray(image)
    assert pixels[0, 0, 3] == 0
    assert pixels[56, 0, 3] == 0
    greenish = (pixels[..., 1] > 200) & (pixels[..., 0] < 80) & (pixels[..., 3] > 0)
    assert greenish.sum() == 0
    rows = np.nonzero(pixels[..., 3].max(axis=1) > 16)[0]
    assert rows[0] <= 4
    assert rows[-1] >= 107


class BrokenProvider:
    name = "broken"
    model = "broken-1"

    def generate(self, request: ArtRequest) -> ArtResult:
        return ArtResult(image_png=b"not a png", provider=self.name, model=self.model)


class DownProvider:
    name = "down"
    model = "down-1"

    def generate(self, request: ArtRequest) -> ArtResult:
        raise ProviderError("The image service is busy.", retryable=True)


def test_provider_failures_surface_as_provider_errors():
    spec = REGISTRY.get("twitch.emote")
    with pytest.raises(ProviderError, match="unreadable"):
        render_asset(spec=spec, brief=Brief(prompt="x"), brand=BRAND, seed=1, provider=BrokenProvider())
    with pytest.raises(ProviderError) as error:
        render_asset(spec=spec, brief=Brief(prompt="x"), brand=BRAND, seed=1, provider=DownProvider())
    assert error.value.retryable


class CountingLocalProvider(LocalArtProvider):
    """Wraps the local provider's generate(), like a test double that slows or counts calls."""

    calls = 0

    def generate(self, request: ArtRequest) -> ArtResult:
        CountingLocalProvider.calls += 1
        return super().generate(request)


def test_a_subclass_that_overrides_generate_is_called_through_generate():
    spec = REGISTRY.get("twitch.panel")
    before = CountingLocalProvider.calls
    wrapped = render_asset(
        spec=spec, brief=Brief(prompt="star"), brand=BRAND, seed=1, provider=CountingLocalProvider()
    )
    assert CountingLocalProvider.calls == before + 1
    # The PNG hand-off and the in-process hand-off give the same files.
    direct = render_asset(spec=spec, brief=Brief(prompt="star"), brand=BRAND, seed=1, provider=PROVIDER)
    assert [f.data for f in wrapped.files] == [f.data for f in direct.files]
