"""The engine's colour helpers: NumPy luminance and contrast over pixel arrays, mixing, chat contrast.

Parsing, WCAG luminance and contrast ratios are ``core.colors``'s (re-exported here for the
engine's modules); the arrays below decode sRGB with its constants, in float32.
"""

from __future__ import annotations

import numpy as np

from core.colors import (
    LUMA_WEIGHTS as _LUMA_WEIGHTS,
)
from core.colors import (
    RGB,
    SRGB_KNEE,
    hex_to_rgb,
    linear_above_knee,
    linear_below_knee,
    luminance,
    ratio_of,
    rgb_to_hex,
)
from core.colors import rgb_contrast as contrast_ratio

__all__ = [
    "BLACK",
    "CHAT_DARK",
    "CHAT_LIGHT",
    "LINEAR",
    "LUMA_WEIGHTS",
    "RGB",
    "WHITE",
    "chat_contrast",
    "contrast_array",
    "contrast_ratio",
    "darken",
    "distance",
    "hex_to_rgb",
    "lighten",
    "luminance",
    "luminance_array",
    "mix",
    "rgb_to_hex",
    "saturation",
]

# The chat backgrounds emotes and badges are judged against.
CHAT_LIGHT: RGB = (255, 255, 255)
CHAT_DARK: RGB = (0x18, 0x18, 0x1B)  # Twitch's dark chat
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)


def _linear_table() -> np.ndarray:
    c = np.arange(256, dtype=np.float32) / 255.0
    return np.where(c <= SRGB_KNEE, linear_below_knee(c), linear_above_knee(c)).astype(np.float32)


# Linear-light value of each 8-bit sRGB level (float32, as computed per pixel before).
LINEAR = _linear_table()
LUMA_WEIGHTS = np.array(_LUMA_WEIGHTS, dtype=np.float32)


def luminance_array(pixels: np.ndarray) -> np.ndarray:
    """WCAG luminance of an (..., 3) uint8 array."""
    return LINEAR[pixels] @ LUMA_WEIGHTS


def contrast_array(lum_a: np.ndarray, lum_b: np.ndarray | float) -> np.ndarray:
    return ratio_of(np.maximum(lum_a, lum_b), np.minimum(lum_a, lum_b))


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
