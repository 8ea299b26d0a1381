"""An animated asset's files: the still design's layers animated, flash-checked and encoded.

``animate`` takes the composition the engine made for the asset (its words kept on their own
layer) and makes every rendition in the registry row's image format (GIF, APNG or WebP), plus a
WebM with alpha beside each when the row names WEBM. Before anything is encoded the master's
frames are checked for flashes (WCAG 2.3.1); a design that flashes too often is slowed (and
calmed) until it passes, and refused if it never does. The report says which.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PIL import Image

from platforms.types import PlatformSpec

from ..canvas import Composition
from ..checks import verdict
from ..colors import hex_to_rgb
from ..types import BrandSnapshot, Brief, Check, Motion, RenderedFile, RenderError, Tweaks
from . import frames as framing
from .animations import ANIMATIONS, default_for, suits
from .encode import EncodeError, decode_animation, encode_animation
from .flash import FlashResult, flash_check

GIF_SHORTEST_MS = 20
# How a design that flashes too often is fixed: each attempt slows it and calms it a little.
FIX_STEP = 0.7
FIX_ATTEMPTS = 5


@dataclasses.dataclass(frozen=True)
class Animated:
    files: tuple[RenderedFile, ...]
    checks: tuple[Check, ...]
    motion: Motion  # what was made (slower than asked when the flash fix slowed it)


def motion_of(spec: PlatformSpec, brief: Brief) -> Motion:
    """The brief's motion, or the asset type's default; an animation the type can't use is refused."""
    motion = brief.motion or Motion(animation=default_for(spec))
    animation = ANIMATIONS.get(motion.animation)
    if animation is None or not suits(animation, spec):
        raise RenderError(f"{spec.platform_label} {spec.label} can't use the {motion.animation!r} animation.")
    return motion


def animate(
    spec: PlatformSpec, brief: Brief, brand: BrandSnapshot, composition: Composition, seed: int
) -> Animated:
    assert spec.motion is not None
    motion = motion_of(spec, brief)
    layers = framing.layers_of(composition, spec, brand)
    safe = _safe(spec, brief.tweaks, motion, layers, seed)
    motion, master_frames, steps, plan = safe.motion, safe.shots, safe.steps, safe.plan
    checks: list[Check] = [_flash_check(safe)]
    files: list[RenderedFile] = []
    keep = tuple(
        hex_to_rgb(c) for c in (brand.palette.primary, brand.palette.secondary, brand.palette.accent)
    )
    for rendition in spec.renditions:
        size = (rendition.width, rendition.height)
        shots = (
            master_frames
            if size == (spec.master.width, spec.master.height)
            else framing.render_frames(layers, plan, size)
        )
        formats = [spec.image_format] + (["WEBM"] if spec.video else [])
        for fmt in formats:
            label = rendition.label if fmt != "WEBM" else f"{rendition.label}-webm"
            played, durations = _playable(fmt, shots, steps.durations_ms)
            try:
                encoded = encode_animation(
                    played,
                    durations,
                    fmt,
                    loop=motion.loops,
                    byte_cap=spec.byte_cap,
                    keep_colours=keep,
                    fps=motion.fps or spec.motion.fps,
                )
            except EncodeError as exc:
                raise RenderError(str(exc)) from exc
            file_checks = _file_checks(spec, label, fmt, encoded.data, size, motion.loops)
            files.append(
                RenderedFile(
                    label=label,
                    width=rendition.width,
                    height=rendition.height,
                    format=encoded.format,
                    data=encoded.data,
                    checks=file_checks,
                )
            )
            # The asset's report names frames and looping once, from the first file.
            checks.extend(c for c in file_checks if c.code not in ("frames", "loop") or len(files) == 1)
    # The rate made: a long loop at 60 fps meets the row's frame limit first.
    made = dataclasses.replace(motion, fps=round(steps.fps)) if motion.fps else motion
    return Animated(files=tuple(files), checks=tuple(checks), motion=made)


def _playable(
    fmt: str, shots: list[Image.Image], durations: tuple[int, ...]
) -> tuple[list[Image.Image], tuple[int, ...]]:
    """The frames a format can play: a GIF shows no frame shorter than 20 ms (browsers slow it
    to 100 ms), so at 60 fps it keeps every other frame, each shown twice as long."""
    if fmt != "GIF" or min(durations) >= GIF_SHORTEST_MS:
        return shots, durations
    pairs = [durations[i : i + 2] for i in range(0, len(durations), 2)]
    return shots[::2], tuple(sum(pair) for pair in pairs)


@dataclasses.dataclass(frozen=True)
class _Safe:
    """The master's frames as they will ship, and what the flash check made of them."""

    motion: Motion
    shots: list[Image.Image]
    steps: framing.Timing
    plan: framing.Plan
    flashes: FlashResult
    asked: framing.Timing  # the loop as asked for (longer in ``steps`` when the fix slowed it)
    calmed: bool  # the fix also made it move less


def _safe(spec: PlatformSpec, tweaks: Tweaks, motion: Motion, layers: framing.Layers, seed: int) -> _Safe:
    """The master's frames, slowed and calmed until they pass the flash check, or refused.

    A loop at the row's longest cannot be slowed further, and some animations have no amount
    to calm: when an attempt would draw what the last one drew, the design is refused."""
    assert spec.motion is not None
    animation = ANIMATIONS[motion.animation]
    asked = framing.timing(animation, motion, tweaks, spec.motion)
    tried: set[tuple[framing.Timing, float | None]] = set()
    flashes: FlashResult | None = None
    for attempt in range(FIX_ATTEMPTS + 1):
        steps = framing.timing(animation, motion, tweaks, spec.motion)
        amount = motion.amount if animation.calms else None
        if (steps, amount) in tried:
            break  # nothing left that slowing or calming would change
        tried.add((steps, amount))
        plan = framing.plan(layers, animation, motion, tweaks, steps, seed)
        shots = framing.render_frames(layers, plan, (spec.master.width, spec.master.height))
        flashes = flash_check(shots, steps.durations_ms, loop=motion.loops != 1, display=None)
        if flashes.ok:
            return _Safe(motion, shots, steps, plan, flashes, asked, animation.calms and attempt > 0)
        motion = dataclasses.replace(motion, speed=motion.speed * FIX_STEP, amount=motion.amount * FIX_STEP)
    assert flashes is not None
    raise RenderError(
        f"This animation flashes too often to be safe for photosensitive viewers ({flashes.message}), "
        "even slowed down. Try another animation or a calmer design."
    )


def _flash_check(safe: _Safe) -> Check:
    flashes = safe.flashes
    fixed = safe.steps != safe.asked or safe.calmed
    message = flashes.message
    if fixed:
        if safe.steps == safe.asked:
            how = "Calmed (it moves less)"
        else:
            how = f"Slowed to a {safe.steps.seconds:.2f} s loop (from {safe.asked.seconds:.2f} s)"
            how += " and calmed" if safe.calmed else ""
        message = f"{how} so it flashes no more than 3 times a second (WCAG 2.3.1). {flashes.message}"
    return Check(
        code="flash",
        ok=True,
        message=message,
        value=float(max(flashes.general, flashes.red)),
        limit=3.0,
        severity="warning" if fixed else "info",
    )


def _file_checks(
    spec: PlatformSpec, label: str, fmt: str, data: bytes, size: tuple[int, int], loops: int
) -> tuple[Check, ...]:
    """Checks on one animated file, read back from its bytes: what the platform will receive."""
    assert spec.motion is not None
    try:
        played = decode_animation(data)
    except Exception:
        return (verdict("readable", False, f"The {label} file cannot be read."),)
    limit, cap = spec.motion.max_frames, spec.byte_cap
    frames = len(played.frames)
    width, height = played.frames[0].size
    shown = f"{width}×{height} px"
    alpha = bool(np.asarray(played.frames[0].getchannel("A")).min() < 255)
    return (
        verdict(
            "dimensions",
            (width, height) == size,
            f"{label}: {shown}",
            f"{label}: {shown}, but {spec.platform_label} needs {size[0]}×{size[1]} px.",
        ),
        verdict(
            "format",
            played.format == fmt,
            f"{label}: {fmt} file",
            f"{label}: {played.format} file; {spec.platform_label} takes {fmt}.",
        ),
        verdict(
            "frames",
            frames <= limit,
            f"{label}: {frames} frames, {sum(played.durations_ms) / 1000:.2f} s a loop "
            f"(at most {limit} frames).",
            f"{label}: {frames} frames, more than the {limit} {spec.platform_label} allows.",
            value=float(frames),
            limit=float(limit),
        ),
        verdict(
            "bytes",
            cap is None or len(data) <= cap,
            f"{label}: {_kb(len(data))}" + (f" of the {_kb(cap)} limit." if cap else "."),
            f"{label}: {_kb(len(data))} is over the {_kb(cap or 0)} limit.",
            value=float(len(data)),
            limit=float(cap) if cap else None,
        ),
        verdict(
            "transparency",
            alpha or not spec.transparent,
            f"{label}: transparent background.",
            f"{label}: no transparency, but the platform needs it.",
        ),
        verdict(
            "loop",
            fmt == "WEBM" or played.loop == loops,
            f"{label}: "
            + ("loops forever." if loops == 0 else f"plays {loops} time{'s' if loops > 1 else ''}.")
            if fmt != "WEBM"
            else f"{label}: the player loops it (set the OBS media source to loop).",
            f"{label}: plays {played.loop} times instead of {loops}.",
        ),
    )


def _kb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} KB"
