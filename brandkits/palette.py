"""Suggest a brand palette (and a font pairing) from an image, usually the creator's logo.

Deterministic: the same image always gives the same colours, roles and fonts. The image is
downscaled, quantized with Pillow's median cut (no randomness), and near-duplicate colours are
merged by CIEDE2000 so anti-aliasing and JPEG noise do not fill the palette with shades.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

from core.colors import (
    AA_NORMAL,
    BLACK,
    WHITE,
    chroma,
    contrast_ratio,
    delta_e,
    relative_luminance,
    rgb_to_hex,
)

from .font_choices import DEFAULT_BODY_FONT, DEFAULT_HEADING_FONT

ColorRole = Literal["background", "text", "primary", "secondary", "accent", "extra"]


@dataclass(frozen=True)
class SuggestedColor:
    hex: str  # "#RRGGBB"
    role: ColorRole
    share: float  # of the image's visible pixels, 0–1; 0.0 for a colour added for contrast


SAMPLE_SIDE = 160  # downscale to at most this many pixels a side: plenty for colour statistics
QUANTIZE_COLORS = 16
MERGE_DELTA_E = 10.0  # closer than this reads as one colour
MIN_SHARE = 0.01  # smaller patches are mostly edge blends and noise
VISIBLE_ALPHA = 128  # pixels more transparent than this do not count
NEUTRAL_CHROMA = 20.0  # CIELAB chroma below this reads as a grey/near-black/near-white
SATURATED_CHROMA = 25.0


@dataclass
class _Cluster:
    hex: str
    count: int
    chroma: float


def _visible_pixels(image: Image.Image) -> tuple[np.ndarray, bool]:
    """The visible pixels of a small copy as an (n, 3) uint8 array, and whether any were hidden."""
    sample = image.convert("RGBA")  # P with transparency, LA, CMYK … all become RGBA
    sample.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(sample).reshape(-1, 4)
    visible = pixels[:, 3] >= VISIBLE_ALPHA
    return np.ascontiguousarray(pixels[visible, :3]), bool((~visible).any())


def _clusters(pixels: np.ndarray) -> list[_Cluster]:
    """Median-cut colours with their pixel counts, near-duplicates merged, largest first."""
    strip = Image.frombytes("RGB", (len(pixels), 1), pixels.tobytes())
    quantized = strip.quantize(
        colors=QUANTIZE_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette = quantized.getpalette() or []
    counted: list[tuple[int, str]] = []
    for count, index in quantized.getcolors() or []:
        assert isinstance(index, int)  # a "P" image counts palette indexes
        r, g, b = palette[3 * index : 3 * index + 3]
        counted.append((count, rgb_to_hex((r, g, b))))
    counted.sort(key=lambda item: (-item[0], item[1]))
    merged: list[_Cluster] = []
    for count, hex_ in counted:
        # The bigger cluster keeps its exact colour: a logo's flat fills come out exact.
        home = next((c for c in merged if delta_e(c.hex, hex_) < MERGE_DELTA_E), None)
        if home is None:
            merged.append(_Cluster(hex_, count, chroma(hex_)))
        else:
            home.count += count
    merged.sort(key=lambda c: (-c.count, c.hex))
    return merged


def _score(cluster: _Cluster, total: int) -> float:
    """How strongly a colour reads as *the* brand colour: vivid and frequent."""
    return cluster.chroma * cluster.count / total


def extract_palette(image: Image.Image, *, count: int = 6) -> list[SuggestedColor]:
    """Up to ``count`` colours from ``image`` with roles, in role order.

    - background: the largest low-chroma colour when there is a substantial one, else the
      largest colour. On a transparent image the vivid colours are the logo itself, so
      without a neutral one the background is plain black or white (share 0), whichever
      sets off the main colour better.
    - text: the neutral image colour with the best contrast on the background if it reaches
      4.5:1; otherwise pure white or black (share 0). Vivid colours are kept for the brand roles.
    - primary, secondary, accent: the vivid colours by chroma × area, then the rest by area.
    - extra: whatever is left, up to ``count``.

    Fully (and mostly) transparent pixels are ignored. An image with no visible pixels gives [].
    """
    if count < 2:
        raise ValueError("a palette needs at least a background and a text colour")
    pixels, has_hidden = _visible_pixels(image)
    if len(pixels) == 0:
        return []
    total = len(pixels)
    found = _clusters(pixels)
    clusters = [c for c in found if c.count / total >= MIN_SHARE] or found[:1]

    def suggested(cluster: _Cluster, role: ColorRole) -> SuggestedColor:
        return SuggestedColor(cluster.hex, role, round(cluster.count / total, 4))

    largest = clusters[0].count
    neutrals = [c for c in clusters if c.chroma < NEUTRAL_CHROMA]
    vivid_first = sorted(clusters, key=lambda c: (-_score(c, total), c.hex))
    background: SuggestedColor
    # A neutral at least half the size of the largest colour reads as the backdrop.
    big_neutrals = [c for c in neutrals if c.count >= largest / 2]
    if big_neutrals:
        background = suggested(big_neutrals[0], "background")
    elif has_hidden and neutrals:
        background = suggested(neutrals[0], "background")
    elif has_hidden:
        lead = vivid_first[0].hex
        best = max((BLACK, WHITE), key=lambda extreme: (contrast_ratio(extreme, lead), extreme))
        background = SuggestedColor(best, "background", 0.0)
    else:
        background = suggested(clusters[0], "background")
    rest = [c for c in clusters if c.hex != background.hex]

    readable = [
        c for c in rest if c.chroma < NEUTRAL_CHROMA and contrast_ratio(c.hex, background.hex) >= AA_NORMAL
    ]
    if readable:
        best_text = max(readable, key=lambda c: (contrast_ratio(c.hex, background.hex), c.count, c.hex))
        text = suggested(best_text, "text")
        rest = [c for c in rest if c is not best_text]
    else:
        extreme = max((WHITE, BLACK), key=lambda e: (contrast_ratio(e, background.hex), e))
        text = SuggestedColor(extreme, "text", 0.0)

    vivid = sorted(
        (c for c in rest if c.chroma >= SATURATED_CHROMA), key=lambda c: (-_score(c, total), c.hex)
    )
    others = sorted((c for c in rest if c.chroma < SATURATED_CHROMA), key=lambda c: (-c.count, c.hex))
    roles: tuple[ColorRole, ...] = ("primary", "secondary", "accent")
    palette = [background, text]
    for index, cluster in enumerate([*vivid, *others][: count - 2]):
        palette.append(suggested(cluster, roles[index] if index < len(roles) else "extra"))
    return palette


# --- Fonts -----------------------------------------------------------------------------------

# Heading family → a readable sans for body text that sits well beside it.
_BODY_FOR: dict[str, str] = {
    "fredoka-one": "lato",
    "fjalla-one": "roboto",
    "red-hat-display": "source-sans-pro",
    "manrope": "hanken-grotesk",
    "amatic-sc": "lato",
}

# (vivid palette, dark background) → heading. Vivid gets a display face: condensed and punchy
# on dark, rounded and friendly on light. Muted gets a clean sans.
_HEADING_FOR: dict[tuple[bool, bool], str] = {
    (True, True): "fjalla-one",
    (True, False): "fredoka-one",
    (False, True): "red-hat-display",
    (False, False): "manrope",
}

_MOOD_WORDS: dict[str, frozenset[str]] = {
    "fredoka-one": frozenset(
        {
            "cute",
            "cozy",
            "cosy",
            "kawaii",
            "playful",
            "fun",
            "wholesome",
            "cartoon",
            "bubbly",
            "friendly",
            "vtuber",
            "silly",
        }
    ),
    "fjalla-one": frozenset(
        {
            "hype",
            "esports",
            "competitive",
            "fps",
            "bold",
            "loud",
            "intense",
            "action",
            "aggressive",
            "energetic",
            "epic",
        }
    ),
    "amatic-sc": frozenset({"handwritten", "hand", "drawn", "doodle", "sketch", "artsy", "crafty", "diary"}),
    "manrope": frozenset(
        {"clean", "minimal", "minimalist", "professional", "calm", "chill", "elegant", "sleek", "muted"}
    ),
    "red-hat-display": frozenset({"tech", "modern", "corporate", "serious", "techy"}),
}


def suggest_font_pairing(palette: list[SuggestedColor], *, mood_hint: str = "") -> tuple[str, str]:
    """(heading font key, body font key) from the bundled families, for a palette's character.

    A mood word in ``mood_hint`` ("cozy", "esports", "minimal", …) decides first. Otherwise a
    vivid palette gets a display heading (Fjalla One on a dark background, Fredoka One on a
    light one) and a muted palette a clean sans (Red Hat Display on dark, Manrope on light).
    The body font is always a readable sans.
    """
    words = set(re.findall(r"[a-z]+", mood_hint.lower()))
    for heading, mood in _MOOD_WORDS.items():
        if words & mood:
            return heading, _BODY_FOR[heading]
    if not palette:
        return DEFAULT_HEADING_FONT, DEFAULT_BODY_FONT

    background = next((c.hex for c in palette if c.role == "background"), palette[0].hex)
    dark = relative_luminance(background) < 0.18
    brand = [c for c in palette if c.role in ("primary", "secondary", "accent")]
    vivid_share = sum(c.share for c in brand if chroma(c.hex) >= 45)
    strongest = max((contrast_ratio(c.hex, background) for c in brand), default=1.0)
    vivid = vivid_share >= 0.15 and strongest >= 3.0
    heading = _HEADING_FOR[(vivid, dark)]
    return heading, _BODY_FOR[heading]
