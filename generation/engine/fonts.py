"""The fonts the engine sets text in.

Bundled families come from the ``font-*`` Python packages (each ships its TTF/OTF files inside
the package), so every install has them. A few system families (Inter, Bebas Neue, League
Spartan from Debian's fonts-* packages) are offered when installed. A brand kit names a family
by key; an uploaded brand font is passed as an absolute path to its TTF/OTF file.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageFont

FontCategory = Literal["display", "sans", "serif", "handwritten"]

WEIGHTS: dict[str, int] = {
    "thin": 100,
    "extralight": 200,
    "light": 300,
    "regular": 400,
    "medium": 500,
    "semibold": 600,
    "bold": 700,
    "extrabold": 800,
    "black": 900,
}

FONT_SUFFIXES = (".ttf", ".otf")
DEFAULT_FONT = "roboto"  # Apache-licensed, many weights, wide glyph coverage: the last resort


@dataclass(frozen=True)
class FontFamily:
    key: str
    name: str
    category: FontCategory
    licence: str  # "OFL" | "Apache"
    weights: dict[str, Path] = field(default_factory=dict)  # weight name → file
    source: str = ""  # the Python package or system folder it comes from

    def nearest(self, weight: str) -> Path:
        """The file for ``weight``, or the closest weight (heavier wins a tie)."""
        if weight in self.weights:
            return self.weights[weight]
        wanted = WEIGHTS.get(weight, 700)
        return min(
            self.weights.items(),
            key=lambda item: (abs(WEIGHTS[item[0]] - wanted), -WEIGHTS[item[0]]),
        )[1]


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "files"


# (key, display name, category, licence, package, {weight: file name})
_BUNDLED: tuple[tuple[str, str, FontCategory, str, str, dict[str, str]], ...] = (
    (
        "fredoka-one",
        "Fredoka One",
        "display",
        "OFL",
        "font_fredoka_one",
        {"regular": "FredokaOne-Regular.ttf"},
    ),
    ("fjalla-one", "Fjalla One", "display", "OFL", "font_fjallaone", {"regular": "FjallaOne-Regular.ttf"}),
    (
        "roboto",
        "Roboto",
        "sans",
        "Apache",
        "font_roboto",
        {
            "thin": "Roboto-Thin.ttf",
            "light": "Roboto-Light.ttf",
            "regular": "Roboto-Regular.ttf",
            "medium": "Roboto-Medium.ttf",
            "bold": "Roboto-Bold.ttf",
            "black": "Roboto-Black.ttf",
        },
    ),
    (
        "red-hat-display",
        "Red Hat Display",
        "sans",
        "OFL",
        "font_rhd",
        {
            "light": "RedHatDisplay-Light.ttf",
            "regular": "RedHatDisplay-Regular.ttf",
            "medium": "RedHatDisplay-Medium.ttf",
            "semibold": "RedHatDisplay-SemiBold.ttf",
            "bold": "RedHatDisplay-Bold.ttf",
            "extrabold": "RedHatDisplay-ExtraBold.ttf",
            "black": "RedHatDisplay-Black.ttf",
        },
    ),
    (
        "lato",
        "Lato",
        "sans",
        "OFL",
        "font_lato",
        {
            "thin": "Lato-Thin.ttf",
            "light": "Lato-Light.ttf",
            "regular": "Lato-Regular.ttf",
            "bold": "Lato-Bold.ttf",
            "black": "Lato-Black.ttf",
        },
    ),
    (
        "manrope",
        "Manrope",
        "sans",
        "OFL",
        "font_manrope",
        {
            "extralight": "Manrope-ExtraLight.ttf",
            "light": "Manrope-Light.ttf",
            "regular": "Manrope-Regular.ttf",
            "medium": "Manrope-Medium.ttf",
            "semibold": "Manrope-SemiBold.ttf",
            "bold": "Manrope-Bold.ttf",
            "extrabold": "Manrope-ExtraBold.ttf",
        },
    ),
    (
        "source-sans-pro",
        "Source Sans Pro",
        "sans",
        "OFL",
        "font_source_sans_pro",
        {
            "extralight": "SourceSansPro-ExtraLight.ttf",
            "light": "SourceSansPro-Light.ttf",
            "regular": "SourceSansPro-Regular.ttf",
            "semibold": "SourceSansPro-Semibold.ttf",
            "bold": "SourceSansPro-Bold.ttf",
            "black": "SourceSansPro-Black.ttf",
        },
    ),
    (
        "hanken-grotesk",
        "Hanken Grotesk",
        "sans",
        "OFL",
        "font_hanken_grotesk",
        {
            "light": "HankenGrotesk-Light.otf",
            "regular": "HankenGrotesk-Regular.otf",
            "medium": "HankenGrotesk-Medium.otf",
            "semibold": "HankenGrotesk-SemiBold.otf",
            "bold": "HankenGrotesk-Bold.otf",
        },
    ),
    (
        "amatic-sc",
        "Amatic SC",
        "handwritten",
        "OFL",
        "font_amatic_sc",
        {"regular": "AmaticSC-Regular.ttf", "bold": "AmaticSC-Bold.ttf"},
    ),
)

# (key, display name, category, folders to look in, {weight: file name stems})
_SYSTEM: tuple[tuple[str, str, FontCategory, tuple[str, ...], dict[str, str]], ...] = (
    (
        "inter",
        "Inter",
        "sans",
        ("/usr/share/fonts/opentype/inter", "/usr/share/fonts/truetype/inter"),
        {
            "light": "Inter-Light",
            "regular": "Inter-Regular",
            "medium": "Inter-Medium",
            "semibold": "Inter-SemiBold",
            "bold": "Inter-Bold",
            "extrabold": "Inter-ExtraBold",
            "black": "Inter-Black",
        },
    ),
    (
        "bebas-neue",
        "Bebas Neue",
        "display",
        ("/usr/share/fonts/truetype/bebas-neue", "/usr/share/fonts/opentype/bebas-neue"),
        {"regular": "BebasNeue-Regular", "bold": "BebasNeue-Bold"},
    ),
    (
        "league-spartan",
        "League Spartan",
        "sans",
        ("/usr/share/fonts/opentype/league-spartan", "/usr/share/fonts/truetype/league-spartan"),
        {"regular": "LeagueSpartan-Regular", "bold": "LeagueSpartan-Bold", "black": "LeagueSpartan-Black"},
    ),
)


def _discover() -> dict[str, FontFamily]:
    fonts: dict[str, FontFamily] = {}
    for key, name, category, licence, package, files in _BUNDLED:
        folder = _package_dir(package)
        if folder is None:
            continue
        weights = {w: folder / f for w, f in files.items() if (folder / f).is_file()}
        if weights:
            fonts[key] = FontFamily(key, name, category, licence, weights, source=package)
    for key, name, category, folders, stems in _SYSTEM:
        weights = {}
        for weight, stem in stems.items():
            for system_folder in folders:
                for suffix in (".otf", ".ttf"):
                    candidate = Path(system_folder) / f"{stem}{suffix}"
                    if weight not in weights and candidate.is_file():
                        weights[weight] = candidate
        if weights:
            fonts[key] = FontFamily(key, name, category, "OFL", weights, source=folders[0])
    return fonts


FONTS: dict[str, FontFamily] = _discover()


def is_font_file(value: str) -> bool:
    path = Path(value)
    return path.is_absolute() and path.suffix.lower() in FONT_SUFFIXES and path.is_file()


def font_path(key: str, weight: str = "bold") -> Path:
    """The file for a family key (or an absolute path to an uploaded TTF/OTF) at ``weight``.

    An unknown key or a missing file falls back to the default family rather than failing a
    render: the creator still gets their asset, set in a clean sans.
    """
    if key and is_font_file(key):
        return Path(key)
    family = FONTS.get(key) or FONTS.get(DEFAULT_FONT) or next(iter(FONTS.values()), None)
    if family is None:  # pragma: no cover - the font packages are dependencies
        raise LookupError("no fonts are installed")
    return family.nearest(weight)


@lru_cache(maxsize=256)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size)


def load_font(key: str, size: int, weight: str = "bold") -> ImageFont.FreeTypeFont:
    """A cached FreeType font for a family key (or font file path) at a pixel size."""
    return _load(str(font_path(key, weight)), max(1, int(size)))


@lru_cache(maxsize=64)
def _codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
            return frozenset(cmap)
    except Exception:  # an unreadable cmap: assume it covers everything and let FreeType draw
        return frozenset()


def covers(path: Path, text: str) -> bool:
    """True when the font file has a glyph for every visible character of ``text``."""
    points = _codepoints(str(path))
    if not points:
        return True
    return all(ord(ch) in points for ch in text if not ch.isspace())


def font_for_text(key: str, text: str, weight: str = "bold") -> Path:
    """``font_path`` unless that font lacks a glyph ``text`` needs; then a family that has them."""
    first = font_path(key, weight)
    if covers(first, text):
        return first
    for fallback in (DEFAULT_FONT, "inter", "source-sans-pro"):
        if fallback in FONTS:
            candidate = FONTS[fallback].nearest(weight)
            if covers(candidate, text):
                return candidate
    for folder in ("/usr/share/fonts/truetype/dejavu",):
        system = Path(folder) / (
            "DejaVuSans-Bold.ttf" if WEIGHTS.get(weight, 700) >= 600 else "DejaVuSans.ttf"
        )
        if system.is_file() and covers(system, text):
            return system
    return first


def load_font_file(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return _load(str(path), max(1, int(size)))
