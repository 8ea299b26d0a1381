"""Colour maths: hex parsing, WCAG luminance and contrast, mixing."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

RGB = tuple[int, int, int]

# The chat backgrounds emotes and badges are judged against.
CHAT_LIGHT: RGB = (255, 255, 255)
CHAT_DARK: RGB = (0x18, 0x18, 0x1B)  # Twitch's dark chat
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@lru_cache(maxsize=512)
def hex_to_rgb(value: str) -> RGB:
    match = _HEX.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a hex colour like #7C3AED")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def rgb_to_hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _channel(value: float) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=4096)
def luminance(rgb: RGB) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _linear_table() -> np.ndarray:
    c = np.arange(256, dtype=np.float32) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


# Linear-light value of each 8-bit sRGB level (float32, as computed per pixel before).
LINEAR = _linear_table()
LUMA_WEIGHTS = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


def luminance_array(pixels: np.ndarray) -> np.ndarray:
    """WCAG luminance of an (..., 3) uint8 array."""
    return LINEAR[pixels] @ LUMA_WEIGHTS


def contrast_array(lum_a: np.ndarray, lum_b: np.ndarray | float) -> np.ndarray:
    hi = np.maximum(lum_a, lum_b)
    lo = np.minimum(lum_a, lum_b)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """``a`` moved a share ``t`` (0–1) of the way towards ``b``."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def darken(rgb: RGB, t: float) -> RGB:
    return mix(rgb, BLACK, t)


def lighten(rgb: RGB, t: float) -> RGB:
    return mix(rgb, WHITE, t)


def distance(a: RGB, b: RGB) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)


def saturation(rgb: RGB) -> float:
    hi, lo = max(rgb), min(rgb)
    return 0.0 if hi == 0 else (hi - lo) / hi


def chat_contrast(rgb: RGB) -> float:
    """The worse of the contrasts against light and dark chat: high means it reads on both."""
    return min(contrast_ratio(rgb, CHAT_LIGHT), contrast_ratio(rgb, CHAT_DARK))
