"""WCAG 2.3.1 "Three Flashes or Below Threshold" for an animated asset's frames.

The definitions are WCAG 2.x's (Understanding SC 2.3.1, after ITU-R BT.1702 and Harding):

- A pixel makes a *general transition* when its relative luminance changes by 0.1 or more
  and the darker of the two states is below 0.8. Each pixel is measured from its last
  extreme (hysteresis): a fade over several frames that adds up to 0.1 is one transition,
  jitter smaller than 0.1 is none, and a pixel that keeps rising makes one rise, not many.
- A *red transition* is a change of more than 20 in ``max(0, (R - G - B) * 320)`` (linear
  0–1 channels) where at least one of the two states is saturated red, R/(R+G+B) >= 0.8.
- A frame holds a transition only when the pixels making it, in the same direction, cover a
  quarter of a 10° visual field somewhere (a summed-area table finds the fullest window).
- A flash is a pair of opposing transitions; more than three in any one-second window
  (seven transitions of alternating direction) fails, for general and red flashes apart.

Choices of this module:

- The 10° field is 341×256 px of a 1024×768 screen, so 639×360 px of the 1920×1080 screen
  an asset is judged on. ``display`` is the size, in pixels of that screen, the asset is
  seen at; None means its own pixels (scaled down to fit the screen if larger). Assets
  smaller than the field (emotes, stickers) use the field cut to their own size, so a
  quarter of the asset flashing fails: platforms forbid flashing emotes anyway.
- Frames longer than 480 px on a side are analysed box-averaged to fit (in sRGB, as
  Pillow's ``reduce`` does, which keeps a 60-frame 1080p check well under a second): the
  area is counted in blocks, with the flash-area threshold scaled to match.
- Transparent frames are composited (in sRGB, as browsers do) over light chat (#FFFFFF) and
  dark chat (#0E0E10); the worse is reported.
- A looping animation plays again: its seam (last frame to first) is a transition like any
  other, and it plays on until every window starting in the first play has had its second.
- Frame times are the durations given (GIF frames may differ); none may be 0 ms.

``flash_check`` judges an animation; ``slowed_to_safe`` finds the least slowdown that passes,
or None for a design to refuse. ``flash_frames`` prepares the frames.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

import numpy as np
from PIL import Image

from .flash_frames import FrameLight, analysis_factor, distinct, light_of_planes, reduced, seen_frames

MAX_FLASHES_PER_SECOND = 3
# A flash is two opposing transitions.
MAX_TRANSITIONS_PER_SECOND = 2 * MAX_FLASHES_PER_SECOND
WINDOW_MS = 1000

GENERAL_CHANGE = 0.1  # a change in relative luminance of 10 % or more …
DARKER_BELOW = 0.8  # … where the darker state is below this luminance
RED_CHANGE = 20.0  # a red transition changes the red quantity by more than this
FLASH_AREA_SHARE = 0.25  # of the 10° field

# The 10° visual field WCAG measures on a 1024×768 screen, and the screen assets are seen on.
REFERENCE_FIELD = (341.0, 256.0)
REFERENCE_SCREEN = (1024, 768)
SCREEN = (1920, 1080)

RISE, FALL, BOTH = 1, -1, 2  # a frame's transition: lighter, darker, or both in different places


@dataclass(frozen=True)
class FlashResult:
    ok: bool
    general: int  # most general flashes in any one-second window
    red: int  # most red flashes in any one-second window
    at_seconds: float  # where the worst window starts
    message: str  # plain language for the creator


# --- The 10° field ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """The sliding window, in analysed pixels, and how many of them a transition must cover."""

    width: int
    height: int
    threshold: float


def _shown_size(size: tuple[int, int]) -> tuple[float, float]:
    fit = min(1.0, SCREEN[0] / size[0], SCREEN[1] / size[1])
    return size[0] * fit, size[1] * fit


def field_for(size: tuple[int, int], display: tuple[int, int] | None = None) -> Field:
    """The 10° field for frames of ``size`` seen at ``display`` (pixels of a 1920×1080
    screen), cut to the frame, at the analysed scale."""
    shown = display or _shown_size(size)
    screen_field = (
        REFERENCE_FIELD[0] * SCREEN[0] / REFERENCE_SCREEN[0],
        REFERENCE_FIELD[1] * SCREEN[1] / REFERENCE_SCREEN[1],
    )
    width = min(screen_field[0] * size[0] / shown[0], size[0])
    height = min(screen_field[1] * size[1] / shown[1], size[1])
    factor = analysis_factor(size)
    columns, rows = math.ceil(size[0] / factor), math.ceil(size[1] / factor)
    return Field(
        width=min(columns, max(1, round(width / factor))),
        height=min(rows, max(1, round(height / factor))),
        threshold=FLASH_AREA_SHARE * width * height / factor**2,
    )


def _covers(mask: np.ndarray, field: Field) -> bool:
    """Whether the marked pixels inside some field-sized window reach the threshold."""
    table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int32)
    np.cumsum(np.cumsum(mask, axis=0, dtype=np.int32), axis=1, out=table[1:, 1:])
    h, w = field.height, field.width
    sums = table[h:, w:] - table[:-h, w:] - table[h:, :-w] + table[:-h, :-w]
    return bool(sums.max() >= field.threshold)


@dataclass(frozen=True)
class _Pixels:
    """The pixels of a frame that change enough over the animation to make a transition, by
    flat index: only they are tracked, which in most animations is a small part."""

    index: np.ndarray
    shape: tuple[int, int]
    field: Field
    every: bool  # all of them: no indexing needed

    @classmethod
    def changing(cls, planes: list[np.ndarray], least: float, field: Field) -> _Pixels:
        low, high = planes[0].copy(), planes[0].copy()
        for plane in planes[1:]:
            np.minimum(low, plane, out=low)
            np.maximum(high, plane, out=high)
        index = np.flatnonzero(high - low >= least)
        return cls(index, (low.shape[0], low.shape[1]), field, index.size == low.size)

    def of(self, plane: np.ndarray) -> np.ndarray:
        return plane.reshape(-1) if self.every else plane.reshape(-1).take(self.index)

    def covers(self, chosen: np.ndarray) -> bool:
        if np.count_nonzero(chosen) < self.field.threshold:
            return False
        mask = chosen if self.every else np.zeros(self.shape[0] * self.shape[1], dtype=bool)
        if not self.every:
            mask[self.index[chosen]] = True
        return _covers(mask.reshape(self.shape), self.field)

    def direction(self, rise: np.ndarray, fall: np.ndarray) -> int:
        """The frame's transition: pixels making it in one direction cover enough area."""
        up, down = self.covers(rise), self.covers(fall)
        return BOTH if up and down else RISE if up else FALL if down else 0


# --- Per-pixel transitions ------------------------------------------------------------------


def _chosen(mask: np.ndarray, new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """``new`` where ``mask``, else ``old``: arithmetic, which unlike ``np.where`` does not
    slow down several times over on scattered masks."""
    if new.dtype == np.bool_:
        return (new & mask) | (old & ~mask)
    return new * mask + old * ~mask


class _Swings:
    """Per tracked pixel, the lowest and highest value since its last counted transition and
    that transition's direction (0 before any): a transition is measured from the extreme."""

    def __init__(self, frames: list[np.ndarray], pixels: _Pixels) -> None:
        self.frames, self.pixels = frames, pixels
        self.low = frames[0].copy()
        self.high = frames[0].copy()
        self.direction = np.zeros(frames[0].shape, dtype=np.int8)

    def extend(self, values: np.ndarray) -> None:
        np.minimum(self.low, values, out=self.low)
        np.maximum(self.high, values, out=self.high)

    def settle(self, values: np.ndarray, rise: np.ndarray, fall: np.ndarray) -> np.ndarray:
        """Restart the pixels that made a transition from where they are now; those pixels."""
        moved = rise | fall
        if not moved.any():
            return moved
        self.low = _chosen(moved, values, self.low)
        self.high = _chosen(moved, values, self.high)
        self.direction = self.direction * ~moved + rise.view(np.int8) - fall.view(np.int8)
        return moved

    def state(self) -> tuple[np.ndarray, ...]:
        return (self.low, self.high, self.direction)


class _GeneralSwings(_Swings):
    def step(self, index: int) -> int:
        """Show frame ``index``: the frame's general transition (RISE, FALL, BOTH or 0)."""
        luminance = self.frames[index]
        self.extend(luminance)
        rise = (self.direction != RISE) & (luminance - self.low >= GENERAL_CHANGE)
        rise &= self.low < DARKER_BELOW
        fall = (self.direction != FALL) & (self.high - luminance >= GENERAL_CHANGE)
        fall &= (luminance < DARKER_BELOW) & ~rise
        self.settle(luminance, rise, fall)
        return self.pixels.direction(rise, fall)


class _RedSwings(_Swings):
    """Also keeps whether the lowest and highest states were saturated red."""

    def __init__(self, frames: list[np.ndarray], saturated: list[np.ndarray], pixels: _Pixels) -> None:
        super().__init__(frames, pixels)
        self.saturated = saturated
        self.low_saturated = saturated[0].copy()
        self.high_saturated = saturated[0].copy()

    def step(self, index: int) -> int:
        """Show frame ``index``: the frame's red transition (RISE, FALL, BOTH or 0)."""
        red, saturated = self.frames[index], self.saturated[index]
        self.low_saturated = _chosen(red < self.low, saturated, self.low_saturated)
        self.high_saturated = _chosen(red > self.high, saturated, self.high_saturated)
        self.extend(red)
        rise = (self.direction != RISE) & (red - self.low > RED_CHANGE)
        rise &= saturated | self.low_saturated
        fall = (self.direction != FALL) & (self.high - red > RED_CHANGE)
        fall &= (saturated | self.high_saturated) & ~rise
        moved = self.settle(red, rise, fall)
        self.low_saturated = _chosen(moved, saturated, self.low_saturated)
        self.high_saturated = _chosen(moved, saturated, self.high_saturated)
        return self.pixels.direction(rise, fall)

    def state(self) -> tuple[np.ndarray, ...]:
        return (*super().state(), self.low_saturated, self.high_saturated)


_Trackers = tuple[_GeneralSwings | None, _RedSwings | None]


def _swings(lights: list[FrameLight], field: Field) -> _Trackers:
    """Trackers of the pixels whose luminance or red changes enough to ever count (None if none)."""
    lit = _Pixels.changing([x.luminance for x in lights], GENERAL_CHANGE, field)
    reddish = _Pixels.changing([x.red for x in lights], RED_CHANGE, field)
    general = _GeneralSwings([lit.of(x.luminance) for x in lights], lit)
    red = _RedSwings(
        [reddish.of(x.red) for x in lights], [reddish.of(x.saturated_red) for x in lights], reddish
    )
    return (general if lit.index.size else None, red if reddish.index.size else None)


# --- The timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    at_ms: int
    general: int
    red: int


def _play(swings: _Trackers, starts: list[int], first: int, until: int) -> list[_Event]:
    """Frames ``first`` onwards of one play, each shown at its start time (before ``until``):
    the frames that hold a transition."""
    general, red = swings
    events = []
    for index in range(first, len(starts)):
        if starts[index] >= until:
            break
        lighter_or_darker = general.step(index) if general else 0
        redder_or_less = red.step(index) if red else 0
        if lighter_or_darker or redder_or_less:
            events.append(_Event(starts[index], lighter_or_darker, redder_or_less))
    return events


def _timeline(lights: list[FrameLight], durations: list[int], loop: bool, field: Field) -> list[_Event]:
    """Every frame that holds a transition, with its start time. The first frame is where
    things start; a loop plays on until every window starting in the first play has had its
    full second, and once a play starts from the same per-pixel state as the one before, the
    rest repeat it."""
    starts = [0, *accumulate(durations)][:-1]
    period = sum(durations)
    swings = _swings(lights, field)
    end = period + WINDOW_MS if loop and len(lights) > 1 else period
    events = _play(swings, starts, 1, end)
    if end <= period:
        return events
    before = _state(swings)
    for play in range(1, math.ceil(end / period)):
        offset = play * period
        latest = _play(swings, [offset + at for at in starts], 0, end)
        events += latest
        now = _state(swings)
        if _same(now, before):  # periodic from here on
            for again in range(play + 1, math.ceil(end / period)):
                shift = (again - play) * period
                events += [_Event(e.at_ms + shift, e.general, e.red) for e in latest if e.at_ms + shift < end]
            break
        before = now
    return events


def _state(swings: _Trackers) -> tuple[np.ndarray, ...]:
    return tuple(a.copy() for s in swings if s for a in s.state())


def _same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _most_in_a_second(events: list[tuple[int, int]]) -> tuple[int, int]:
    """The most transitions of alternating direction in any one-second window, and where
    that window starts (ms). A transition in the same direction as the one before (a rise
    after a rise) continues it rather than adding one."""
    if not events:
        return 0, 0
    adds = [1] + [0 if code == before and code != BOTH else 1 for (_, before), (_, code) in pairwise(events)]
    added = [0, *accumulate(adds)]
    times = [at for at, _ in events]
    best, best_at = 0, 0
    for first, start in enumerate(times):
        last = bisect_left(times, start + WINDOW_MS)
        count = 1 + added[last] - added[first + 1]
        if count > best:
            best, best_at = count, start
    return best, best_at


# --- The check ------------------------------------------------------------------------------


def _flashes(transitions: int) -> int:
    return math.ceil(transitions / 2)


@dataclass(frozen=True)
class _Judged:
    general: int  # transitions in the worst one-second window
    red: int
    at_ms: int
    where: str


def _judge(
    plate: list[np.ndarray], durations: Sequence[int], *, loop: bool, field: Field, where: str
) -> _Judged:
    frames, times = distinct(plate, durations)
    events = _timeline([light_of_planes(f) for f in frames], times, loop, field)
    general, general_at = _most_in_a_second([(e.at_ms, e.general) for e in events if e.general])
    red, red_at = _most_in_a_second([(e.at_ms, e.red) for e in events if e.red])
    at = general_at if general >= red else red_at
    return _Judged(general, red, at % sum(times) if loop else at, where)


def _message(judged: _Judged) -> str:
    general, red = _flashes(judged.general), _flashes(judged.red)
    if max(judged.general, judged.red) <= MAX_TRANSITIONS_PER_SECOND:
        most = max(general, red)
        if most == 0:
            return "No flashes: safe for photosensitive viewers (WCAG 2.3.1)."
        flashes = "flash" if most == 1 else "flashes"
        return f"No more than {most} {flashes} in any second: safe for photosensitive viewers (WCAG 2.3.1)."
    parts = []
    if judged.general > MAX_TRANSITIONS_PER_SECOND:
        parts.append(f"flashes {general} times a second")
    if judged.red > MAX_TRANSITIONS_PER_SECOND:
        parts.append(f"flashes saturated red {red} times a second")
    said = " and ".join(parts)
    where = f" over {judged.where}" if judged.where else ""
    return (
        f"{said[0].upper()}{said[1:]} (the limit is {MAX_FLASHES_PER_SECOND}) from "
        f"{judged.at_ms / 1000:.1f} s{where}: this can cause seizures in photosensitive viewers "
        "(WCAG 2.3.1). Slow the animation down or make the flashing part smaller."
    )


def _validate(
    frames: Sequence[Image.Image], durations_ms: Sequence[int], display: tuple[int, int] | None
) -> None:
    if display is not None and min(display) <= 0:
        raise ValueError(f"{display} is no size to be seen at")
    if not frames:
        raise ValueError("no frames to check")
    if len(frames) != len(durations_ms):
        raise ValueError(f"{len(frames)} frames but {len(durations_ms)} durations")
    if any(d <= 0 for d in durations_ms):
        raise ValueError("every frame needs a duration above 0 ms")
    if any(f.size != frames[0].size for f in frames):
        raise ValueError("frames differ in size")


def flash_check(
    frames: Sequence[Image.Image],
    durations_ms: Sequence[int],
    *,
    loop: bool = True,
    display: tuple[int, int] | None = None,
) -> FlashResult:
    """Whether an animation stays within WCAG 2.3.1: at most three general and three red
    flashes in any one second. ``frames`` are Pillow images of one size (RGB, RGBA, or any
    mode Pillow converts to RGBA); ``durations_ms`` how long each is shown; ``display`` the
    size it is seen at, in pixels of a 1920×1080 screen (None: its own pixels)."""
    _validate(frames, durations_ms, display)
    return _checked(_seen(frames, display), durations_ms, loop)


# How much slower ``slowed_to_safe`` may play an animation, step by step.
SLOWER = (1.25, 1.5, 2.0, 2.5, 3.0, 4.0)


def slowed_to_safe(
    frames: Sequence[Image.Image],
    durations_ms: Sequence[int],
    *,
    loop: bool = True,
    display: tuple[int, int] | None = None,
) -> tuple[list[int], FlashResult] | None:
    """The durations that play the animation the least slower (up to 4×) that passes
    ``flash_check``, with that check's result; the durations as they are if it passes
    already, and None when even 4× slower flashes too often: a design to refuse."""
    _validate(frames, durations_ms, display)
    seen = _seen(frames, display)
    for factor in (1.0, *SLOWER):
        slowed = [max(1, round(d * factor)) for d in durations_ms]
        result = _checked(seen, slowed, loop)
        if result.ok:
            return slowed, result
    return None


_Seen = tuple[list[tuple[str, list[np.ndarray]]], Field]


def _seen(frames: Sequence[Image.Image], display: tuple[int, int] | None) -> _Seen:
    size = frames[0].size
    factor = analysis_factor(size)
    return seen_frames([reduced(frame, factor) for frame in frames]), field_for(size, display)


def _checked(seen: _Seen, durations_ms: Sequence[int], loop: bool) -> FlashResult:
    plates, field = seen
    judged = [_judge(plate, durations_ms, loop=loop, field=field, where=name) for name, plate in plates]
    worst = max(judged, key=lambda j: (max(j.general, j.red), j.general + j.red))
    return FlashResult(
        ok=max(worst.general, worst.red) <= MAX_TRANSITIONS_PER_SECOND,
        general=_flashes(worst.general),
        red=_flashes(worst.red),
        at_seconds=worst.at_ms / 1000,
        message=_message(worst),
    )
