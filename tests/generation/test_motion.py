"""Animated assets end to end on the local engine: every animated registry row makes files that
keep the platform's rules, the same recipe gives the same bytes, every built-in animation is
safe for photosensitive viewers at its defaults, and one that would flash is slowed or refused."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from generation.engine.motion import frames as framing
from generation.engine.motion.animations import ANIMATIONS, choices, default_for
from generation.engine.motion.encode import decode_animation
from generation.engine.motion.flash import flash_check
from generation.engine.motion.render import animate
from generation.engine.providers.gemini import GeminiImageProvider
from generation.engine.providers.local import LocalArtProvider
from generation.engine.render import _compose, render_asset
from generation.engine.types import BrandSnapshot, Brief, Motion, RenderError, RenderResult, Tweaks
from platforms.loader import load_registry
from platforms.types import PlatformSpec
from tests.fakes.gemini import IMAGE_MODEL, FakeGemini

REGISTRY = load_registry()
ANIMATED = [spec for spec in REGISTRY if spec.animated]
PROVIDER = LocalArtProvider()
BRAND = BrandSnapshot(name="Nova kit", channel_name="NovaPlays")


def brief(spec: PlatformSpec, animation: str = "", **motion: float) -> Brief:
    chosen = Motion(animation=animation or default_for(spec), **motion)  # type: ignore[arg-type]
    text = "GG" if spec.family != "overlay" else ""
    return Brief(prompt='a hype "GG" cat', text=text, motion=chosen)


@cache
def made(key: str, seed: int = 11) -> RenderResult:
    spec = REGISTRY.get(key)
    return render_asset(spec=spec, brief=brief(spec), brand=BRAND, seed=seed, provider=PROVIDER)


def test_every_platform_that_takes_animated_emotes_has_a_row():
    keys = {spec.key for spec in ANIMATED}
    assert {
        "twitch.animated_emote",
        "discord.animated_emoji",
        "discord.animated_sticker",
        "7tv.animated_emote",
        "bttv.animated_emote",
        "stream.alert",
        "stream.animated_overlay",
    } <= keys


@pytest.mark.parametrize("spec", ANIMATED, ids=[spec.key for spec in ANIMATED])
def test_every_animated_row_makes_files_that_keep_its_rules(spec):
    assert spec.motion is not None
    result = made(spec.key)
    expected = [(r.label, spec.image_format) for r in spec.renditions]
    if spec.video:
        expected += [(f"{r.label}-webm", "WEBM") for r in spec.renditions]
    assert sorted((file.label, file.format) for file in result.files) == sorted(expected)
    loops = set()
    for file in result.files:
        played = decode_animation(file.data)
        assert played.format == file.format
        assert 2 <= len(played.frames) <= spec.motion.max_frames, file.label
        loops.add(len(played.frames))
        assert all(frame.size == (file.width, file.height) for frame in played.frames)
        assert all(duration > 0 for duration in played.durations_ms)
        assert sum(played.durations_ms) <= spec.motion.max_seconds * 1000 + 10
        if spec.byte_cap is not None:
            assert len(file.data) <= spec.byte_cap, file.label
        if file.format != "WEBM":
            assert played.loop == 0  # loops forever
        alpha = np.asarray(played.frames[0].getchannel("A"))
        assert alpha.min() == 0
        assert alpha.max() == 255
        for hole in spec.transparent_areas:  # an overlay's holes stay clear in every frame
            k = file.width / spec.master.width
            x, y = round((hole.x + hole.width / 2) * k), round((hole.y + hole.height / 2) * k)
            assert all(frame.getpixel((x, y))[3] == 0 for frame in played.frames)
    assert len(loops) == 1  # every size and format plays the same frames
    assert result.motion is not None
    flash = next(check for check in result.checks if check.code == "flash")
    assert flash.ok
    assert "WCAG 2.3.1" in flash.message
    assert all(check.ok for check in result.checks if check.severity == "error"), [
        check.message for check in result.checks if not check.ok
    ]


@pytest.mark.parametrize("spec", ANIMATED, ids=[spec.key for spec in ANIMATED])
def test_the_same_recipe_and_seed_give_the_same_bytes(spec):
    again = render_asset(spec=spec, brief=brief(spec), brand=BRAND, seed=11, provider=PROVIDER)
    assert [file.data for file in again.files] == [file.data for file in made(spec.key).files]


def test_another_seed_moves_differently():
    spec = REGISTRY.get("twitch.animated_emote")
    one = render_asset(spec=spec, brief=brief(spec, "confetti"), brand=BRAND, seed=1, provider=PROVIDER)
    two = render_asset(spec=spec, brief=brief(spec, "confetti"), brand=BRAND, seed=2, provider=PROVIDER)
    assert one.files[0].data != two.files[0].data


def red(motion: Motion) -> Brief:
    """A design that is mostly saturated red: the colour that flashes most easily."""
    return Brief(prompt="a red circle", colours=("#FF0000",), motion=motion)


def _layers(spec: PlatformSpec, design: Brief, seed: int = 5) -> framing.Layers:
    composition, *_ = _compose(spec, design, BRAND, seed, PROVIDER, None, lambda *_: None)
    return framing.layers_of(composition, spec, BRAND)


def _master_frames(
    spec: PlatformSpec,
    animation: str,
    motion: Motion | None = None,
    seed: int = 5,
    design: Brief | None = None,
):
    chosen = motion or Motion(animation=animation)
    design = design or brief(spec, animation)
    composition, *_ = _compose(spec, design, BRAND, seed, PROVIDER, None, lambda *_: None)
    layers = framing.layers_of(composition, spec, BRAND)
    assert spec.motion is not None
    steps = framing.timing(ANIMATIONS[animation], chosen, Tweaks(), spec.motion)
    plan = framing.plan(layers, ANIMATIONS[animation], chosen, Tweaks(), steps, seed)
    size = (spec.master.width, spec.master.height)
    return framing.render_frames(layers, plan, size), steps


SAFETY_CASES = [
    (spec.key, animation.key)
    for spec in (
        REGISTRY.get("twitch.animated_emote"),
        REGISTRY.get("stream.alert"),
        REGISTRY.get("stream.animated_overlay"),
    )
    for animation in choices(spec)
]


@pytest.mark.parametrize(("key", "animation"), SAFETY_CASES, ids=[f"{k}-{a}" for k, a in SAFETY_CASES])
def test_every_built_in_animation_is_flash_safe_at_its_defaults(key, animation):
    spec = REGISTRY.get(key)
    shots, steps = _master_frames(spec, animation)
    result = flash_check(shots, steps.durations_ms)
    assert result.ok, result.message
    assert len(set(frame.tobytes() for frame in shots)) > 1  # it does move
    if spec.family == "overlay":
        # The frame never moves or shrinks: whatever the still design covers stays covered.
        art = np.asarray(_layers(spec, brief(spec, animation)).art.getchannel("A").reduce(2))
        for shot in shots:
            assert (np.asarray(shot.getchannel("A").reduce(2)).astype(int) >= art.astype(int) - 2).all()


def test_a_design_made_to_flash_is_slowed_until_it_is_safe():
    spec = REGISTRY.get("twitch.animated_emote")
    fast = Motion(animation="rainbow", speed=8.0)  # red round the colour wheel 4 times a second
    shots, steps = _master_frames(spec, "rainbow", fast, design=red(fast))
    assert not flash_check(shots, steps.durations_ms).ok  # as asked, it would flash
    result = render_asset(spec=spec, brief=red(fast), brand=BRAND, seed=5, provider=PROVIDER)
    assert result.motion is not None
    assert result.motion.speed < fast.speed
    flash = next(check for check in result.checks if check.code == "flash")
    assert flash.message.startswith("Slowed to")
    assert flash.severity == "warning"


def test_a_design_that_flashes_even_slowed_down_is_refused():
    spec = REGISTRY.get("twitch.animated_emote")
    strobe = Motion(animation="rainbow", speed=80.0)
    with pytest.raises(RenderError, match="flashes too often"):
        render_asset(spec=spec, brief=red(strobe), brand=BRAND, seed=5, provider=PROVIDER)


def test_the_words_move_on_their_own_layer():
    spec = REGISTRY.get("twitch.animated_emote")
    composition, *_ = _compose(spec, brief(spec, "spin"), BRAND, 5, PROVIDER, None, lambda *_: None)
    assert composition.words is not None
    assert composition.words.getbbox() is not None
    # Spinning turns the subject; the words below it hold still, so they stay readable.
    shots, _ = _master_frames(spec, "spin")
    words = composition.words.getbbox()
    assert words is not None
    k = spec.master.width / composition.words.width
    box = tuple(round(v * k) for v in words)
    lower = (box[0], (box[1] + box[3]) // 2, box[2], box[3])
    assert len({shot.crop(lower).tobytes() for shot in shots}) == 1
    # Typing shows no words at first and all of them by the end.
    typed, _ = _master_frames(spec, "typewriter")
    first, last = (np.asarray(shot.crop(lower).getchannel("A")) for shot in (typed[0], typed[-1]))
    assert first.sum() < last.sum()


def test_an_animation_the_type_cannot_use_is_refused():
    spec = REGISTRY.get("stream.animated_overlay")
    composition, *_ = _compose(spec, brief(spec, "sparkle"), BRAND, 5, PROVIDER, None, lambda *_: None)
    with pytest.raises(RenderError, match="can't use"):
        animate(spec, brief(spec, "bounce"), BRAND, composition, 5)


def test_still_assets_are_unchanged_by_motion():
    spec = REGISTRY.get("twitch.emote")
    composition, *_ = _compose(
        spec, Brief(prompt="cat", text="GG"), BRAND, 5, PROVIDER, None, lambda *_: None
    )
    assert composition.words is None  # words drawn on the art, as before


def test_an_image_models_still_is_moved_by_the_same_engine():
    spec = REGISTRY.get("twitch.animated_emote")
    with FakeGemini.running() as fake:
        provider = GeminiImageProvider(
            api_key=fake.api_key, model=IMAGE_MODEL, base_url=fake.base_url, timeout_s=10, max_retries=0
        )
        one = render_asset(spec=spec, brief=brief(spec, "bounce"), brand=BRAND, seed=3, provider=provider)
        two = render_asset(spec=spec, brief=brief(spec, "bounce"), brand=BRAND, seed=3, provider=provider)
        assert len(fake.calls) == 2  # the model drew the art once per asset, never per frame
    assert one.provider == "gemini"
    played = decode_animation(one.files[0].data)
    assert len(played.frames) > 1
    assert len({frame.tobytes() for frame in played.frames}) > 1
    assert [file.data for file in one.files] == [file.data for file in two.files]  # same art, same motion


def test_an_alert_at_60_fps_keeps_every_other_frame_in_its_gif():
    spec = REGISTRY.get("stream.alert")
    result = render_asset(
        spec=spec, brief=brief(spec, "pulse", fps=60), brand=BRAND, seed=4, provider=PROVIDER
    )
    files = {file.format: decode_animation(file.data) for file in result.files}
    webm, gif = files["WEBM"], files["GIF"]
    assert len(webm.frames) == 2 * len(gif.frames) or len(webm.frames) == 2 * len(gif.frames) - 1
    assert min(webm.durations_ms) < 20  # about 16.7 ms a frame
    assert min(gif.durations_ms) >= 20  # what browsers play as written
    assert abs(sum(webm.durations_ms) - sum(gif.durations_ms)) <= 10  # the same loop


@pytest.mark.parametrize("speed", [1.0, 1.4, 1 / 1.4])
def test_at_60_fps_every_gif_frame_shows_as_long_as_the_others(speed):
    spec = REGISTRY.get("stream.alert")
    assert spec.motion is not None
    steps = framing.timing(
        ANIMATIONS["bounce"], Motion(animation="bounce", speed=speed, fps=60), Tweaks(), spec.motion
    )
    assert steps.frames % 2 == 0
    result = render_asset(
        spec=spec, brief=brief(spec, "bounce", speed=speed, fps=60), brand=BRAND, seed=4, provider=PROVIDER
    )
    gif = next(decode_animation(file.data) for file in result.files if file.format == "GIF")
    assert max(gif.durations_ms) - min(gif.durations_ms) <= 10  # no short hitch at the seam
    assert result.motion is not None
    assert 50 <= result.motion.fps <= 60  # the rate made
