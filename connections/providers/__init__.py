"""The platforms a channel can be connected from, by name."""

from __future__ import annotations

from .base import (
    Busy,
    Channel,
    NotConfigured,
    OAuthProvider,
    ProviderError,
    Rejected,
    Segment,
    TokenRejected,
    Unavailable,
    Video,
    pkce_pair,
)
from .kick import KICK
from .twitch import TWITCH, Twitch
from .youtube import YOUTUBE, YouTube

PROVIDERS: dict[str, OAuthProvider] = {provider.name: provider for provider in (TWITCH, YOUTUBE, KICK)}

__all__ = [
    "KICK",
    "PROVIDERS",
    "TWITCH",
    "YOUTUBE",
    "Busy",
    "Channel",
    "NotConfigured",
    "OAuthProvider",
    "ProviderError",
    "Rejected",
    "Segment",
    "TokenRejected",
    "Twitch",
    "Unavailable",
    "Video",
    "YouTube",
    "pkce_pair",
]
