"""The frames a flash check looks at, as a viewer sees them: box-averaged to at most 480 px
on a side, composited over light and dark chat when transparent, and decoded per pixel to
WCAG relative luminance and the red quantity of a red flash.

Box-averaging and compositing are in sRGB, as Pillow and browsers do them. Averaging the
colour premultiplied by alpha keeps compositing at the reduced size exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..colors import LINEAR, LUMA_WEIGHTS, RGB

RED_SATURATION = 0.8  # R / (R + G + B) of a saturated red
RED_SCALE = 320.0  # the red quantity is (R - G - B) × this
ANALYSIS_MAX_SIDE = 480

# Light and dark chat (Twitch's dark page), behind a transparent file.
CHAT_BACKGROUNDS: tuple[tuple[str, RGB], ...] = (
    ("a light background", (0xFF, 0xFF, 0xFF)),
    ("a dark background", (0x0E, 0x0E, 0x10)),
)


@dataclass(frozen=True)
class FrameLight:
    """Per pixel of an RGB frame: relative luminance (0–1), the red quantity (0–320) and
    whether it is a saturated red."""

    luminance: np.ndarray
    red: np.ndarray
    saturated_red: np.ndarray


def frame_light(pixels: np.ndarray) -> FrameLight:
    """The light of an (h, w, 3) uint8 sRGB array, decoded with WCAG 2.x's 0.04045 knee."""
    return light_of_planes(np.moveaxis(pixels, -1, 0))


def light_of_planes(planes: np.ndarray) -> FrameLight:
    """``frame_light`` of (3, h, w) planes: one contiguous plane per channel is several
    times quicker to decode and combine than the channels of (h, w, 3)."""
    r, g, b = (LINEAR.take(plane) for plane in planes)
    total = r + g + b
    return FrameLight(
        luminance=r * LUMA_WEIGHTS[0] + g * LUMA_WEIGHTS[1] + b * LUMA_WEIGHTS[2],
        red=np.maximum(r - g - b, 0) * np.float32(RED_SCALE),
        # Black (total 0) is no colour at all, so not a saturated red.
        saturated_red=(total > 0) & (r >= np.float32(RED_SATURATION) * total),
    )


def analysis_factor(size: tuple[int, int]) -> int:
    return max(1, math.ceil(max(size) / ANALYSIS_MAX_SIDE))


def _planes(image: Image.Image) -> np.ndarray:
    return np.stack([np.asarray(band) for band in image.split()])


def reduced(frame: Image.Image, factor: int) -> np.ndarray:
    """(3, h, w) RGB planes, or (4, h, w) RGB premultiplied by alpha and alpha, box-averaged
    by ``factor``: averaging premultiplied values keeps compositing exact at the reduced size."""
    if frame.mode != "RGBA" and frame.mode != "RGB":
        frame = frame.convert("RGBA")
    alpha = frame.getchannel("A") if frame.mode == "RGBA" else None
    if alpha is None or alpha.getextrema()[0] == 255:
        opaque = frame.convert("RGB")
        return _planes(opaque.reduce(factor) if factor > 1 else opaque)
    # Pasted over black through its alpha: premultiplied, quicker than converting to "RGBa".
    premultiplied = Image.new("RGB", frame.size)
    premultiplied.paste(frame, mask=alpha)
    if factor > 1:
        premultiplied, alpha = premultiplied.reduce(factor), alpha.reduce(factor)
    return np.concatenate([_planes(premultiplied), _planes(alpha)])


def _over(planes: np.ndarray, background: RGB) -> np.ndarray:
    """Premultiplied RGB and alpha composited over an opaque colour, as 8-bit RGB (RGB as
    it is): the colour plus the background's share, looked up by alpha."""
    if len(planes) == 3:
        return planes
    rest = 255 - np.arange(256, dtype=np.float32)
    over = []
    for colour, level in zip(planes[:3], background, strict=True):
        share = np.rint(level * rest / 255).astype(np.uint8).take(planes[3])
        over.append(colour + np.minimum(share, 255 - colour))  # never past 255
    return np.stack(over)


def seen_frames(frames: list[np.ndarray]) -> list[tuple[str, list[np.ndarray]]]:
    """``reduced`` frames as seen: as they are when opaque, else over each chat background
    (named)."""
    if all(len(planes) == 3 for planes in frames):
        return [("", frames)]
    return [(name, [_over(p, colour) for p in frames]) for name, colour in CHAT_BACKGROUNDS]


def distinct(plate: list[np.ndarray], durations: Sequence[int]) -> tuple[list[np.ndarray], list[int]]:
    """Runs of identical frames as one frame shown for their total time: a repeated frame
    changes nothing, so it can hold no transition."""
    frames, times = [plate[0]], [durations[0]]
    for pixels, duration in zip(plate[1:], durations[1:], strict=True):
        if np.array_equal(pixels, frames[-1]):
            times[-1] += duration
        else:
            frames.append(pixels)
            times.append(duration)
    return frames, times
