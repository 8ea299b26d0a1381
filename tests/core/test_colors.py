"""Colour maths: hex parsing, WCAG contrast, CIEDE2000 and contrast fixes."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import ValidationError

from brandkits.models import clean_hex
from core.colors import (
    InvalidColour,
    ciede2000,
    contrast_grade,
    contrast_ratio,
    delta_e,
    hex_to_lab,
    hex_to_rgb,
    nearest_passing,
    normalize_hex,
    relative_luminance,
    rgb_to_hex,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#abc", "#AABBCC"),
        ("ABCDEF", "#ABCDEF"),
        (" #aabbcc ", "#AABBCC"),
        ("7c3aed", "#7C3AED"),
        ("#FFF", "#FFFFFF"),
    ],
)
def test_normalize_hex_accepts_the_usual_spellings(value: str, expected: str) -> None:
    assert normalize_hex(value) == expected


@pytest.mark.parametrize(
    "value", ["", "  ", "#abcd", "#GGGGGG", "#aabbcc00", "rgb(1,2,3)", "##abc", None, 0xABCDEF]
)
def test_normalize_hex_refuses_anything_else_in_plain_words(value: object) -> None:
    with pytest.raises(InvalidColour):
        normalize_hex(value)
    with pytest.raises(ValidationError) as caught:
        clean_hex(value)
    assert caught.value.messages == ["Enter a colour as #RRGGBB."]


def test_hex_and_rgb_round_trip() -> None:
    assert hex_to_rgb("#7c3aed") == (124, 58, 237)
    assert rgb_to_hex((124, 58, 237)) == "#7C3AED"
    with pytest.raises(ValueError, match="0–255"):
        rgb_to_hex((256, 0, 0))


def test_relative_luminance_spans_black_to_white() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == pytest.approx(1)
    # Below the 0.04045 threshold the channel is linear: 10/255/12.92 · 0.7152 for pure green.
    assert relative_luminance("#000A00") == pytest.approx(10 / 255 / 12.92 * 0.7152)


def test_contrast_ratios_match_wcag_reference_pairs() -> None:
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21)  # order does not matter
    assert contrast_ratio("#767676", "#FFFFFF") >= 4.5
    assert contrast_ratio("#7C3AED", "#7C3AED") == pytest.approx(1)


@pytest.mark.parametrize(
    ("ratio", "large_text", "grade"),
    [
        (21.0, False, "AAA"),
        (7.0, False, "AAA"),
        (6.99, False, "AA"),
        (4.5, False, "AA"),
        (4.499, False, "AA Large"),  # WCAG does not round up
        (3.0, False, "AA Large"),
        (2.99, False, "fail"),
        (4.5, True, "AAA"),
        (3.0, True, "AA"),
        (2.99, True, "fail"),
    ],
)
def test_contrast_grade(ratio: float, large_text: bool, grade: str) -> None:
    assert contrast_grade(ratio, large_text=large_text) == grade


def _lab_hue(value: str) -> float:
    _, a, b = hex_to_lab(value)
    return math.degrees(math.atan2(b, a)) % 360


@pytest.mark.parametrize(
    ("fg", "bg", "target", "max_delta_e"),
    [
        ("#777777", "#FFFFFF", 4.5, 1.0),  # a hair too light: the fix is barely visible
        ("#F43F5E", "#FFFFFF", 4.5, 8.0),
        ("#7C3AED", "#18181B", 4.5, 12.0),
        ("#3B82F6", "#1E3A8A", 4.5, 15.0),
        ("#F43F5E", "#FFFFFF", 7.0, 25.0),
        ("#22D3EE", "#0E0E10", 3.0, 0.0),  # already passes: returned as is
    ],
)
def test_nearest_passing_reaches_the_target_close_to_the_original(
    fg: str, bg: str, target: float, max_delta_e: float
) -> None:
    fixed = nearest_passing(fg, bg, target=target)
    assert contrast_ratio(fixed, bg) >= target
    assert delta_e(fg, fixed) <= max_delta_e
    if max_delta_e:
        assert abs((_lab_hue(fixed) - _lab_hue(fg) + 180) % 360 - 180) < 10  # same hue family


def test_nearest_passing_keeps_greys_grey() -> None:
    fixed = nearest_passing("#888888", "#FFFFFF")
    r, g, b = hex_to_rgb(fixed)
    assert r == g == b
    assert fixed == "#767676"  # the lightest grey that reaches 4.5:1 on white


def test_nearest_passing_returns_the_strongest_extreme_when_the_target_is_out_of_reach() -> None:
    # Nothing reaches 7:1 on a mid grey; black contrasts a little more than white there.
    fixed = nearest_passing("#7C3AED", "#777777", target=7)
    assert fixed == "#000000"
    assert contrast_ratio(fixed, "#777777") < 7


def test_nearest_passing_normalises_its_input() -> None:
    assert nearest_passing(" #000 ", "fff") == "#000000"
    with pytest.raises(InvalidColour):
        nearest_passing("purple", "#FFFFFF")


def test_delta_e_of_identical_colours_is_zero_and_symmetric() -> None:
    assert delta_e("#7C3AED", "#7c3aed") == 0
    assert delta_e("#7C3AED", "#F43F5E") == pytest.approx(delta_e("#F43F5E", "#7C3AED"))
    assert delta_e("#000000", "#FFFFFF") == pytest.approx(100, abs=0.01)


def test_cielab_of_srgb_red() -> None:
    assert hex_to_lab("#FF0000") == pytest.approx((53.2408, 80.0925, 67.2032), abs=1e-3)


# Rows of Sharma, Wu and Dalal's CIEDE2000 test data (2005): (Lab 1, Lab 2, ΔE00).
SHARMA_ROWS = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab_1", "lab_2", "expected"), SHARMA_ROWS)
def test_ciede2000_matches_sharma_reference_data(
    lab_1: tuple[float, float, float], lab_2: tuple[float, float, float], expected: float
) -> None:
    assert ciede2000(lab_1, lab_2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab_2, lab_1) == pytest.approx(expected, abs=1e-4)
