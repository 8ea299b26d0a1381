"""The REST endpoints of ``tests.fakes.platforms``: Twitch Helix (users, channels, schedule and
/oauth2/validate), the YouTube Data API (channels list and update, playlistItems, thumbnails.set,
channelBanners.insert) and Kick's public API (users, channels).

Each endpoint checks the bearer token as its provider does (``FakePlatforms.authorized``), plus
Twitch's Client-Id header, YouTube's scopes and parts, and Kick's scopes, and answers with the
provider's JSON from ``tests.fakes.platform_data`` or raises ``Rejected`` with its error body.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PIL import Image

from tests.fakes import platform_data as data
from tests.fakes.platform_data import Channel

if TYPE_CHECKING:
    from tests.fakes.platforms import FakePlatforms

Reply = tuple[int, dict[str, str], bytes]
TWITCH_LIFETIME_S = 14400
THUMBNAIL_MAX = 2 * 1024 * 1024
BANNER_MAX = 6 * 1024 * 1024
IMAGE_TYPES = ("image/jpeg", "image/png", "application/octet-stream")
_YT = data.YOUTUBE_SCOPE
YOUTUBE_READ = {_YT, f"{_YT}.readonly", f"{_YT}.force-ssl"}
YOUTUBE_WRITE = {_YT, f"{_YT}.force-ssl"}
YOUTUBE_UPLOAD = YOUTUBE_WRITE | {f"{_YT}.upload", "https://www.googleapis.com/auth/youtubepartner"}
KICK_SCOPE = {"/public/v1/users": "user:read", "/public/v1/channels": "channel:read"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    data: bytes
    form: dict[str, str]  # a form-encoded body
    json: Any  # a JSON body, None if there is none or it does not parse

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Rejected(Exception):
    """An endpoint's refusal: the status, the provider's error body and any headers."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def reply_json(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    answer_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return status, answer_headers, json.dumps(body).encode()


def _yt_error(status: int, reason: str, message: str) -> Rejected:
    return Rejected(status, data.youtube_error(status, reason, message))


# --- Twitch -----------------------------------------------------------------------------


def _helix(fake: FakePlatforms, request: Request) -> Channel:
    grant = fake.authorized("twitch", request, data.TWITCH_UNAUTHORIZED)
    if request.headers.get("client-id") != grant.client_id:
        raise Rejected(401, {**data.TWITCH_UNAUTHORIZED, "message": "Client ID and OAuth token do not match"})
    return grant.channel


def validate(fake: FakePlatforms, request: Request) -> Reply:
    try:
        grant = fake.authorized("twitch", request, {})
    except Rejected:
        return reply_json(401, {"status": 401, "message": "invalid access token"})
    user = {"login": grant.channel.login, "user_id": grant.channel.id, "scopes": grant.scopes}
    return reply_json(200, {"client_id": grant.client_id, **user, "expires_in": TWITCH_LIFETIME_S})


def helix_users(fake: FakePlatforms, request: Request) -> Reply:
    channel = _helix(fake, request)
    ids, logins = request.query.get("id", []), request.query.get("login", [])
    user = data.twitch_user(channel, fake.image_url("twitch", "avatar"), fake.image_url("twitch", "banner"))
    mine = (not ids and not logins) or channel.id in ids or channel.login in logins
    return reply_json(200, {"data": [user] if mine else []})


def _broadcaster(request: Request) -> str:
    if "broadcaster_id" not in request.query:
        message = 'Missing required parameter "broadcaster_id"'
        raise Rejected(400, {"error": "Bad Request", "status": 400, "message": message})
    return request.arg("broadcaster_id")


def helix_channels(fake: FakePlatforms, request: Request) -> Reply:
    channel = _helix(fake, request)
    _broadcaster(request)
    mine = channel.id in request.query["broadcaster_id"]
    return reply_json(200, {"data": [data.twitch_channel(channel)] if mine else []})


def helix_schedule(fake: FakePlatforms, request: Request) -> Reply:
    channel = _helix(fake, request)
    broadcaster = _broadcaster(request)
    try:
        first = int(request.arg("first", "20"))
        start = datetime.fromisoformat(request.arg("start_time")) if "start_time" in request.query else None
    except ValueError as error:
        raise Rejected(400, {"error": "Bad Request", "status": 400, "message": str(error)}) from error
    if not 1 <= first <= 25:
        raise Rejected(400, {"error": "Bad Request", "status": 400, "message": "first must be 1 to 25"})
    if start and start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    now = datetime.now(UTC)
    # By default the segments not yet over; from start_time, those starting then or later.
    upcoming = [
        (i, segment)
        for i, segment in enumerate(channel.segments)
        if (segment[0] >= start if start else segment[1] > now)
    ]
    upcoming.sort(key=lambda pair: pair[1][0])
    if broadcaster != channel.id or not upcoming:
        message = "segments were either not found or canceled"
        return reply_json(404, {"error": "Not Found", "status": 404, "message": message})
    schedule = {
        "segments": [data.twitch_segment(channel, i, segment) for i, segment in upcoming[:first]],
        "broadcaster_id": channel.id,
        "broadcaster_name": channel.display_name,
        "broadcaster_login": channel.login,
        "vacation": None,
    }
    return reply_json(200, {"data": schedule, "pagination": {}})


# --- YouTube ----------------------------------------------------------------------------


def _youtube(
    fake: FakePlatforms, request: Request, scopes: set[str], allowed_parts: set[str]
) -> tuple[Channel, list[str]]:
    grant = fake.authorized("youtube", request, data.YOUTUBE_UNAUTHORIZED)
    if not scopes & set(grant.scopes):
        raise Rejected(403, data.YOUTUBE_NO_SCOPE)
    parts = [part.strip() for part in request.arg("part").split(",") if part.strip()]
    if allowed_parts and not parts:
        raise _yt_error(400, "required", "Required parameter: part")
    unknown = [part for part in parts if part not in allowed_parts]
    if unknown:
        raise _yt_error(400, "unknownPart", f"'{unknown[0]}'")
    return grant.channel, parts


def _yt_channel(fake: FakePlatforms, channel: Channel, parts: list[str]) -> dict[str, Any]:
    avatar, banner = fake.image_url("youtube", "avatar"), fake.image_url("youtube", "banner")
    return data.youtube_channel(channel, parts, avatar, banner)


def yt_channels(fake: FakePlatforms, request: Request) -> Reply:
    parts = {"id", "snippet", "brandingSettings", "contentDetails", "statistics"}
    channel, wanted = _youtube(fake, request, YOUTUBE_READ, parts)
    if request.arg("mine") != "true" and "id" not in request.query:
        raise _yt_error(400, "missingRequiredParameter", "No filter selected. Expected one of: mine, id")
    mine = request.arg("mine") == "true" or channel.id in request.arg("id").split(",")
    items = [_yt_channel(fake, channel, wanted)] if mine else []
    page = {"totalResults": len(items), "resultsPerPage": 5}
    return reply_json(
        200,
        {
            "kind": "youtube#channelListResponse",
            "etag": data.etag(items),
            "pageInfo": page,
            "items": items,
        },
    )


def yt_update_channel(fake: FakePlatforms, request: Request) -> Reply:
    channel, parts = _youtube(fake, request, YOUTUBE_WRITE, {"brandingSettings", "id"})
    body = request.json
    if not isinstance(body, dict):
        raise _yt_error(400, "parseError", "Parse Error")
    if body.get("id") != channel.id:
        raise _yt_error(
            404, "channelNotFound", "The channel identified with the request's id cannot be found."
        )
    if "brandingSettings" in parts:
        branding = body.get("brandingSettings")
        if not isinstance(branding, dict):
            raise _yt_error(400, "invalidBrandingOption", "brandingSettings must be an object.")
        channel.branding = json.loads(json.dumps(branding))  # replaced whole, as YouTube does
    return reply_json(200, _yt_channel(fake, channel, parts))


def yt_playlist_items(fake: FakePlatforms, request: Request) -> Reply:
    channel, parts = _youtube(fake, request, YOUTUBE_READ, {"id", "snippet", "contentDetails"})
    if request.arg("playlistId") != data.uploads_playlist(channel):
        message = "The playlist identified with the request's playlistId parameter cannot be found."
        raise _yt_error(404, "playlistNotFound", message)
    try:
        size = int(request.arg("maxResults", "5"))
        offset = int(base64.urlsafe_b64decode(request.arg("pageToken", "MA==")).decode())
    except ValueError as error:
        raise _yt_error(400, "invalidPageToken", "Invalid value.") from error
    if not 0 <= size <= 50:
        raise _yt_error(400, "invalidValue", "Invalid value for maxResults.")
    videos = sorted(channel.videos, key=lambda video: video[2], reverse=True)
    items = [
        data.youtube_playlist_item(channel, offset + i, v)
        for i, v in enumerate(videos[offset : offset + size])
    ]
    keep = {"kind", "etag", *parts}
    answer: dict[str, Any] = {
        "kind": "youtube#playlistItemListResponse",
        "etag": data.etag(items),
        "items": [{key: value for key, value in item.items() if key in keep} for item in items],
        "pageInfo": {"totalResults": len(videos), "resultsPerPage": size},
    }
    if offset + size < len(videos):
        answer["nextPageToken"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
    return reply_json(200, answer)


def _media(request: Request, limit: int, bad_image: str) -> tuple[str, tuple[int, int]]:
    """The checks of a simple media upload: its type, size and that it is an image."""
    if request.arg("uploadType") != "media":
        raise _yt_error(400, "badRequest", "The fake plays uploadType=media only.")
    if not request.data:
        raise _yt_error(400, "mediaBodyRequired", "The request does not include the image content.")
    if request.content_type not in IMAGE_TYPES:
        raise _yt_error(400, "badContent", f"Media type '{request.content_type}' is not supported.")
    if len(request.data) > limit:
        raise _yt_error(400, "mediaBodyTooLarge", f"Media larger than {limit} bytes.")
    try:
        with Image.open(io.BytesIO(request.data)) as image:
            image.verify()
            size = image.size
    except Exception as error:
        raise _yt_error(400, bad_image, "The image content is invalid.") from error
    return request.content_type, size


def yt_thumbnail(fake: FakePlatforms, request: Request) -> Reply:
    channel, _parts = _youtube(fake, request, YOUTUBE_UPLOAD, set())
    video_id = request.arg("videoId")
    if video_id not in {video[0] for video in channel.videos}:
        raise _yt_error(404, "videoNotFound", "The video that you are trying to update cannot be found.")
    content_type, _size = _media(request, THUMBNAIL_MAX, "invalidImage")
    fake.record_upload("thumbnail", video_id, content_type, request.data)
    answer = {"kind": "youtube#thumbnailSetResponse", "etag": data.etag(video_id, len(request.data))}
    return reply_json(200, {**answer, "items": [data.video_thumbnails(video_id)]})


def yt_banner(fake: FakePlatforms, request: Request) -> Reply:
    _youtube(fake, request, YOUTUBE_UPLOAD, set())
    content_type, (width, height) = _media(request, BANNER_MAX, "imageFormatUnsupported")
    if abs(width * 9 - height * 16) > width * 9 // 50:  # 16:9, within 2 %
        too = "imageTooTall" if height * 16 > width * 9 else "imageTooWide"
        raise _yt_error(400, too, "The banner image must have a 16:9 aspect ratio.")
    if width < 2048 or height < 1152:
        raise _yt_error(400, "imageTooShort", "The banner image must be at least 2048x1152 pixels.")
    fake.record_upload("banner", None, content_type, request.data)
    image_id = base64.urlsafe_b64encode(hashlib.sha256(request.data).digest()).decode().rstrip("=")
    raw = request.data
    fake.serve_image(f"/{image_id}", "image/png" if raw[:4] == b"\x89PNG" else "image/jpeg", lambda: raw)
    url = f"https://yt3.googleusercontent.com/{image_id}"
    return reply_json(200, {"kind": "youtube#channelBannerResource", "etag": data.etag(image_id), "url": url})


# --- Kick -------------------------------------------------------------------------------


def _kick(fake: FakePlatforms, request: Request) -> Channel:
    grant = fake.authorized("kick", request, data.KICK_UNAUTHORIZED)
    if KICK_SCOPE[request.path] not in grant.scopes:
        raise Rejected(403, {"data": {}, "message": "Forbidden"})
    return grant.channel


def kick_users(fake: FakePlatforms, request: Request) -> Reply:
    channel = _kick(fake, request)
    ids = request.query.get("id", [])
    user = data.kick_user(channel, fake.image_url("kick", "avatar"))
    return reply_json(200, {"data": [user] if not ids or channel.id in ids else [], "message": "OK"})


def kick_channels(fake: FakePlatforms, request: Request) -> Reply:
    channel = _kick(fake, request)
    ids, slugs = request.query.get("broadcaster_user_id", []), request.query.get("slug", [])
    mine = (not ids and not slugs) or channel.id in ids or channel.login in slugs
    answer = data.kick_channel(channel, fake.image_url("kick", "banner"))
    return reply_json(200, {"data": [answer] if mine else [], "message": "OK"})


ROUTES: dict[tuple[str, str], Callable[[FakePlatforms, Request], Reply]] = {
    ("GET", "/oauth2/validate"): validate,
    ("GET", "/helix/users"): helix_users,
    ("GET", "/helix/channels"): helix_channels,
    ("GET", "/helix/schedule"): helix_schedule,
    ("GET", "/youtube/v3/channels"): yt_channels,
    ("PUT", "/youtube/v3/channels"): yt_update_channel,
    ("GET", "/youtube/v3/playlistItems"): yt_playlist_items,
    ("POST", "/upload/youtube/v3/thumbnails/set"): yt_thumbnail,
    ("POST", "/upload/youtube/v3/channelBanners/insert"): yt_banner,
    ("GET", "/public/v1/users"): kick_users,
    ("GET", "/public/v1/channels"): kick_channels,
}
