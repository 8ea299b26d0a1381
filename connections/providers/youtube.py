"""YouTube: Google OAuth 2 (PKCE, offline access) and the YouTube Data API v3.

https://developers.google.com/identity/protocols/oauth2/web-server (authorize, token,
refresh, revoke), https://developers.google.com/youtube/v3/docs (channels.list,
playlistItems.list, thumbnails.set, channelBanners.insert, channels.update). The one scope,
``youtube``, covers reading the channel and setting thumbnails and the banner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.utils import timezone

from .base import Busy, Channel, OAuthProvider, Rejected, Unavailable, Video

API = "https://www.googleapis.com/youtube/v3"
UPLOAD = "https://www.googleapis.com/upload/youtube/v3"
# Quota resets at midnight Pacific Time.
QUOTA_ZONE = ZoneInfo("America/Los_Angeles")
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
# What a custom thumbnail may weigh (thumbnails.set).
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _until_quota_resets() -> int:
    now = timezone.now().astimezone(QUOTA_ZONE)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((midnight - now).total_seconds())


@dataclass
class YouTube(OAuthProvider):
    def revoke(self, token: str) -> None:
        self._send("POST", self.revoke_endpoint, data={"token": token})

    def _reasons(self, response: requests.Response) -> set[str]:
        try:
            errors = response.json().get("error", {}).get("errors") or []
        except (ValueError, AttributeError):
            return set()
        return {str(error.get("reason")) for error in errors if isinstance(error, dict)}

    def _check(self, response: requests.Response) -> None:
        if response.status_code == 403:
            reasons = self._reasons(response)
            if reasons & QUOTA_REASONS:
                raise Busy(
                    "YouTube's daily quota for AuraStream is used up. Nothing was changed; it resets at "
                    "midnight Pacific Time, so try again then.",
                    retry_after=_until_quota_resets(),
                )
            if reasons & RATE_REASONS:
                raise Busy(
                    "YouTube is limiting requests right now. Nothing was changed; try again in a minute.",
                    retry_after=60,
                )
        super()._check(response)

    def error_text(self, response: requests.Response) -> str:
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            return f"error {response.status_code}"
        message = error.get("message") if isinstance(error, dict) else error
        return str(message)[:200] if message else f"error {response.status_code}"

    def _mine(self, access_token: str, parts: str) -> dict[str, Any]:
        body = self.api("GET", f"{API}/channels", access_token, params={"part": parts, "mine": "true"})
        items = body.get("items") or []
        if not items:
            raise Rejected(
                "This Google account has no YouTube channel. Create one on YouTube, then connect again."
            )
        return items[0]

    def channel(self, access_token: str) -> Channel:
        item = self._mine(access_token, "snippet,brandingSettings")
        snippet = item.get("snippet") or {}
        thumbnails = snippet.get("thumbnails") or {}
        avatar = next(
            (thumbnails[size]["url"] for size in ("high", "medium", "default") if size in thumbnails), ""
        )
        image = (item.get("brandingSettings") or {}).get("image") or {}
        return Channel(
            account_id=str(item["id"]),
            display_name=snippet.get("title") or "",
            handle=snippet.get("customUrl") or "",
            avatar_url=avatar,
            banner_url=image.get("bannerExternalUrl") or "",
            title=snippet.get("title") or "",
        )

    def uploads(self, access_token: str, *, count: int = 12) -> list[Video]:
        """The channel's most recent uploads, newest first."""
        item = self._mine(access_token, "contentDetails")
        playlist = ((item.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
        if not playlist:
            return []
        body = self.api(
            "GET",
            f"{API}/playlistItems",
            access_token,
            params={"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": str(count)},
        )
        videos = []
        for entry in body.get("items") or []:
            details, snippet = entry.get("contentDetails") or {}, entry.get("snippet") or {}
            if details.get("videoId"):
                videos.append(
                    Video(
                        id=str(details["videoId"]),
                        title=snippet.get("title") or "(untitled)",
                        published_at=_time(details.get("videoPublishedAt") or snippet.get("publishedAt")),
                    )
                )
        return videos

    def set_thumbnail(self, access_token: str, *, video_id: str, data: bytes, content_type: str) -> str:
        """Upload ``data`` as the video's custom thumbnail; the URL YouTube now serves."""
        body = self.api(
            "POST",
            f"{UPLOAD}/thumbnails/set",
            access_token,
            params={"videoId": video_id, "uploadType": "media"},
            data=data,
            headers={"Content-Type": content_type},
        )
        items = body.get("items") or [{}]
        sizes = items[0] if items else {}
        best = next((sizes[s]["url"] for s in ("maxres", "high", "medium", "default") if s in sizes), "")
        return str(best)

    def set_banner(self, access_token: str, *, data: bytes, content_type: str) -> str:
        """Upload ``data`` and make it the channel's banner (channels.update replaces the whole
        brandingSettings part, so the channel's current settings are sent back with it)."""
        uploaded = self.api(
            "POST",
            f"{UPLOAD}/channelBanners/insert",
            access_token,
            params={"uploadType": "media"},
            data=data,
            headers={"Content-Type": content_type},
        )
        banner_url = uploaded.get("url")
        if not banner_url:
            raise Unavailable("YouTube didn't take the banner. Nothing was changed; try again.")
        item = self._mine(access_token, "brandingSettings")
        branding = dict(item.get("brandingSettings") or {})
        branding["image"] = {**(branding.get("image") or {}), "bannerExternalUrl": banner_url}
        self.api(
            "PUT",
            f"{API}/channels",
            access_token,
            params={"part": "brandingSettings"},
            json={"id": item["id"], "brandingSettings": branding},
        )
        return str(banner_url)

    def channel_url(self, channel_handle: str) -> str:
        return f"https://www.youtube.com/{channel_handle}" if channel_handle else "https://www.youtube.com/"


YOUTUBE = YouTube(
    name="youtube",
    label="YouTube",
    authorize_endpoint="https://accounts.google.com/o/oauth2/v2/auth",
    exchange_endpoint="https://oauth2.googleapis.com/token",
    revoke_endpoint="https://oauth2.googleapis.com/revoke",
    scopes=("https://www.googleapis.com/auth/youtube",),
    pkce=True,
    # A refresh token, and the consent screen every time (else Google may send none).
    authorize_params={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"},
    apps_page="https://myaccount.google.com/permissions",
)
