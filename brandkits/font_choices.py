"""The bundled font families a brand kit can name, by the render engine's keys.

brandkits comes before generation in the dependency order, so it cannot read the engine's
``generation.engine.fonts.FONTS``. This list mirrors the engine's *bundled* families (shipped
as ``font-*`` Python packages, so every install has them); a test checks that the keys stay in
step. The engine's optional system families (Inter, Bebas Neue, League Spartan) are left out
on purpose: they are only present when a Debian fonts package is installed, and offering a
font that then renders as the fallback would break the promise that brand fonts are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FontCategory = Literal["display", "sans", "serif", "handwritten"]


@dataclass(frozen=True)
class FontChoice:
    key: str
    name: str
    category: FontCategory


# Display faces first, then the readable sans families, then handwriting: the order forms show.
BUNDLED_FONTS: tuple[FontChoice, ...] = (
    FontChoice("fredoka-one", "Fredoka One", "display"),
    FontChoice("fjalla-one", "Fjalla One", "display"),
    FontChoice("roboto", "Roboto", "sans"),
    FontChoice("red-hat-display", "Red Hat Display", "sans"),
    FontChoice("lato", "Lato", "sans"),
    FontChoice("manrope", "Manrope", "sans"),
    FontChoice("source-sans-pro", "Source Sans Pro", "sans"),
    FontChoice("hanken-grotesk", "Hanken Grotesk", "sans"),
    FontChoice("amatic-sc", "Amatic SC", "handwritten"),
)

FONTS_BY_KEY: dict[str, FontChoice] = {font.key: font for font in BUNDLED_FONTS}
FONT_KEYS: frozenset[str] = frozenset(FONTS_BY_KEY)

# For a model field's or form field's ``choices``: (key, display name).
FONT_CHOICES: list[tuple[str, str]] = [(font.key, font.name) for font in BUNDLED_FONTS]

DEFAULT_HEADING_FONT = "red-hat-display"
DEFAULT_BODY_FONT = "roboto"  # the engine's own last-resort family


def font_name(key: str) -> str:
    """The display name for a bundled font key, or the key itself when it is not bundled."""
    font = FONTS_BY_KEY.get(key)
    return font.name if font else key
