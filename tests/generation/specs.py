"""Two platform specs and a brand written out by hand, for the image providers' tests: what they
check is worked out from these, not read from the registry the engine uses."""

from __future__ import annotations

from generation.engine.types import BrandSnapshot, Palette
from platforms.types import PlatformSpec, Rendition

EMOTE = PlatformSpec(
    key="twitch.emote",
    platform="twitch",
    platform_label="Twitch",
    asset_type="emote",
    label="Emote (static)",
    family="emote",
    renditions=(Rendition(112, 112, "112"), Rendition(56, 56, "56"), Rendition(28, 28, "28")),
    formats=("PNG",),
    byte_cap=1024 * 1024,
    transparent=True,
    legibility_px=28,
)
THUMBNAIL = PlatformSpec(
    key="youtube.thumbnail",
    platform="youtube",
    platform_label="YouTube",
    asset_type="thumbnail",
    label="Video thumbnail",
    family="thumbnail",
    renditions=(Rendition(1280, 720, "1280x720"),),
    formats=("JPEG", "PNG"),
    byte_cap=2 * 1024 * 1024,
    transparent=False,
)
PALETTE = Palette(primary="#1E90FF", secondary="#FF6B35", accent="#F7C948", background="#101820")
BRAND = BrandSnapshot(name="Night Owl", palette=PALETTE, art_style="flat vector", mood="cozy")
