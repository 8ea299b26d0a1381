"""Animated emotes, stickers and alerts as files: what a player reads back from each format (frames,
timing, loops, transparency), the byte-cap ladder, and the same bytes every time."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from generation.engine.motion.encode import (
    ANIMATED_FORMATS,
    EncodeError,
    decode_animation,
    encode_animation,
)

EMOTE_CAP = 512 * 1024
RED = (220, 40, 60)
BRAND_TEAL = (0, 168, 107)
REPO = Path(__file__).resolve().parents[2]


def disc_frames(size: int = 112, count: int = 12) -> list[Image.Image]:
    """An opaque red disc sliding left to right over full transparency: the corners are always
    empty and the centre always covered."""
    frames = []
    for index in range(count):
        frame = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        left = size // 8 + index * size // (4 * count)
        ImageDraw.Draw(frame).ellipse((left, size // 4, left + size // 2, size * 3 // 4), fill=(*RED, 255))
        frames.append(frame)
    return frames


def noisy_frames(amplitude: int = 40, seed: int = 7) -> list[Image.Image]:
    """60 frames of 112 px of grainy colour (a hard case for every codec), with a clear corner."""
    rng = np.random.default_rng(seed)
    rows, columns = np.mgrid[0:112, 0:112]
    frames = []
    for index in range(60):
        base = np.stack([columns * 2 + index * 3, rows * 2, (columns + rows + index * 5) % 256], -1)
        rgb = (base + rng.integers(-amplitude, amplitude + 1, (112, 112, 3))).clip(0, 255)
        alpha = np.full((112, 112), 255)
        alpha[:16, :16] = 0
        frames.append(Image.fromarray(np.dstack([rgb, alpha]).astype(np.uint8)))
    return frames


def webm_digest() -> str:
    """The WebM of the sliding disc, hashed (run in a fresh interpreter too)."""
    data = encode_animation(disc_frames(96, 10), [40] * 10, "WEBM").data
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("fmt", ANIMATED_FORMATS)
def test_every_format_plays_back_its_frames_timing_and_loops(fmt):
    durations = [40, 60] * 6

    encoded = encode_animation(disc_frames(), durations, fmt, loop=3)
    played = decode_animation(encoded.data)

    assert (played.format, encoded.format) == (fmt, fmt)
    assert encoded.frames == len(played.frames) == 12
    assert encoded.duration_ms == sum(durations) == 600
    assert list(played.durations_ms) == durations
    assert {frame.size for frame in played.frames} == {(112, 112)}
    assert played.loop == (None if fmt == "WEBM" else 3)  # a <video loop> repeats WebM
    assert encoded.steps == (encoded.steps[0],)  # no cap: the first, best-looking step


@pytest.mark.parametrize("fmt", ANIMATED_FORMATS)
def test_transparent_background_stays_transparent_and_the_subject_opaque(fmt):
    played = decode_animation(encode_animation(disc_frames(), [40] * 12, fmt).data)

    for frame in played.frames:
        assert frame.getpixel((2, 2))[3] == 0
        assert frame.getpixel((109, 109))[3] == 0
        red, green, blue, alpha = frame.getpixel((56, 56))
        assert alpha == 255
        assert abs(red - RED[0]) + abs(green - RED[1]) + abs(blue - RED[2]) <= 12


@pytest.mark.parametrize("fmt", ANIMATED_FORMATS)
def test_a_moving_subject_leaves_no_trail(fmt):
    played = decode_animation(encode_animation(disc_frames(), [40] * 12, fmt).data)

    first, last = played.frames[0], played.frames[-1]
    assert first.getpixel((17, 56))[3] == 255  # the disc's left edge at the start...
    assert last.getpixel((17, 56))[3] == 0  # ...is empty once the disc has moved on


@pytest.mark.parametrize("fmt", ["GIF", "APNG", "WEBP"])
@pytest.mark.parametrize("loop", [0, 1, 2])
def test_loop_forever_once_or_twice(fmt, loop):
    played = decode_animation(encode_animation(disc_frames(count=4), [50] * 4, fmt, loop=loop).data)

    assert played.loop == loop


@pytest.mark.parametrize("fmt", ANIMATED_FORMATS)
def test_a_held_frame_is_still_counted_and_timed(fmt):
    frames = disc_frames(count=4)
    held = [frames[0], frames[1], frames[1].copy(), frames[1].copy(), frames[2], frames[3]]

    played = decode_animation(encode_animation(held, [40, 50, 60, 70, 80, 90], fmt).data)

    assert list(played.durations_ms) == [40, 50, 60, 70, 80, 90]


def test_gif_keeps_the_loop_length_at_30_fps():
    encoded = encode_animation(disc_frames(count=30), [33, 33, 34] * 10, "GIF")

    durations = decode_animation(encoded.data).durations_ms
    assert encoded.duration_ms == sum(durations) == 1000
    assert set(durations) <= {30, 40}


def test_gif_refuses_60_fps_in_plain_words():
    with pytest.raises(EncodeError, match="30 frames a second"):
        encode_animation(disc_frames(count=6), [17] * 6, "GIF")


def test_a_grainy_emote_over_the_cap_is_fitted_with_fewer_colours():
    frames = noisy_frames()
    assert len(encode_animation(frames, [40] * 60, "GIF").data) > EMOTE_CAP

    fitted = encode_animation(frames, [40] * 60, "GIF", byte_cap=EMOTE_CAP)

    assert len(fitted.data) <= EMOTE_CAP
    assert fitted.steps[0] == "256 colours"
    assert fitted.steps[-1] in {"128 colours", "64 colours", "32 colours"}
    played = decode_animation(fitted.data)
    assert len(played.frames) == 60
    assert set(played.durations_ms) == {40}
    assert played.frames[0].size == (112, 112)
    assert played.frames[59].getpixel((3, 3))[3] == 0


@pytest.mark.parametrize("fmt", ["GIF", "APNG"])
def test_brand_colours_stay_exact_in_a_small_palette(fmt):
    frames = noisy_frames()
    for frame in frames:
        ImageDraw.Draw(frame).rectangle((40, 100, 111, 111), fill=(*BRAND_TEAL, 255))

    fitted = encode_animation(frames, [40] * 60, fmt, byte_cap=290 * 1024, keep_colours=[BRAND_TEAL])

    assert fitted.steps[-1] == "32 colours"
    for frame in decode_animation(fitted.data).frames:
        assert frame.getpixel((50, 105)) == (*BRAND_TEAL, 255)
        assert frame.getpixel((110, 110)) == (*BRAND_TEAL, 255)


@pytest.mark.parametrize(
    ("fmt", "cap", "first", "last"),
    [
        ("APNG", EMOTE_CAP, "lossless", "colours"),
        ("WEBP", EMOTE_CAP, "lossless", "quality"),
        ("WEBM", 150 * 1024, "CRF 24", "CRF"),
    ],
)
def test_each_ladder_fits_the_cap_and_keeps_the_transparency(fmt, cap, first, last):
    assert len(encode_animation(noisy_frames(), [40] * 60, fmt).data) > cap

    fitted = encode_animation(noisy_frames(), [40] * 60, fmt, byte_cap=cap)

    assert len(fitted.data) <= cap
    assert fitted.steps[0] == first
    assert last in fitted.steps[-1]
    played = decode_animation(fitted.data)
    assert (len(played.frames), played.frames[0].size) == (60, (112, 112))
    # WebM's alpha is lossy too: at a high CRF a clear pixel may read 1 of 255, which no one sees.
    assert played.frames[30].getpixel((3, 3))[3] <= (1 if fmt == "WEBM" else 0)
    assert played.frames[30].getpixel((60, 60))[3] == 255


@pytest.mark.parametrize("fmt", ANIMATED_FORMATS)
def test_a_cap_nothing_can_meet_says_so_plainly(fmt):
    with pytest.raises(EncodeError) as raised:
        encode_animation(noisy_frames(amplitude=120), [40] * 60, fmt, byte_cap=8 * 1024)

    message = str(raised.value)
    assert "at the lowest quality we would use, over the 8 KB limit" in message
    assert "fewer frames, a shorter loop or simpler artwork" in message


@pytest.mark.parametrize("fmt", ANIMATED_FORMATS)
def test_the_same_frames_give_the_same_bytes(fmt):
    frames = disc_frames()

    first = encode_animation(frames, [40] * 12, fmt, keep_colours=[RED]).data
    second = encode_animation(disc_frames(), [40] * 12, fmt, keep_colours=[RED]).data

    assert first == second


def test_webm_bytes_are_the_same_in_a_new_process():
    script = "from tests.generation.test_motion_encode import webm_digest; print(webm_digest())"

    fresh = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )

    assert fresh.stdout.strip() == webm_digest()
