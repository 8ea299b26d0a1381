"""The engine's own value types. No SDK or Django type crosses this boundary.

The platform types (``PlatformSpec``, ``Rect``, ``Rendition``) are the registry's, in ``platforms``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from platforms.types import PlatformSpec, Rect

# --- Brand -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    primary: str = "#7C3AED"
    secondary: str = "#DB2777"
    accent: str = "#22D3EE"
    background: str = "#0F0B1E"
    text: str = "#FFFFFF"
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class BrandSnapshot:
    """Everything the engine needs from a brand kit, frozen at the time a job starts."""

    name: str = "AuraStream default"
    palette: Palette = field(default_factory=Palette)
    heading_font: str = "fredoka-one"  # a key of generation.engine.fonts.FONTS
    body_font: str = "manrope"
    logo_png: bytes | None = None  # trimmed, transparent PNG
    art_style: str = ""  # "flat vector", "3D glossy", "pixel art" …
    mood: str = ""  # "hype", "cozy" …
    keywords: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    voice: str = ""
    channel_name: str = ""
    tagline: str = ""
    schedule: str = ""


# --- What to make ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tweaks:
    """Refinements asked for in words ("brighter", "bigger text"), as numbers the engine applies
    exactly (see ``engine/refine.py``). The defaults change nothing."""

    brightness: float = 1.0  # the art, lighter above 1, darker below
    contrast: float = 1.0  # the art's contrast
    text_scale: float = 1.0  # the room the words get, so their size
    accent_art: bool = False  # paint the art in the brand's accent colour
    glow: float = 0.0  # a halo in the accent colour around the headline (0: none)
    logo_side: str = ""  # "left" or "right" for the corner logo; "": the layout's own
    # Animated assets: how fast and how far the motion goes, over the creator's own choice.
    motion_speed: float = 1.0  # "faster" above 1, "slower" below
    motion_amount: float = 1.0  # "less shake" below 1, "more bounce" above

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v != getattr(Tweaks(), k)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Tweaks:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})


SPEEDS: dict[str, float] = {"slow": 0.6, "normal": 1.0, "fast": 1.6}


@dataclass(frozen=True)
class Motion:
    """How an animated asset moves: one of ``motion.animations.ANIMATIONS`` with its settings."""

    animation: str  # "bounce", "shake" …
    speed: float = 1.0  # 1: the animation's own pace; 2: twice as fast (a loop half as long)
    amount: float = 1.0  # how far it moves: 0.5 half the shake, bounce height …
    loops: int = 0  # 0: loops forever; else plays this many times and stops (GIF, APNG, WebP)
    fps: int = 0  # frames a second; 0: the asset type's own (alerts and overlays also take 60)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Motion | None:
        if not data or not data.get("animation"):
            return None
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Reference:
    """One of the creator's own images to put into the asset (a face, a mascot, game art…)."""

    role: str  # face | mascot | game_art | logo | other
    name: str
    image_png: bytes
    cutout: bool  # a transparent cut-out placed as it is; else a photo, framed


REFERENCE_ROLES = {
    "face": "the creator's face: make this person the main subject and keep their likeness",
    "mascot": "the creator's mascot or character: feature it as the main subject, same design",
    "game_art": "art from the game being played: use it as the scene or background",
    "logo": "an extra logo: show it clearly, unchanged",
    "other": "a reference from the creator: include it",
}


@dataclass(frozen=True)
class Brief:
    """What the creator asked for, in words."""

    prompt: str
    text: str = ""  # the exact words to set on the asset ("GG", a headline); may be empty
    subtext: str = ""  # a second line (episode, date, tier label)
    negative_prompt: str = ""
    tier: int | None = None  # sub-badge tenure in months (1, 2, 3, 6, 9, 12 …)
    tweaks: Tweaks = Tweaks()
    # A refine: the creator's instruction, for an image model editing the previous image.
    instruction: str = ""
    references: tuple[Reference, ...] = ()  # at most two of the creator's own images
    # A pack's shared description ("a purple cat mascot with a crown"): the base of every item.
    base: str = ""
    # Decisions made outside the words (a coach brief, Create's choices), over what they say:
    layout: str = ""  # a key of reading.LAYOUTS for the family; "": the words' intent, else the seed
    variant: int = 0  # the seed's take on the layout (1: mirrored, or the subject flanking the title)
    style: str = ""  # a key of reading.STYLE_WORDS
    colours: tuple[str, ...] = ()  # #RRGGBB, main first
    motion: Motion | None = None  # animated asset types: what moves and how


@dataclass(frozen=True)
class ArtRequest:
    """What an image provider is asked for: art without any text."""

    spec: PlatformSpec
    brief: Brief
    brand: BrandSnapshot
    seed: int
    width: int
    height: int
    previous_image_png: bytes | None = None  # for refine/edit flows


@dataclass(frozen=True)
class ArtResult:
    image_png: bytes  # RGBA or RGB PNG, any size (the engine fits it)
    provider: str
    model: str
    has_text_free_subject: bool = True  # a transparent subject the engine can place


class ProviderError(Exception):
    """A provider could not make art. ``message`` is safe to show to the creator."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class RenderError(Exception):
    """The engine could not make a valid file (e.g. no encoding fits the byte cap).

    ``message`` is safe to show to the creator.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImageProvider(Protocol):
    name: str
    model: str

    def generate(self, request: ArtRequest) -> ArtResult: ...


# --- What comes out --------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str  # "dimensions", "bytes", "transparency", "safe_zone", "legibility_dark" …
    ok: bool
    message: str  # plain language, shown to the creator
    value: float | None = None
    limit: float | None = None
    severity: Literal["error", "warning", "info"] = "info"


@dataclass(frozen=True)
class Placement:
    """Where the engine set a word, the logo or one of the creator's images, so safe zones can be
    checked and previewed."""

    kind: Literal["text", "logo", "reference"]
    label: str  # "headline", "subtext", "title", "tier", "logo" …
    rect: Rect  # master pixels, the inked box (stroke and shadow included)


@dataclass(frozen=True)
class RenderedFile:
    label: str  # the rendition label
    width: int
    height: int
    format: str  # "PNG" | "JPEG" | "GIF"
    data: bytes
    checks: tuple[Check, ...] = ()

    @property
    def extension(self) -> str:
        return {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}[self.format]

    @property
    def content_type(self) -> str:
        return {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}[
            self.format
        ]


@dataclass(frozen=True)
class RenderResult:
    files: tuple[RenderedFile, ...]  # one per rendition, master first
    checks: tuple[Check, ...]  # asset-level report (includes every file's checks)
    provider: str
    model: str
    placements: tuple[Placement, ...] = ()  # every word and logo the engine set
    prompt: str = ""  # the art prompt built for the provider (for the job record)
    motion: Motion | None = None  # animated assets: the motion made (the flash fix may slow it)

    @property
    def ok(self) -> bool:
        return all(c.ok or c.severity != "error" for c in self.checks)


# Engine stages, in order, with the share of the job each one ends at.
Stage = Literal["prompting", "rendering", "post_processing", "validating"]
ProgressCallback = Callable[[Stage, int], None]
