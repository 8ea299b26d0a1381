"""What Twitch, YouTube and Kick say in ``tests.fakes.platforms``: the channels the consenting
user owns, each API's JSON for them, the consent page, and the images the CDNs serve.

The shapes follow each provider's API reference (Twitch Helix, YouTube Data API v3, Kick's
public API v1); only the fields AuraStream reads and a few neighbours are filled in. Images are
PNGs drawn from a channel's colours in blocks, the first colour over the largest area, so a test
can tell which colours an import picked up. Their CDN URLs are derived from the colours: a change
of colours is a new picture at a new URL, as on the real CDNs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any, NamedTuple

from PIL import Image, ImageDraw

PROVIDERS = ("twitch", "youtube", "kick")
NAMES = {"twitch": "Twitch", "youtube": "YouTube", "kick": "Kick"}
ORIGINS: dict[str, tuple[str, ...]] = {
    "twitch": ("https://id.twitch.tv", "https://api.twitch.tv", "https://static-cdn.jtvnw.net"),
    "youtube": (
        "https://accounts.google.com",
        "https://oauth2.googleapis.com",
        "https://www.googleapis.com",
        "https://yt3.ggpht.com",
        "https://yt3.googleusercontent.com",
        "https://i.ytimg.com",
    ),
    "kick": ("https://id.kick.com", "https://api.kick.com", "https://files.kick.com"),
}
# The path prefixes each provider serves (they do not collide), for a fault's default answer.
PATHS = {
    "twitch": ("/oauth2/", "/helix/", "/jtv_user_pictures/"),
    "youtube": ("/o/oauth2/", "/token", "/revoke", "/youtube/", "/upload/youtube/", "/ytc/", "/vi/"),
    "kick": ("/oauth/", "/public/", "/images/"),
}
OAUTH_PATHS = ("/oauth2/", "/o/oauth2/", "/token", "/revoke", "/oauth/")
YOUTUBE_SCOPE = "https://www.googleapis.com/auth/youtube"
AVATAR_SIZE = (300, 300)
BANNER_SIZE = (1280, 320)
TWITCH_GAMES = {"Just Chatting": "509658", "Art": "509660", "Minecraft": "27471"}
KICK_CATEGORIES = {"Just Chatting": 15, "Art": 24, "Minecraft": 11}


class Segment(NamedTuple):
    start: datetime  # UTC
    end: datetime
    title: str
    category: str | None


class Video(NamedTuple):
    video_id: str
    title: str
    published: datetime  # UTC


@dataclass
class Channel:
    """One provider's channel of the consenting user; tests edit it before connecting."""

    provider: str
    id: str  # Twitch user id, YouTube "UC…" channel id, Kick user id (digits)
    login: str  # Twitch login, YouTube handle (customUrl without "@"), Kick slug
    display_name: str
    description: str = ""
    category: str | None = None  # Twitch game name, Kick category name
    title: str = ""  # the stream title
    email: str = "nightowl@example.com"
    avatar_colours: list[str] = field(default_factory=lambda: ["#7C3AED", "#F59E0B", "#111827"])
    banner_colours: list[str] = field(default_factory=lambda: ["#111827", "#7C3AED", "#F59E0B"])
    segments: list[Segment] = field(default_factory=list)  # Twitch's schedule
    videos: list[Video] = field(default_factory=list)  # YouTube's uploads
    # YouTube's brandingSettings once a channels.update replaced them; None: as first shown.
    branding: dict[str, Any] | None = None
    created_at: datetime = datetime(2019, 3, 14, 18, 2, 11, tzinfo=UTC)


def default_channels(now: datetime | None = None) -> dict[str, Channel]:
    now = now or datetime.now(UTC)
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=19, minute=0, second=0, microsecond=0)
    segments = [
        Segment(monday + timedelta(days=day), monday + timedelta(days=day, hours=3), title, category)
        for day, title, category in (
            (0, "Monday sketch & chat", "Just Chatting"),
            (2, "Wednesday emote workshop", "Art"),
            (4, "Friday night build", "Minecraft"),
        )
    ]
    videos = [
        Video(f"nOwlVid{n:04d}", title, (now - timedelta(days=1 + 7 * n)).replace(microsecond=0))
        for n, title in enumerate(
            ("Painting a new overlay live", "Emote speedrun", "Channel Q&A", "Studio tour")
        )
    ]
    about = "Cozy late-night streams: art, chat and the odd block game."
    return {
        "twitch": Channel(
            "twitch",
            "587214633",
            "nightowl",
            "NightOwl",
            about,
            "Just Chatting",
            "Late-night sketching and chat",
            segments=segments,
        ),
        "youtube": Channel(
            "youtube", "UCn1ghtOwlStr3amsAur4St", "nightowl", "Night Owl", about, videos=videos
        ),
        "kick": Channel(
            "kick", "48151623", "nightowl", "NightOwl", about, "Just Chatting", "Late-night sketching"
        ),
    }


# --- Images --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def draw(colours: tuple[str, ...], size: tuple[int, int]) -> bytes:
    """A PNG of side-by-side blocks, widths n:n-1:…:1, so the first colour covers the most."""
    width, height = size
    image = Image.new("RGB", size, colours[0] if colours else "#000000")
    pen = ImageDraw.Draw(image)
    weights = [len(colours) - i for i in range(len(colours))]
    left = 0
    for i, colour in enumerate(colours):
        right = round(width * sum(weights[: i + 1]) / sum(weights))
        if right > left:
            pen.rectangle((left, 0, right - 1, height - 1), fill=colour)
        left = right
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def image_url(channel: Channel, kind: str) -> str:
    """The CDN URL of a channel's ``avatar`` or ``banner``, as the provider's API gives it."""
    colours = channel.avatar_colours if kind == "avatar" else channel.banner_colours
    digest = hashlib.sha256(f"{channel.provider}|{channel.id}|{kind}|{','.join(colours)}".encode())
    hex_id = digest.hexdigest()
    uuid = f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:32]}"
    google_id = base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")
    return {
        (
            "twitch",
            "avatar",
        ): f"https://static-cdn.jtvnw.net/jtv_user_pictures/{uuid}-profile_image-300x300.png",
        (
            "twitch",
            "banner",
        ): f"https://static-cdn.jtvnw.net/jtv_user_pictures/{uuid}-channel_offline_image-1280x320.png",
        ("youtube", "avatar"): f"https://yt3.ggpht.com/ytc/{google_id}",
        ("youtube", "banner"): f"https://yt3.googleusercontent.com/{google_id}",
        (
            "kick",
            "avatar",
        ): f"https://files.kick.com/images/user/{channel.id}/profile_image/conversion/{uuid}-fullsize.webp",
        ("kick", "banner"): f"https://files.kick.com/images/channel/{channel.id}/banner_image/{uuid}",
    }[(channel.provider, kind)]


def video_thumbnails(video_id: str) -> dict[str, Any]:
    base = f"https://i.ytimg.com/vi/{video_id}"
    return {
        "default": {"url": f"{base}/default.jpg", "width": 120, "height": 90},
        "medium": {"url": f"{base}/mqdefault.jpg", "width": 320, "height": 180},
        "high": {"url": f"{base}/hqdefault.jpg", "width": 480, "height": 360},
    }


# --- The APIs' JSON ------------------------------------------------------------------------


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def etag(*parts: object) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(repr(parts).encode()).digest()[:20]).decode().rstrip("=")


def twitch_game_id(name: str) -> str:
    return TWITCH_GAMES.get(name) or str(int(hashlib.sha256(name.encode()).hexdigest()[:8], 16))


def twitch_user(channel: Channel, avatar: str, banner: str) -> dict[str, Any]:
    return {
        "id": channel.id,
        "login": channel.login,
        "display_name": channel.display_name,
        "type": "",
        "broadcaster_type": "affiliate",
        "description": channel.description,
        "profile_image_url": avatar,
        "offline_image_url": banner,
        "view_count": 0,
        "created_at": rfc3339(channel.created_at),
    }


def twitch_channel(channel: Channel) -> dict[str, Any]:
    return {
        "broadcaster_id": channel.id,
        "broadcaster_login": channel.login,
        "broadcaster_name": channel.display_name,
        "broadcaster_language": "en",
        "game_id": twitch_game_id(channel.category) if channel.category else "",
        "game_name": channel.category or "",
        "title": channel.title,
        "delay": 0,
        "tags": [],
        "content_classification_labels": [],
        "is_branded_content": False,
    }


def twitch_segment(channel: Channel, index: int, segment: Segment) -> dict[str, Any]:
    start, end, title, category = segment
    year, week, _ = start.isocalendar()
    key = {"segmentID": etag(channel.id, index), "isoYear": year, "isoWeek": week}
    return {
        "id": base64.b64encode(json.dumps(key).encode()).decode(),
        "start_time": rfc3339(start),
        "end_time": rfc3339(end),
        "title": title,
        "canceled_until": None,
        "category": {"id": twitch_game_id(category), "name": category} if category else None,
        "is_recurring": True,
    }


def youtube_channel(channel: Channel, parts: list[str], avatar: str, banner: str) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": "youtube#channel", "etag": etag(channel.id, parts), "id": channel.id}
    if "snippet" in parts:
        item["snippet"] = {
            "title": channel.display_name,
            "description": channel.description,
            "customUrl": f"@{channel.login}",
            "publishedAt": rfc3339(channel.created_at),
            "thumbnails": {
                name: {"url": f"{avatar}=s{side}-c-k-c0x00ffffff-no-rj", "width": side, "height": side}
                for name, side in (("default", 88), ("medium", 240), ("high", 800))
            },
            "localized": {"title": channel.display_name, "description": channel.description},
        }
    if "brandingSettings" in parts:
        item["brandingSettings"] = youtube_branding(channel, banner)
    if "contentDetails" in parts:
        item["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": uploads_playlist(channel)}}
    if "statistics" in parts:
        item["statistics"] = {
            "viewCount": "48213",
            "subscriberCount": "1240",
            "hiddenSubscriberCount": False,
            "videoCount": str(len(channel.videos)),
        }
    return item


def youtube_branding(channel: Channel, banner: str) -> dict[str, Any]:
    if channel.branding is not None:
        return json.loads(json.dumps(channel.branding))
    return {
        "channel": {"title": channel.display_name, "description": channel.description},
        "image": {"bannerExternalUrl": banner},
    }


def uploads_playlist(channel: Channel) -> str:
    return f"UU{channel.id[2:]}"


def youtube_playlist_item(channel: Channel, position: int, video: Video) -> dict[str, Any]:
    video_id, title, published = video
    return {
        "kind": "youtube#playlistItem",
        "etag": etag(video_id, title),
        "id": base64.b64encode(f"{uploads_playlist(channel)}.{video_id}".encode()).decode(),
        "snippet": {
            "publishedAt": rfc3339(published),
            "channelId": channel.id,
            "title": title,
            "description": "",
            "thumbnails": video_thumbnails(video_id),
            "channelTitle": channel.display_name,
            "playlistId": uploads_playlist(channel),
            "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": video_id},
            "videoOwnerChannelTitle": channel.display_name,
            "videoOwnerChannelId": channel.id,
        },
        "contentDetails": {"videoId": video_id, "videoPublishedAt": rfc3339(published)},
    }


def kick_user(channel: Channel, avatar: str) -> dict[str, Any]:
    return {
        "user_id": int(channel.id),
        "name": channel.display_name,
        "email": channel.email,
        "profile_picture": avatar,
    }


def kick_channel(channel: Channel, banner: str) -> dict[str, Any]:
    category_id = KICK_CATEGORIES.get(channel.category or "", 0) if channel.category else 0
    return {
        "broadcaster_user_id": int(channel.id),
        "slug": channel.login,
        "channel_description": channel.description,
        "banner_picture": banner,
        "stream_title": channel.title,
        "category": {
            "id": category_id,
            "name": channel.category or "",
            "thumbnail": f"https://files.kick.com/images/subcategories/{category_id}/banner/cover.webp"
            if channel.category
            else "",
        },
        "stream": {"is_live": False, "is_mature": False, "language": "en", "viewer_count": 0, "url": ""},
    }


# --- Errors --------------------------------------------------------------------------------

TWITCH_UNAUTHORIZED = {"error": "Unauthorized", "status": 401, "message": "Invalid OAuth token"}
KICK_UNAUTHORIZED = {"data": {}, "message": "Unauthorized"}
_GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_GOOGLE_REASON = {400: "badRequest", 403: "forbidden", 404: "notFound", 429: "rateLimitExceeded"}


def youtube_error(code: int, reason: str, message: str, domain: str = "youtube.api") -> dict[str, Any]:
    error = {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    if code in _GOOGLE_STATUS:
        error["status"] = _GOOGLE_STATUS[code]
    return {"error": error}


YOUTUBE_UNAUTHORIZED = youtube_error(
    401, "authError", "Request had invalid authentication credentials.", "global"
)
YOUTUBE_UNAUTHORIZED["error"]["errors"][0]["message"] = "Invalid Credentials"
YOUTUBE_NO_SCOPE = youtube_error(
    403, "insufficientPermissions", "Request had insufficient authentication scopes.", "global"
)
QUOTA_EXCEEDED = youtube_error(
    403,
    "quotaExceeded",
    "The request cannot be completed because you have exceeded your quota.",
    "youtube.quota",
)
QUOTA_EXCEEDED["error"].pop("status")


def provider_for_path(path: str) -> str | None:
    return next((p for p, prefixes in PATHS.items() if path.startswith(prefixes)), None)


def fault(path: str, status: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The body and headers the provider serving ``path`` answers ``status`` with."""
    provider = provider_for_path(path)
    phrase = HTTPStatus(status).phrase
    headers: dict[str, str] = {}
    if status == 429:
        headers["Retry-After"] = "1"
    if provider == "twitch":
        if status == 429:
            reset = str(int(time.time()) + 1)
            headers.update({"Ratelimit-Limit": "800", "Ratelimit-Remaining": "0", "Ratelimit-Reset": reset})
        return {"error": phrase, "status": status, "message": phrase}, headers
    if provider == "kick" and not path.startswith(OAUTH_PATHS):
        return {"data": {}, "message": phrase}, headers
    if path.startswith(OAUTH_PATHS):
        error = "temporarily_unavailable" if status in (429, 503) else "server_error"
        return {"error": error if status >= 429 else "invalid_request", "error_description": phrase}, headers
    reason = _GOOGLE_REASON.get(status, "backendError" if status >= 500 else "badRequest")
    return youtube_error(status, reason, phrase), headers


# --- Pages ---------------------------------------------------------------------------------


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head>\n<body><main>\n{body}\n</main></body></html>\n"
    )


def consent_page(provider: str, channel: Channel, scopes: list[str], consent: str, app: str) -> str:
    """The provider's "AuraStream wants to…" page: Allow and Cancel post to /__consent."""
    wants = "".join(f"<li>{html.escape(scope)}</li>" for scope in scopes) or "<li>Know who you are</li>"
    return _page(
        f"{NAMES[provider]} – authorize {app}",
        f"<h1>{NAMES[provider]}</h1>\n"
        f"<p>Signed in as <strong>{html.escape(channel.display_name)}</strong>"
        f" ({html.escape(channel.login)})</p>\n"
        f"<p>{html.escape(app)} wants to:</p>\n<ul>{wants}</ul>\n"
        '<form method="post" action="/__consent">\n'
        f'<input type="hidden" name="consent" value="{html.escape(consent)}">\n'
        '<button type="submit" name="decision" value="allow">Allow</button>\n'
        '<button type="submit" name="decision" value="cancel">Cancel</button>\n'
        "</form>",
    )


def error_page(provider: str | None, message: str) -> str:
    name = NAMES.get(provider or "", "Sign in")
    return _page(
        f"{name} – error",
        f"<h1>{name}</h1>\n<p>Error 400: invalid_request</p>\n<p>{html.escape(message)}</p>",
    )
