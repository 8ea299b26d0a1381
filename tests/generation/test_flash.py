"""The WCAG 2.3.1 flash check on animated assets, against hand-computed cases."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from PIL import Image

from generation.engine.motion.flash import MAX_FLASHES_PER_SECOND, flash_check, slowed_to_safe
from generation.engine.motion.flash_frames import frame_light

FULL_HD = (1920, 1080)
BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
RED = (255, 0, 0)


def solid(colour: tuple[int, int, int], size: tuple[int, int] = FULL_HD) -> Image.Image:
    return Image.new("RGB", size, colour)


def strobe(a: Image.Image, b: Image.Image, frames: int) -> list[Image.Image]:
    return [a if i % 2 == 0 else b for i in range(frames)]


def luminance_of(colour: tuple[int, int, int]) -> float:
    return float(frame_light(np.array([[colour]], dtype=np.uint8)).luminance[0, 0])


def patch(colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> Image.Image:
    """A black full-HD frame with a rectangle (left, top, right, bottom) of ``colour``."""
    frame = solid(BLACK)
    frame.paste(colour, box)
    return frame


# --- Luminance and red ----------------------------------------------------------------------


def test_relative_luminance_of_white_black_mid_grey_and_red():
    assert luminance_of(WHITE) == pytest.approx(1.0, abs=5e-5)
    assert luminance_of(BLACK) == 0
    # 128/255 = 0.50196 → ((0.50196 + 0.055) / 1.055) ** 2.4 = 0.21586
    assert luminance_of((0x80, 0x80, 0x80)) == pytest.approx(0.2159, abs=5e-5)
    assert luminance_of(RED) == pytest.approx(0.2126, abs=5e-5)


def test_pure_red_is_a_saturated_red_of_quantity_320_and_black_and_white_are_not_red():
    light = frame_light(np.array([[RED, BLACK, WHITE]], dtype=np.uint8))
    assert light.red.tolist()[0] == pytest.approx([320.0, 0.0, 0.0])
    assert light.saturated_red.tolist() == [[True, False, False]]


# --- How often ------------------------------------------------------------------------------


def test_a_full_screen_strobe_of_eight_changes_a_second_fails():
    result = flash_check(strobe(solid(BLACK), solid(WHITE), 16), [125] * 16)
    assert not result.ok
    assert result.general == 4  # 8 opposing transitions a second
    assert result.red == 0
    assert result.message.startswith("Flashes 4 times a second (the limit is 3)")


def test_three_flashes_a_second_passes():
    result = flash_check(strobe(solid(BLACK), solid(WHITE), 6), [167] * 6)
    assert result.ok
    assert result.general == MAX_FLASHES_PER_SECOND
    assert result.message.startswith("No more than 3 flashes in any second")


def test_a_fade_up_and_down_once_a_second_passes():
    levels = [0, 64, 128, 192, 255, 255, 192, 128, 64, 0]
    frames = [solid((v, v, v)) for v in levels]
    result = flash_check(frames, [100] * len(frames))
    assert result.ok
    assert result.general == 1
    assert (
        result.message == "No more than 1 flash in any second: safe for photosensitive viewers (WCAG 2.3.1)."
    )


def test_windows_are_in_time_so_frames_of_different_lengths_count_where_they_fall():
    frames = strobe(solid(BLACK), solid(WHITE), 8)
    # Seven changes within 350 ms, then a long hold: all in one second.
    assert not flash_check(frames, [50] * 7 + [1000], loop=False).ok
    # Seven changes 170 ms apart span 1020 ms: no second holds more than six.
    spread = flash_check(frames, [170] * 8, loop=False)
    assert spread.ok
    assert spread.general == 3


def test_two_halves_swapping_black_and_white_flash_like_the_whole_screen():
    # Each frame one half gets lighter and the other darker: both are flashing.
    left_lit = patch(WHITE, (0, 0, 960, 1080))
    right_lit = patch(WHITE, (960, 0, 1920, 1080))
    result = flash_check(strobe(left_lit, right_lit, 16), [125] * 16)
    assert not result.ok
    assert result.general == 4


# --- How much of the screen -----------------------------------------------------------------

# On a 1920×1080 screen the 10° field (341×256 px of 1024×768) is 639.375 × 360 px, so the
# flash area threshold is 25 % of 230,175 px = 57,543.75 px. Rectangles on 4 px boundaries
# (the check looks at 1080p frames in 4×4 blocks): 232 × 248 = 57,536 px is 7.75 px under,
# 240 × 240 = 57,600 px is 56.25 px over.


def test_a_strobe_just_under_the_flash_area_passes():
    lit = patch(WHITE, (400, 200, 400 + 232, 200 + 248))
    result = flash_check(strobe(solid(BLACK), lit, 16), [125] * 16)
    assert result.ok
    assert result.general == 0


def test_the_same_strobe_just_over_the_flash_area_fails():
    lit = patch(WHITE, (400, 200, 400 + 240, 200 + 240))
    result = flash_check(strobe(solid(BLACK), lit, 16), [125] * 16)
    assert not result.ok
    assert result.general == 4


def test_flashing_patches_far_apart_count_only_as_much_as_one_field_holds():
    # Two 200 × 200 patches in opposite corners: 80,000 px together, but no 639 × 360 field
    # holds more than one (40,000 px). One 320 × 250 patch of the same 80,000 px fails.
    apart = patch(WHITE, (0, 0, 200, 200))
    apart.paste(WHITE, (1720, 880, 1920, 1080))
    assert flash_check(strobe(solid(BLACK), apart, 16), [125] * 16).ok
    together = patch(WHITE, (800, 400, 800 + 320, 400 + 250))
    assert not flash_check(strobe(solid(BLACK), together, 16), [125] * 16).ok


def test_the_same_area_seen_at_half_size_covers_a_quarter_as_much_of_the_eye():
    lit = patch(WHITE, (400, 200, 400 + 240, 200 + 240))
    result = flash_check(strobe(solid(BLACK), lit, 16), [125] * 16, display=(960, 540))
    assert result.ok


def test_an_emote_flashing_over_a_quarter_of_itself_fails_and_under_passes():
    # A 112 px emote is smaller than the field: the field is the emote, 25 % of 112² = 3,136 px.
    def flashing(width: int) -> list[Image.Image]:
        lit = solid(BLACK, (112, 112))
        lit.paste(WHITE, (0, 0, width, 56))
        return strobe(solid(BLACK, (112, 112)), lit, 16)

    assert not flash_check(flashing(56), [125] * 16).ok  # 56 × 56 = 3,136 px
    assert flash_check(flashing(55), [125] * 16).ok  # 55 × 56 = 3,080 px


# --- How big a change -----------------------------------------------------------------------


def test_a_dark_grey_pair_less_than_a_tenth_apart_never_counts():
    dark, less_dark = (0x20, 0x20, 0x20), (0x50, 0x50, 0x50)
    assert luminance_of(less_dark) - luminance_of(dark) == pytest.approx(0.0658, abs=5e-4)
    result = flash_check(strobe(solid(dark), solid(less_dark), 16), [125] * 16)
    assert result.ok
    assert result.general == 0
    assert result.message == "No flashes: safe for photosensitive viewers (WCAG 2.3.1)."


def test_a_light_pair_counts_only_when_the_darker_is_below_0_8():
    assert luminance_of((0xE8, 0xE8, 0xE8)) == pytest.approx(0.8070, abs=5e-4)
    assert luminance_of((0xE7, 0xE7, 0xE7)) == pytest.approx(0.7991, abs=5e-4)
    both_light = flash_check(strobe(solid((0xE8, 0xE8, 0xE8)), solid(WHITE), 16), [125] * 16)
    assert both_light.ok
    assert both_light.general == 0
    darker_below = flash_check(strobe(solid((0xE7, 0xE7, 0xE7)), solid(WHITE), 16), [125] * 16)
    assert not darker_below.ok


# --- Red --------------------------------------------------------------------------------------


def test_a_saturated_red_and_black_strobe_is_a_red_flash():
    result = flash_check(strobe(solid(RED), solid(BLACK), 16), [125] * 16)
    assert not result.ok
    assert result.red == 4
    assert result.general == 4  # 0.2126 apart, so a general flash too


def test_a_desaturated_red_of_the_same_luminance_is_no_red_flash():
    pinkish = (203, 92, 92)
    assert luminance_of(pinkish) == pytest.approx(luminance_of(RED), abs=0.002)
    light = frame_light(np.array([[pinkish]], dtype=np.uint8))
    # R/(R+G+B) = 0.597 / (0.597 + 2 × 0.107) = 0.74: redder than black by far more than a red
    # change (quantity 123), but not a saturated red.
    assert light.red[0, 0] == pytest.approx(122.6, abs=0.5)
    assert not light.saturated_red[0, 0]
    result = flash_check(strobe(solid(pinkish), solid(BLACK), 16), [125] * 16)
    assert result.red == 0
    assert result.general == 4


def test_saturated_red_against_grey_of_equal_luminance_fails_on_red_alone():
    grey = (0x7F, 0x7F, 0x7F)
    assert abs(luminance_of(grey) - luminance_of(RED)) < 0.1
    result = flash_check(strobe(solid(RED), solid(grey), 16), [125] * 16)
    assert not result.ok
    assert result.general == 0
    assert result.red == 4
    assert result.message.startswith("Flashes saturated red 4 times a second")


# --- Hysteresis -------------------------------------------------------------------------------

# Grey levels about 0.03 apart in luminance: 0, 0.030, 0.058, 0.089, 0.120.
FADE = [0, 48, 67, 84, 97]


def test_the_fade_steps_are_each_small_and_add_up_to_a_tenth():
    steps = [luminance_of((v, v, v)) for v in FADE]
    assert all(0 < later - earlier < 0.04 for earlier, later in pairwise(steps))
    assert steps[-1] - steps[0] >= 0.1
    assert steps[-2] - steps[0] < 0.1


def test_a_slow_fade_in_small_steps_counts_once_when_it_adds_up_to_a_tenth():
    frames = [solid((v, v, v)) for v in FADE]
    result = flash_check(frames, [25] * len(frames), loop=False)
    assert result.general == 1  # one transition, at the last step
    assert result.at_seconds == pytest.approx(0.1)


def test_a_fade_up_and_down_five_times_a_second_is_five_flashes():
    cycle = FADE + FADE[-2:0:-1]  # 0 … 97 … 48: eight frames of 25 ms
    frames = [solid((v, v, v)) for v in cycle]
    result = flash_check(frames, [25] * len(frames))
    assert not result.ok
    assert result.general == 5


def test_jitter_smaller_than_a_tenth_never_counts():
    frames = strobe(solid((67, 67, 67)), solid((97, 97, 97)), 30)
    assert flash_check(frames, [20] * 30).general == 0


# --- Looping --------------------------------------------------------------------------------


def test_a_looping_two_frame_animation_counts_the_seam():
    frames = [solid(BLACK), solid(WHITE)]
    once = flash_check(frames, [125, 125], loop=False)
    assert once.ok
    assert once.general == 1
    looping = flash_check(frames, [125, 125])
    assert not looping.ok
    assert looping.general == 4  # white → black at every seam: 8 transitions a second


# --- Transparent emotes ---------------------------------------------------------------------


def emote(centre: tuple[int, int, int, int] | None, subject: np.ndarray | None = None) -> Image.Image:
    pixels = np.zeros((112, 112, 4), dtype=np.uint8)  # transparent
    if centre is not None:
        pixels[24:88, 24:88] = centre
    if subject is not None:
        pixels[24:88, 24:88] = subject
    return Image.fromarray(pixels)


def test_a_transparent_emote_with_a_strobing_opaque_centre_fails():
    # 64 × 64 = 4,096 opaque px, over a quarter of the emote (3,136 px).
    frames = strobe(emote((0, 0, 0, 255)), emote((255, 255, 255, 255)), 16)
    result = flash_check(frames, [125] * 16)
    assert not result.ok
    assert result.general == 4
    assert "background" in result.message


def test_a_half_transparent_strobe_is_judged_on_the_chat_it_shows_against():
    clear = emote(None)
    # Half-transparent white: #878788 or so against dark chat, nothing against light chat.
    white = flash_check(strobe(clear, emote((255, 255, 255, 128)), 16), [125] * 16)
    assert not white.ok
    assert "over a dark background" in white.message
    black = flash_check(strobe(clear, emote((0, 0, 0, 128)), 16), [125] * 16)
    assert not black.ok
    assert "over a light background" in black.message


def test_a_transparent_emote_with_a_turning_black_and_white_subject_passes():
    subject = np.zeros((64, 64, 4), dtype=np.uint8)
    subject[:, :, 3] = 255
    subject[:, 32:, :3] = 255  # left half black, right half white
    frames = [emote(None, np.rot90(subject, k).copy()) for k in range(16)]
    # A quarter turn every 125 ms: two 32 × 32 quadrants (1,024 px each) change each frame.
    result = flash_check(frames, [125] * 16)
    assert result.ok
    assert result.general == 0


# --- Slowing an unsafe design ------------------------------------------------------------------


def test_a_strobe_a_little_too_fast_is_slowed_to_a_safe_pace():
    frames = strobe(solid(BLACK), solid(WHITE), 16)
    slowed = slowed_to_safe(frames, [125] * 16)
    assert slowed is not None
    durations, result = slowed
    # 1.25× (156 ms) still fits seven changes in a second; 1.5× (188 ms) fits six.
    assert durations == [188] * 16
    assert result.ok
    assert result.general == 3


def test_a_safe_design_keeps_its_pace_and_a_60_fps_strobe_is_refused():
    frames = strobe(solid(BLACK), solid(WHITE), 6)
    assert slowed_to_safe(frames, [167] * 6) == ([167] * 6, flash_check(frames, [167] * 6))
    small = (192, 108)  # shown full screen: the same flash, quicker to check seven times
    fast = strobe(solid(BLACK, small), solid(WHITE, small), 60)
    assert slowed_to_safe(fast, [16] * 60, display=FULL_HD) is None


def test_frames_and_durations_must_match():
    with pytest.raises(ValueError, match="durations"):
        flash_check([solid(BLACK)], [100, 100])
