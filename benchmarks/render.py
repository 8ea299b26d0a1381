"""Render time per asset type next to the bare encode floor of the same pixels.

For each platform asset type, renders with the local provider after one warm-up, and times
only encoding the final pixels: the master and every rendition, decoded from the result and
saved again in the same format with the engine's own encoder settings. The two are measured in
alternation, at least N times each and for at least a second per asset type, and their medians
compared.
That is the floor any renderer pays for these files; the ratio (and the extra milliseconds) is
what drawing, composing, post-processing and validating cost on top. No Django settings or
database are needed. Animated asset types are skipped: their floor is encoding every frame,
which ``benchmarks/motion.py`` measures.

    .venv/bin/python benchmarks/render.py                 # every asset type, ≥5 runs and ≥1 s each
    .venv/bin/python benchmarks/render.py --runs 9 --only youtube.thumbnail,twitch.emote
    .venv/bin/python benchmarks/render.py --profile stream.starting_soon
    .venv/bin/python benchmarks/render.py --cold        # every drawing cache emptied per run
    .venv/bin/python benchmarks/render.py --encoders    # the encoder choice: level 1 against 6

``--encoders`` prints, instead of render times, each asset type's files encoded with the
engine's first step (PNG zlib level 1; JPEG with standard Huffman tables) next to the setting
used before (level 6; optimised tables), timed in alternation: milliseconds, bytes, the largest
file as a share of the row's byte cap, and how many encodings the engine's ladder needed.

The engine keeps small bounded caches of drawings that depend only on their arguments (marks,
badge frames, glyph masks, fitted subjects, text layouts); repeated renders of one recipe reuse
them. ``--cold`` empties them before every timed run, to show a first render's cost.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image

from generation.engine.fit import encode, jpeg_options, png_options, save, to_gif_palette
from generation.engine.memo import clear_all
from generation.engine.providers.local import LocalArtProvider
from generation.engine.render import render_asset
from generation.engine.types import BrandSnapshot, Brief, RenderResult
from platforms.loader import Registry, load_registry
from platforms.types import PlatformSpec

BRAND = BrandSnapshot(
    channel_name="NovaPlays",
    tagline="Cozy chaos every night",
    schedule="Mon · Wed · Fri 8 PM CET",
)
TARGET_RATIO = 2.0


def brief_for(spec: PlatformSpec) -> Brief:
    """A realistic request per family (text where the asset carries text)."""
    family = spec.family
    if family == "badge":
        return Brief(prompt="a star badge", tier=6)
    if family in ("emote", "icon"):
        return Brief(prompt='a hype "GG" trophy emote')
    if family == "thumbnail":
        return Brief(prompt="ranked grind hype", text="RANKED GRIND", subtext="Road to Diamond · Ep. 12")
    if family == "panel":
        return Brief(prompt="star", text="ABOUT ME")
    if family == "cover":
        return Brief(prompt="retro arcade", text="NEW HIGH SCORE", subtext="Watch till the end")
    return Brief(prompt="cozy night stream")


def render(spec: PlatformSpec, provider: LocalArtProvider) -> RenderResult:
    return render_asset(spec=spec, brief=brief_for(spec), brand=BRAND, seed=42, provider=provider)


def decoded(result: RenderResult) -> list[tuple[Image.Image, str]]:
    images: list[tuple[Image.Image, str]] = []
    for file in result.files:
        image = Image.open(io.BytesIO(file.data))
        image.load()
        images.append((image, file.format))
    return images


def encode_floor(images: list[tuple[Image.Image, str]]) -> float:
    """Seconds to save every final image once, with the engine's encoder settings."""
    started = time.perf_counter()
    for image, fmt in images:
        buffer = io.BytesIO()
        if fmt == "PNG":
            image.save(buffer, format="PNG", **png_options())
        elif fmt == "JPEG":
            image.save(buffer, format="JPEG", **jpeg_options())
        elif fmt == "GIF":
            paletted, options = (
                (image, {"transparency": image.info["transparency"]})
                if image.mode == "P"
                else to_gif_palette(image)
            )
            paletted.save(buffer, format="GIF", **options)
        else:
            image.save(buffer, format=fmt)
    return time.perf_counter() - started


def encode_with(images: list[tuple[Image.Image, str]], old: bool) -> tuple[float, int]:
    """Seconds and bytes to save every PNG/JPEG file with the first step (or the old setting)."""
    started, size = time.perf_counter(), 0
    for image, fmt in images:
        if fmt == "PNG":
            size += len(save(image, "PNG", png_options(6) if old else png_options()))
        elif fmt == "JPEG":
            size += len(save(image, "JPEG", jpeg_options(optimize=old)))
    return time.perf_counter() - started, size


def encoder_choice(
    keys: list[str], registry: Registry, provider: LocalArtProvider, args: argparse.Namespace
) -> None:
    """The engine's first encoder step against the setting used before, per asset type."""
    header = (
        f"{'asset type':28} {'format':6} {'files':>5} {'new ms':>8} {'old ms':>8} {'time':>6} "
        f"{'new bytes':>11} {'old bytes':>11} {'bytes':>6} {'of cap':>7} {'steps':>5}"
    )
    print(header)
    print("-" * len(header))
    totals = [0.0, 0.0, 0, 0]
    for key in keys:
        spec = registry.get(key)
        images = decoded(render(spec, provider))
        new_s: list[float] = []
        old_s: list[float] = []
        deadline = time.perf_counter() + args.min_seconds
        while len(new_s) < args.runs or time.perf_counter() < deadline:
            new_s.append(encode_with(images, old=False)[0])
            old_s.append(encode_with(images, old=True)[0])
        new, old = statistics.median(new_s), statistics.median(old_s)
        new_bytes, old_bytes = encode_with(images, False)[1], encode_with(images, True)[1]
        fitted = [encode(image.copy(), fmt, byte_cap=spec.byte_cap) for image, fmt in images]
        largest = max(fitted, key=lambda e: e.size).size
        of_cap = f"{100 * largest / spec.byte_cap:.0f} %" if spec.byte_cap else "–"
        totals = [totals[0] + new, totals[1] + old, totals[2] + new_bytes, totals[3] + old_bytes]
        print(
            f"{key:28} {images[0][1]:6} {len(images):>5} {new * 1000:>8.1f} {old * 1000:>8.1f} "
            f"{new / old:>6.2f} {new_bytes:>11,} {old_bytes:>11,} {new_bytes / old_bytes:>6.2f} "
            f"{of_cap:>7} {max(e.steps for e in fitted):>5}"
        )
    print("-" * len(header))
    print(
        f"{'all':28} {'':6} {'':>5} {totals[0] * 1000:>8.1f} {totals[1] * 1000:>8.1f} "
        f"{totals[0] / totals[1]:>6.2f} {totals[2]:>11,} {totals[3]:>11,} {totals[2] / totals[3]:>6.2f}"
    )


def clear_caches() -> None:
    """Empty every cache the engine keeps between renders (drawings, layouts, fonts stay)."""
    clear_all()
    from generation.engine import canvas, text
    from generation.engine.providers import direction

    text.layout_text.cache_clear()
    canvas.plate_image.cache_clear()
    canvas._brand_colors.cache_clear()
    direction.mark_colors.cache_clear()


def paired_medians(
    render_once: Callable[[], object],
    encode_once: Callable[[], float],
    runs: int,
    min_seconds: float,
    before: Callable[[], None] | None = None,
) -> tuple[float, float]:
    """Median seconds of a render and of the encode floor, measured in alternation (so both
    see the same machine: frequency changes and neighbours' load fall on both alike), at least
    ``runs`` times and until ``min_seconds`` have passed (many samples for the tiny assets,
    whose millisecond timings are noisy)."""
    renders: list[float] = []
    floors: list[float] = []
    deadline = time.perf_counter() + min_seconds
    while len(renders) < runs or time.perf_counter() < deadline:
        if before is not None:
            before()
        started = time.perf_counter()
        render_once()
        renders.append(time.perf_counter() - started)
        floors.append(encode_once())
    return statistics.median(renders), statistics.median(floors)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per asset type (median reported)")
    parser.add_argument(
        "--min-seconds",
        type=float,
        default=1.0,
        help="keep measuring an asset type until this long has passed (default 1 s)",
    )
    parser.add_argument("--only", default="", help="comma-separated registry keys")
    parser.add_argument("--profile", default="", help="cProfile one asset type instead")
    parser.add_argument(
        "--cold", action="store_true", help="empty the engine's drawing caches before every timed run"
    )
    parser.add_argument(
        "--encoders", action="store_true", help="the first encoder step against the old setting"
    )
    args = parser.parse_args()

    registry = load_registry()
    provider = LocalArtProvider()
    if args.profile:
        spec = registry.get(args.profile)
        render(spec, provider)
        if args.cold:
            clear_caches()
        profiler = cProfile.Profile()
        profiler.enable()
        render(spec, provider)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return 0

    keys = [k.strip() for k in args.only.split(",") if k.strip()] or list(registry.keys())
    animated = [key for key in keys if registry.get(key).motion is not None]
    keys = [key for key in keys if key not in animated]
    if not keys:
        print(f"Animated asset types are measured by benchmarks/motion.py: {', '.join(animated)}")
        return 0
    print(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
    if args.encoders:
        encoder_choice(keys, registry, provider, args)
        print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
        return 0
    header = (
        f"{'asset type':28} {'format':6} {'master':>10} {'files':>5} {'bytes':>10} "
        f"{'render ms':>10} {'encode ms':>10} {'ratio':>6} {'extra ms':>9}"
    )
    print(header)
    print("-" * len(header))
    png_ratios: list[tuple[str, float, float]] = []  # (key, ratio, extra seconds)
    totals = [0.0, 0.0]
    for key in keys:
        spec = registry.get(key)
        result = render(spec, provider)  # warm-up: fonts, caches
        images = decoded(result)
        render_s, floor_s = paired_medians(
            functools.partial(render, spec, provider),
            functools.partial(encode_floor, images),
            args.runs,
            args.min_seconds,
            clear_caches if args.cold else None,
        )
        ratio = render_s / floor_s if floor_s else float("inf")
        totals[0] += render_s
        totals[1] += floor_s
        fmt = result.files[0].format
        if fmt == "PNG":
            png_ratios.append((key, ratio, render_s - floor_s))
        size = f"{spec.master.width}×{spec.master.height}"
        total_bytes = sum(len(f.data) for f in result.files)
        print(
            f"{key:28} {fmt:6} {size:>10} {len(result.files):>5} {total_bytes:>10,} "
            f"{render_s * 1000:>10.1f} {floor_s * 1000:>10.1f} {ratio:>6.2f} "
            f"{(render_s - floor_s) * 1000:>9.1f}"
        )
    print("-" * len(header))
    print(
        f"{'all':28} {'':6} {'':>10} {'':>5} {'':>10} {totals[0] * 1000:>10.1f} "
        f"{totals[1] * 1000:>10.1f} {totals[0] / totals[1]:>6.2f} {(totals[0] - totals[1]) * 1000:>9.1f}"
    )
    if args.cold:
        print("(cold: the engine's drawing caches were emptied before every timed run)")
    if animated:
        print(f"(animated, measured by benchmarks/motion.py: {', '.join(animated)})")
    within = [key for key, ratio, _ in png_ratios if ratio <= TARGET_RATIO]
    print(
        f"\nPNG asset types within {TARGET_RATIO:.0f}× of the encode floor: "
        f"{len(within)} of {len(png_ratios)}"
    )
    over = [(key, ratio, extra) for key, ratio, extra in png_ratios if ratio > TARGET_RATIO]
    if over:
        print(
            "Over the target: "
            + ", ".join(f"{key} ({ratio:.1f}×, {extra * 1000:+.1f} ms)" for key, ratio, extra in over)
        )
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
