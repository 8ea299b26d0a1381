"""Animated render time against the encode floor of the same frames, and the flash check.

For every animated asset type (its default animation; every built-in animation for the Twitch
animated emote), renders with the local provider after one warm-up, and in the same run times
what the render cannot avoid: encoding its final frames into every file the row makes (the
same frames ``motion.render.animate`` draws, through ``encode_animation`` with the row's
format, byte cap, brand colours and frame rate; the bytes are checked to be the render's own).
It also times drawing those frames at every size and the flash check of the master's frames.
The timings are taken in alternation, at least N times each and for at least a second per
case, and their medians compared, like ``benchmarks/render.py``.

The last case is Twitch's worst: a 112 px emote with 60 frames (its maximum, 2.4 s at 25 fps:
the default animation slowed to fill it) in its three sizes, which should render in under 2 s.
No Django settings or database are needed.

    .venv/bin/python benchmarks/motion.py                       # every case, ≥5 runs and ≥1 s each
    .venv/bin/python benchmarks/motion.py --runs 3 --only twitch.animated_emote:spin,target
    .venv/bin/python benchmarks/motion.py --profile target     # cProfile one render instead

``--only`` takes registry keys (every case of that row), ``key:animation`` (one case) and
``target`` (the 60-frame emote).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image

from generation.engine.colors import hex_to_rgb
from generation.engine.motion import frames as framing
from generation.engine.motion.animations import ANIMATIONS, choices, default_for
from generation.engine.motion.encode import encode_animation
from generation.engine.motion.flash import flash_check
from generation.engine.providers.local import LocalArtProvider

# The composition as render_asset makes it (words on their own layer): the frames start there.
from generation.engine.render import _compose, _no_progress, render_asset
from generation.engine.types import BrandSnapshot, Brief, Motion, RenderResult
from platforms.loader import load_registry
from platforms.types import PlatformSpec

# The brand, seed and briefs of benchmarks/render.py (not imported: a script each, for mypy).
BRAND = BrandSnapshot(
    channel_name="NovaPlays",
    tagline="Cozy chaos every night",
    schedule="Mon · Wed · Fri 8 PM CET",
)
SEED = 42
TARGET_KEY = "twitch.animated_emote"
TARGET_FRAMES = 60
TARGET_SECONDS = 2.0
EVERY_ANIMATION = (TARGET_KEY,)


@dataclasses.dataclass(frozen=True)
class Case:
    name: str  # what --only and --profile match: "key:animation", or "target"
    spec: PlatformSpec
    brief: Brief


@dataclasses.dataclass(frozen=True)
class Floor:
    """The render's final frames, ready to encode again (outside the timing)."""

    files: tuple[tuple[tuple[Image.Image, ...], str], ...]  # (frames, format) per file
    master: tuple[Image.Image, ...]
    steps: framing.Timing
    motion: Motion
    layers: framing.Layers
    plan: framing.Plan


@dataclasses.dataclass(frozen=True)
class Measured:
    render_s: float
    encode_s: float
    draw_s: float
    flash_s: float


def cases(keys: Sequence[str]) -> list[Case]:
    """Every animated row with its default animation, every animation for the Twitch emote,
    then the 60-frame Twitch emote."""
    registry = load_registry()
    found: list[Case] = []
    for key in keys:
        spec = registry.get(key)
        if spec.motion is None:
            continue
        keys_of = [a.key for a in choices(spec)] if key in EVERY_ANIMATION else [default_for(spec)]
        found += [case_for(spec, f"{key}:{name}", Motion(animation=name)) for name in keys_of]
    target = registry.get(TARGET_KEY)
    assert target.motion is not None
    # Slowed so the loop reaches the row's longest (2.4 s: 60 frames at 25 fps).
    seconds = TARGET_FRAMES / target.motion.fps
    speed = ANIMATIONS[default_for(target)].seconds / seconds
    found.append(case_for(target, "target", Motion(animation=default_for(target), speed=speed)))
    return found


def case_for(spec: PlatformSpec, name: str, motion: Motion) -> Case:
    still = (
        Brief(prompt='a hype "GG" trophy emote')
        if spec.family in ("emote", "icon")
        else Brief(prompt="cozy night stream")
    )
    return Case(name=name, spec=spec, brief=dataclasses.replace(still, motion=motion))


def render(case: Case, provider: LocalArtProvider) -> RenderResult:
    return render_asset(spec=case.spec, brief=case.brief, brand=BRAND, seed=SEED, provider=provider)


def floor_of(case: Case, result: RenderResult, provider: LocalArtProvider) -> Floor:
    """The frames ``motion.render.animate`` encoded, drawn again the way it draws them, for the
    motion the render made (slower than asked when the flash fix slowed it)."""
    spec, made = case.spec, result.motion
    assert spec.motion is not None
    assert made is not None
    composition, *_ = _compose(spec, case.brief, BRAND, SEED, provider, None, _no_progress)
    layers = framing.layers_of(composition, spec, BRAND)
    animation = ANIMATIONS[made.animation]
    steps = framing.timing(animation, made, case.brief.tweaks, spec.motion)
    plan = framing.plan(layers, animation, made, case.brief.tweaks, steps, SEED)
    master = tuple(framing.render_frames(layers, plan, (spec.master.width, spec.master.height)))
    files = []
    for rendition in spec.renditions:
        size = (rendition.width, rendition.height)
        shots = master if size == master[0].size else tuple(framing.render_frames(layers, plan, size))
        files += [(shots, fmt) for fmt in [spec.image_format] + (["WEBM"] if spec.video else [])]
    return Floor(tuple(files), master, steps, made, layers, plan)


def encode_floor(case: Case, floor: Floor) -> list[bytes]:
    """Every file of the case encoded from its final frames, as ``animate`` encodes them."""
    spec = case.spec
    assert spec.motion is not None
    palette = BRAND.palette
    keep = tuple(hex_to_rgb(c) for c in (palette.primary, palette.secondary, palette.accent))
    return [
        encode_animation(
            shots,
            floor.steps.durations_ms,
            fmt,
            loop=floor.motion.loops,
            byte_cap=spec.byte_cap,
            keep_colours=keep,
            fps=spec.motion.fps,
        ).data
        for shots, fmt in floor.files
    ]


def draw_frames(case: Case, floor: Floor) -> None:
    """The frames drawn at every rendition's size (the master's once)."""
    for rendition in case.spec.renditions:
        framing.render_frames(floor.layers, floor.plan, (rendition.width, rendition.height))


def check_flashes(floor: Floor) -> None:
    flash_check(floor.master, floor.steps.durations_ms, loop=floor.motion.loops != 1, display=None)


def alternating_medians(timed: Sequence[Callable[[], object]], runs: int, min_seconds: float) -> list[float]:
    """Median seconds of each callable, called in turn (so all see the same machine), at least
    ``runs`` times and until ``min_seconds`` have passed."""
    samples: list[list[float]] = [[] for _ in timed]
    deadline = time.perf_counter() + min_seconds
    while len(samples[0]) < runs or time.perf_counter() < deadline:
        for call, seconds in zip(timed, samples, strict=True):
            started = time.perf_counter()
            call()
            seconds.append(time.perf_counter() - started)
    return [statistics.median(seconds) for seconds in samples]


def measure(
    case: Case, provider: LocalArtProvider, args: argparse.Namespace
) -> tuple[RenderResult, Floor, Measured]:
    result = render(case, provider)  # warm-up: fonts, caches
    floor = floor_of(case, result, provider)
    if encode_floor(case, floor) != [file.data for file in result.files]:
        raise SystemExit(f"{case.name}: the frames drawn again do not encode to the render's files")
    render_s, encode_s, draw_s, flash_s = alternating_medians(
        [
            lambda: render(case, provider),
            lambda: encode_floor(case, floor),
            lambda: draw_frames(case, floor),
            lambda: check_flashes(floor),
        ],
        args.runs,
        args.min_seconds,
    )
    return result, floor, Measured(render_s, encode_s, draw_s, flash_s)


HEADER = (
    f"{'asset type':24} {'animation':17} {'format':10} {'master':>9} {'frames':>6} {'loop s':>6} "
    f"{'files':>5} {'bytes':>10} {'render ms':>10} {'encode ms':>10} {'ratio':>6} {'draw ms':>8} "
    f"{'flash ms':>8}"
)


def row(case: Case, result: RenderResult, floor: Floor, took: Measured) -> str:
    spec, made = case.spec, floor.motion
    animation = made.animation if made.speed == 1 else f"{made.animation} {made.speed:.2f}×"
    formats = "+".join(dict.fromkeys(file.format for file in result.files))
    size = f"{spec.master.width}×{spec.master.height}"
    total_bytes = sum(len(file.data) for file in result.files)
    ratio = took.render_s / took.encode_s if took.encode_s else float("inf")
    return (
        f"{spec.key:24} {animation:17} {formats:10} {size:>9} {floor.steps.frames:>6} "
        f"{floor.steps.seconds:>6.2f} {len(result.files):>5} {total_bytes:>10,} "
        f"{took.render_s * 1000:>10.1f} {took.encode_s * 1000:>10.1f} {ratio:>6.2f} "
        f"{took.draw_s * 1000:>8.1f} {took.flash_s * 1000:>8.1f}"
    )


def profile(case: Case, provider: LocalArtProvider) -> None:
    render(case, provider)
    profiler = cProfile.Profile()
    profiler.enable()
    render(case, provider)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def selected(found: list[Case], only: str) -> list[Case]:
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    if not wanted:
        return found
    return [c for c in found if c.name in wanted or c.name.split(":")[0] in wanted]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported)")
    parser.add_argument(
        "--min-seconds", type=float, default=1.0, help="keep measuring a case this long (default 1 s)"
    )
    parser.add_argument("--only", default="", help="comma-separated keys, key:animation or target")
    parser.add_argument("--profile", default="", help="cProfile one case's render instead")
    args = parser.parse_args()

    provider = LocalArtProvider()
    found = cases(list(load_registry().keys()))
    chosen = selected(found, args.profile or args.only)
    if not chosen:
        parser.error(f"no case is called {args.profile or args.only!r}")
    if args.profile:
        profile(chosen[0], provider)
        return 0
    print(HEADER)
    print("-" * len(HEADER))
    target: tuple[Measured, int] | None = None
    for case in chosen:
        result, floor, took = measure(case, provider, args)
        print(row(case, result, floor, took), flush=True)
        if case.name == "target":
            target = (took, floor.steps.frames)
    print("-" * len(HEADER))
    if target is not None:
        took, frames = target
        verdict = "under" if took.render_s < TARGET_SECONDS else "NOT under"
        print(
            f"\n{frames}-frame {TARGET_KEY} (three sizes): {took.render_s * 1000:.0f} ms, "
            f"{verdict} {TARGET_SECONDS:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
