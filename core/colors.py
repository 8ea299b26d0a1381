"""Colour maths: hex parsing, WCAG luminance, contrast and grades, CIEDE2000 and contrast fixes.

The one colour module: the brand kits, the coach and the render engine all parse, linearise
and compare colours here (the engine's NumPy helpers in ``generation.engine.colors`` build on
the same constants). Plain functions over ``#RRGGBB`` strings and ``(r, g, b)`` tuples.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

RGB = tuple[int, int, int]
Lab = tuple[float, float, float]
ContrastGrade = Literal["AAA", "AA", "AA Large", "fail"]

WHITE = "#FFFFFF"
BLACK = "#000000"

# WCAG 2.x thresholds: 4.5:1 for body text (AA), 7:1 (AAA); large text needs 3:1 and 4.5:1.
AA_NORMAL = 4.5
AAA_NORMAL = 7.0
AA_LARGE = 3.0

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_HEX_CODE = re.compile(r"#[0-9a-fA-F]{6}")


class InvalidColour(ValueError):
    """A value that is not a colour written as ``#RGB`` or ``#RRGGBB``."""


def normalize_hex(value: object) -> str:
    """``"#abc"``, ``"ABCDEF"``, ``" #aabbcc "`` → ``"#AABBCC"``; anything else is InvalidColour."""
    match = _HEX.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise InvalidColour(f"{value!r} is not a hex colour like #7C3AED")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def is_hex_code(value: str) -> bool:
    """Exactly ``#RRGGBB`` (either case), as a stored or exchanged colour is written."""
    return _HEX_CODE.fullmatch(value) is not None


@lru_cache(maxsize=512)
def hex_to_rgb(value: str) -> RGB:
    digits = normalize_hex(value)[1:]
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def rgb_to_hex(rgb: tuple[int, int, int]) -> str:
    if len(rgb) != 3 or any(not isinstance(v, int) or not 0 <= v <= 255 for v in rgb):
        raise ValueError(f"{rgb!r} is not three 0–255 integers")
    return "#{:02X}{:02X}{:02X}".format(*rgb)


# --- WCAG ----------------------------------------------------------------------------------

# sRGB decoding as WCAG 2.x writes it (its 0.04045 threshold, not IEC's 0.03928), and the
# luminance weights of the linear channels.
SRGB_KNEE = 0.04045
LUMA_WEIGHTS = (0.2126, 0.7152, 0.0722)
# The flare WCAG adds to both luminances of a contrast ratio.
_FLARE = 0.05


def linear_below_knee(c: Any) -> Any:
    """Linear light of a 0–1 sRGB value at or below ``SRGB_KNEE`` (a float or a NumPy array)."""
    return c / 12.92


def linear_above_knee(c: Any) -> Any:
    """Linear light of a 0–1 sRGB value above ``SRGB_KNEE`` (a float or a NumPy array)."""
    return ((c + 0.055) / 1.055) ** 2.4


def _linear(channel: float) -> float:
    """One 8-bit sRGB channel in linear light."""
    c = channel / 255
    return linear_below_knee(c) if c <= SRGB_KNEE else linear_above_knee(c)


@lru_cache(maxsize=4096)
def luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance of an 8-bit colour: 0 for black, 1 for white."""
    r, g, b = (_linear(v) for v in rgb)
    return LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b


def relative_luminance(value: str) -> float:
    """WCAG 2.x relative luminance of a hex colour: 0 for black, 1 for white."""
    return luminance(hex_to_rgb(value))


def ratio_of(lighter: Any, darker: Any) -> Any:
    """(L1 + 0.05) / (L2 + 0.05) for the lighter and darker luminance (floats or NumPy arrays)."""
    return (lighter + _FLARE) / (darker + _FLARE)


def _ratio(lum_a: float, lum_b: float) -> float:
    return ratio_of(max(lum_a, lum_b), min(lum_a, lum_b))


def rgb_contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two 8-bit colours: 1 (none) to 21 (black on white)."""
    return _ratio(luminance(a), luminance(b))


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05) of two hex colours: 1 (none) to 21."""
    return _ratio(relative_luminance(fg), relative_luminance(bg))


def contrast_grade(ratio: float, *, large_text: bool = False) -> ContrastGrade:
    """The WCAG level a contrast ratio reaches. WCAG does not round: 4.49:1 is not AA.

    For normal text, "AA Large" means the pair is only good enough for large text
    (18 pt, or 14 pt bold). For large text the thresholds drop to 3:1 (AA) and 4.5:1 (AAA).
    """
    if large_text:
        if ratio >= AA_NORMAL:
            return "AAA"
        return "AA" if ratio >= AA_LARGE else "fail"
    if ratio >= AAA_NORMAL:
        return "AAA"
    if ratio >= AA_NORMAL:
        return "AA"
    return "AA Large" if ratio >= AA_LARGE else "fail"


# --- CIELAB and CIEDE2000 -------------------------------------------------------------------

_D65 = (0.95047, 1.0, 1.08883)


def _lab_f(t: float) -> float:
    delta = 6 / 29
    return t ** (1 / 3) if t > delta**3 else t / (3 * delta**2) + 4 / 29


def rgb_to_lab(rgb: RGB) -> Lab:
    """CIELAB (D65) of an 8-bit sRGB colour."""
    r, g, b = (_linear(v) for v in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / _D65[0]
    y = (0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / _D65[1]
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / _D65[2]
    fx, fy, fz = _lab_f(x), _lab_f(y), _lab_f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def hex_to_lab(value: str) -> Lab:
    return rgb_to_lab(hex_to_rgb(value))


def ciede2000(lab_1: Lab, lab_2: Lab) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), following Sharma, Wu and Dalal (2005)."""
    l1, a1, b1 = lab_1
    l2, a2, b2 = lab_2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    d_l = l2 - l1
    d_c = c2p - c1p
    if c1p * c2p == 0:
        d_h = 0.0
    elif abs(h2p - h1p) <= 180:
        d_h = h2p - h1p
    elif h2p - h1p > 180:
        d_h = h2p - h1p - 360
    else:
        d_h = h2p - h1p + 360
    d_hh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(d_h / 2))

    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_mean = (h1p + h2p + 360) / 2
    else:
        hp_mean = (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(hp_mean - 30))
        + 0.24 * math.cos(math.radians(2 * hp_mean))
        + 0.32 * math.cos(math.radians(3 * hp_mean + 6))
        - 0.20 * math.cos(math.radians(4 * hp_mean - 63))
    )
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_hh / s_h) ** 2 + r_t * (d_c / s_c) * (d_hh / s_h)
    )


def delta_e(hex_a: str, hex_b: str) -> float:
    """Perceptual difference (CIEDE2000) between two colours: under ~2 is hard to tell apart."""
    return ciede2000(hex_to_lab(hex_a), hex_to_lab(hex_b))


def chroma(value: str) -> float:
    """CIELAB chroma: 0 for greys, roughly 30+ for clearly coloured, 100+ for the most vivid."""
    _, a, b = hex_to_lab(value)
    return math.hypot(a, b)


# --- OKLab / OKLCH (for lightness changes that keep the hue) ---------------------------------


def _to_oklab(rgb: RGB) -> Lab:
    r, g, b = (_linear(v) for v in rgb)
    # sRGB colours have non-negative LMS responses; max() only guards against rounding.
    l_ = max(0.0, 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    m_ = max(0.0, 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    s_ = max(0.0, 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _oklab_to_linear(lab: Lab) -> tuple[float, float, float]:
    lightness, a, b = lab
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    lc, mc, sc = l_**3, m_**3, s_**3
    return (
        4.0767416621 * lc - 3.3077115913 * mc + 0.2309699292 * sc,
        -1.2684380046 * lc + 2.6097574011 * mc - 0.3413193965 * sc,
        -0.0041960863 * lc - 0.7034186147 * mc + 1.7076147010 * sc,
    )


def _encode(linear: float) -> int:
    linear = min(1.0, max(0.0, linear))
    c = linear * 12.92 if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
    return round(c * 255)


_GAMUT_EPSILON = 1e-6


def _oklch_to_rgb(lightness: float, chroma_: float, hue: float) -> RGB:
    """OKLCH → 8-bit sRGB, lowering chroma (never hue or lightness) until the colour fits sRGB."""

    def linear_at(c: float) -> tuple[float, float, float]:
        return _oklab_to_linear((lightness, c * math.cos(hue), c * math.sin(hue)))

    def in_gamut(values: tuple[float, float, float]) -> bool:
        return all(-_GAMUT_EPSILON <= v <= 1 + _GAMUT_EPSILON for v in values)

    if not in_gamut(linear_at(chroma_)):
        lo, hi = 0.0, chroma_
        for _ in range(24):
            mid = (lo + hi) / 2
            if in_gamut(linear_at(mid)):
                lo = mid
            else:
                hi = mid
        chroma_ = lo
    r, g, b = linear_at(chroma_)
    return (_encode(r), _encode(g), _encode(b))


def nearest_passing(fg: str, bg: str, *, target: float = AA_NORMAL) -> str:
    """The colour closest to ``fg`` that reaches ``target`` contrast against ``bg``.

    Only OKLCH lightness moves (hue kept; chroma kept as far as sRGB allows), both lighter and
    darker are tried, and the candidate with the smallest CIEDE2000 difference from ``fg`` wins.
    ``fg`` itself comes back (normalised) when it already passes. When no colour can reach the
    target against ``bg`` (e.g. 7:1 on a mid grey), black or white, whichever contrasts more,
    is returned: callers should check ``contrast_ratio`` of the result before calling it AA/AAA.
    """
    fg, bg = normalize_hex(fg), normalize_hex(bg)
    if contrast_ratio(fg, bg) >= target:
        return fg
    fg_rgb = hex_to_rgb(fg)
    bg_lum = relative_luminance(bg)
    lightness, a, b = _to_oklab(fg_rgb)
    hue, chroma_ = math.atan2(b, a), math.hypot(a, b)
    if chroma_ < 1e-4:  # a grey: float noise in a/b must not tint it
        chroma_ = 0.0

    def at(lightness_: float) -> RGB:
        return _oklch_to_rgb(lightness_, chroma_, hue)

    def passes(rgb: RGB, lighter: bool) -> bool:
        lum = luminance(rgb)
        return (lum > bg_lum if lighter else lum < bg_lum) and _ratio(lum, bg_lum) >= target

    candidates: list[str] = []
    for lighter, bound in ((True, 1.0), (False, 0.0)):
        # Keep ``far`` passing and ``near`` failing; the answer is ``far`` when they meet. The
        # check runs on the rounded 8-bit colour, so the result passes exactly as stored.
        near, far = lightness, bound
        if not passes(at(far), lighter):
            continue
        for _ in range(32):
            mid = (near + far) / 2
            if passes(at(mid), lighter):
                far = mid
            else:
                near = mid
        candidates.append(rgb_to_hex(at(far)))
    if not candidates:
        return max((WHITE, BLACK), key=lambda extreme: contrast_ratio(extreme, bg))
    return min(candidates, key=lambda candidate: (delta_e(fg, candidate), candidate))


def nearest_passing_all(fg: str, backgrounds: Iterable[str], *, target: float = AA_NORMAL) -> str | None:
    """The colour closest to ``fg`` that reaches ``target`` against every one of ``backgrounds``
    (a text colour is set on several), or None when no colour of its hue does.

    Like ``nearest_passing``, only OKLCH lightness moves. Passing against several backgrounds
    can mean being lighter than one and darker than another, so the search walks from ``fg``'s
    lightness both ways to the first passing lightness (steps of 1/256), then bisects the
    boundary on the rounded 8-bit colour; the nearer of the two by CIEDE2000 wins.
    """
    fg = normalize_hex(fg)
    lums = [relative_luminance(normalize_hex(bg)) for bg in backgrounds]

    def passes(rgb: RGB) -> bool:
        lum = luminance(rgb)
        return all(_ratio(lum, bg_lum) >= target for bg_lum in lums)

    if passes(hex_to_rgb(fg)):
        return fg
    lightness, a, b = _to_oklab(hex_to_rgb(fg))
    hue, chroma_ = math.atan2(b, a), math.hypot(a, b)
    if chroma_ < 1e-4:  # a grey stays grey
        chroma_ = 0.0

    def at(lightness_: float) -> RGB:
        return _oklch_to_rgb(lightness_, chroma_, hue)

    candidates: list[str] = []
    for direction in (1, -1):
        near = lightness
        for step in range(1, 257):
            far = min(1.0, max(0.0, lightness + direction * step / 256))
            if passes(at(far)):
                for _ in range(32):  # ``near`` fails, ``far`` passes
                    mid = (near + far) / 2
                    if passes(at(mid)):
                        far = mid
                    else:
                        near = mid
                candidates.append(rgb_to_hex(at(far)))
                break
            if far in (0.0, 1.0):
                break
            near = far
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: (delta_e(fg, candidate), candidate))
