"""The registry's typed values: one platform asset type and the rectangles and files it names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

# How an asset is laid out, post-processed and previewed. Every registry row names one.
AssetFamily = Literal[
    "emote",  # square, transparent, one bold subject or word, trimmed, must read at 28 px
    "badge",  # square, transparent, tiny (18 px), tiers as one family
    "icon",  # square, transparent icon (channel points, role icon, sticker)
    "avatar",  # square, shown as a circle
    "thumbnail",  # 16:9 with a headline, clear of the duration stamp
    "banner",  # wide, content inside a safe area
    "scene",  # full 1920×1080 screen (starting soon, offline, BRB…)
    "overlay",  # 1920×1080 with transparent webcam and scene areas
    "panel",  # 320 wide, label
    "cover",  # vertical 9:16 or square covers
]


@dataclass(frozen=True)
class Rect:
    """A rectangle in master-canvas pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    """One file the platform wants, e.g. the 28 px emote."""

    width: int
    height: int
    label: str  # "112", "1280x720", "tier-1-72" …


@dataclass(frozen=True)
class MotionSpec:
    """How an animated asset type plays: its frame rate and the platform's frame limits."""

    fps: int  # frames a second the files play at
    max_frames: int  # the platform's most frames in one file
    max_seconds: float  # the longest loop worth making (frames ≤ max_frames either way)
    fps_options: tuple[int, ...] = ()  # other rates a creator may pick (alerts: 30 or 60)

    @property
    def rates(self) -> tuple[int, ...]:
        """The frame rates on offer, the row's own first."""
        return (self.fps, *(rate for rate in self.fps_options if rate != self.fps))


@dataclass(frozen=True)
class PlatformSpec:
    key: str  # "twitch.emote"
    platform: str  # "twitch"
    platform_label: str  # "Twitch"
    asset_type: str  # "emote"
    label: str  # "Emote (static)"
    family: AssetFamily
    renditions: tuple[Rendition, ...]  # largest first; the first is the master canvas
    formats: tuple[str, ...]  # accepted by the platform, preferred first: ("PNG",)
    byte_cap: int | None  # per file, in bytes (None: the platform states none)
    transparent: bool  # the file must keep an alpha channel
    circle: bool = False  # shown cropped to a circle
    safe_zone: Rect | None = None  # where text and logos must stay (master pixels)
    keep_clear: tuple[Rect, ...] = ()  # areas the platform's UI covers (duration stamp…)
    transparent_areas: tuple[Rect, ...] = ()  # overlay holes (webcam, scene)
    legibility_px: int | None = None  # the size at which it must still read (28 for emotes)
    chat_sizes: tuple[int, ...] = ()  # px a chat preview shows one big upload at, largest first
    notes: str = ""
    source: str = ""
    checked: date | None = None
    motion: MotionSpec | None = None  # set on animated asset types
    # What AuraStream can set through the platform's API ("youtube.thumbnail"), if anything.
    publish: str = ""
    # Where the creator uploads it by hand when the platform has no API for it; "{login}" is
    # their channel's login when one is connected.
    upload_page: str = ""

    @property
    def master(self) -> Rendition:
        return self.renditions[0]

    @property
    def animated(self) -> bool:
        return self.motion is not None

    @property
    def image_format(self) -> str:
        """The format of the files shown as images: the first format that is not a video."""
        return next(fmt for fmt in self.formats if fmt != "WEBM")

    @property
    def video(self) -> bool:
        """Also a WebM with alpha beside each image file (OBS media and browser sources)."""
        return "WEBM" in self.formats
