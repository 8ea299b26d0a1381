"""The Twitch, YouTube and Kick fake itself, driven over HTTP the way the app's client will:
real provider URLs with the origin rewritten, the consent page played by ``approve``/``deny``."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from PIL import Image

from tests.fakes.platforms import FakePlatforms

REDIRECT = "http://127.0.0.1:8000/connections/callback"
AUTHORIZE = {
    "twitch": "https://id.twitch.tv/oauth2/authorize",
    "youtube": "https://accounts.google.com/o/oauth2/v2/auth",
    "kick": "https://id.kick.com/oauth/authorize",
}
TOKEN = {
    "twitch": "https://id.twitch.tv/oauth2/token",
    "youtube": "https://oauth2.googleapis.com/token",
    "kick": "https://id.kick.com/oauth/token",
}
SCOPES = {
    "twitch": "user:read:email",
    "youtube": "https://www.googleapis.com/auth/youtube",
    "kick": "user:read channel:read",
}


@pytest.fixture
def fake() -> Iterator[FakePlatforms]:
    with FakePlatforms.running() as server:
        yield server


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False  # to 127.0.0.1 directly, whatever proxy the environment names
        yield session


class Client:
    """The app's side of a connection, as small as a test can make it."""

    def __init__(self, fake: FakePlatforms, http: requests.Session, provider: str) -> None:
        self.fake, self.http, self.provider = fake, http, provider
        self.client_id, self.secret = fake.clients[provider]
        self.verifier = secrets.token_urlsafe(48)

    def authorize_url(self, **extra: str) -> str:
        params = {
            "client_id": self.client_id,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": SCOPES[self.provider],
            "state": "st4te",
        }
        if self.provider != "twitch":
            digest = hashlib.sha256(self.verifier.encode()).digest()
            params["code_challenge"] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            params["code_challenge_method"] = "S256"
        if self.provider == "youtube":
            params.update(access_type="offline", prompt="consent")
        params.update(extra)
        return self.fake.rewrite(f"{AUTHORIZE[self.provider]}?{urlencode(params)}")

    def code(self) -> str:
        redirect = self.fake.approve(self.authorize_url())
        query = parse_qs(urlsplit(redirect).query)
        assert redirect.startswith(f"{REDIRECT}?")
        assert query["state"] == ["st4te"]
        return query["code"][0]

    def token(self, **form: str) -> requests.Response:
        base = {"client_id": self.client_id, "client_secret": self.secret}
        return self.http.post(self.fake.rewrite(TOKEN[self.provider]), data={**base, **form}, timeout=5)

    def exchange(self, code: str, verifier: str | None = None) -> requests.Response:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
        if self.provider != "twitch":
            form["code_verifier"] = verifier or self.verifier
        return self.token(**form)

    def connect(self) -> dict[str, Any]:
        answer = self.exchange(self.code())
        assert answer.status_code == 200, answer.text
        tokens: dict[str, Any] = answer.json()
        return tokens

    def refresh(self, refresh_token: str) -> requests.Response:
        return self.token(grant_type="refresh_token", refresh_token=refresh_token)

    def get(self, url: str, access_token: str, **params: str) -> requests.Response:
        headers = {"Authorization": f"Bearer {access_token}"}
        if self.provider == "twitch":
            headers["Client-Id"] = self.client_id
        return self.http.get(self.fake.rewrite(url), params=params, headers=headers, timeout=5)


def test_twitch_connects_with_a_single_use_code_and_reads_the_channel(fake, http):
    twitch = Client(fake, http, "twitch")
    code = twitch.code()
    tokens = twitch.exchange(code).json()
    again = twitch.exchange(code)

    assert tokens["expires_in"] == 14400
    assert tokens["token_type"] == "bearer"
    assert tokens["scope"] == ["user:read:email"]
    assert tokens["refresh_token"]
    assert (again.status_code, again.json()) == (
        400,
        {"status": 400, "message": "Invalid authorization code"},
    )
    access = tokens["access_token"]
    user = twitch.get("https://api.twitch.tv/helix/users", access).json()["data"][0]
    assert (user["id"], user["login"], user["display_name"]) == ("587214633", "nightowl", "NightOwl")
    assert user["profile_image_url"].startswith("https://static-cdn.jtvnw.net/jtv_user_pictures/")
    channel = twitch.get("https://api.twitch.tv/helix/channels", access, broadcaster_id=user["id"])
    assert channel.json()["data"][0]["game_name"] == "Just Chatting"
    schedule = twitch.get("https://api.twitch.tv/helix/schedule", access, broadcaster_id=user["id"]).json()
    segments = schedule["data"]["segments"]
    assert [s["category"]["name"] for s in segments] == ["Just Chatting", "Art", "Minecraft"]
    assert segments[0]["start_time"].endswith("T19:00:00Z")
    assert segments[0]["is_recurring"] is True
    fake.channels["twitch"].segments.clear()
    empty = twitch.get("https://api.twitch.tv/helix/schedule", access, broadcaster_id=user["id"])
    assert empty.status_code == 404
    # Helix wants the Client-Id the token was issued to.
    no_client = http.get(
        fake.rewrite("https://api.twitch.tv/helix/users"),
        headers={"Authorization": f"Bearer {access}"},
        timeout=5,
    )
    assert no_client.status_code == 401


def test_youtube_requires_pkce_and_checks_the_verifier(fake, http):
    youtube = Client(fake, http, "youtube")
    without_pkce = http.get(youtube.authorize_url(code_challenge="", code_challenge_method=""), timeout=5)
    wrong_verifier = youtube.exchange(youtube.code(), verifier="not-the-verifier")
    tokens = youtube.connect()

    assert without_pkce.status_code == 400
    assert "PKCE" in without_pkce.text
    assert wrong_verifier.json()["error"] == "invalid_grant"
    assert tokens["expires_in"] == 3599
    assert tokens["scope"] == "https://www.googleapis.com/auth/youtube"
    channels = youtube.get(
        "https://www.googleapis.com/youtube/v3/channels",
        tokens["access_token"],
        part="snippet,brandingSettings,contentDetails",
        mine="true",
    ).json()
    channel = channels["items"][0]
    assert channel["snippet"]["customUrl"] == "@nightowl"
    assert "statistics" not in channel
    uploads = channel["contentDetails"]["relatedPlaylists"]["uploads"]
    items = youtube.get(
        "https://www.googleapis.com/youtube/v3/playlistItems",
        tokens["access_token"],
        part="snippet,contentDetails",
        playlistId=uploads,
        maxResults="3",
    ).json()["items"]
    published = [item["contentDetails"]["videoPublishedAt"] for item in items]
    assert len(items) == 3
    assert published == sorted(published, reverse=True)


def test_the_consent_page_and_a_cancel(fake, http):
    kick = Client(fake, http, "kick")
    page = http.get(kick.authorize_url(), timeout=5)
    denied = parse_qs(urlsplit(fake.deny(kick.authorize_url())).query)

    assert page.status_code == 200
    assert "<h1>Kick</h1>" in page.text
    assert "NightOwl" in page.text
    assert ">Allow</button>" in page.text
    assert ">Cancel</button>" in page.text
    assert "<script" not in page.text
    assert denied["error"] == ["access_denied"]
    assert denied["state"] == ["st4te"]
    assert "code" not in denied


def test_kick_rotates_its_refresh_token(fake, http):
    kick = Client(fake, http, "kick")
    tokens = kick.connect()
    refreshed = kick.refresh(tokens["refresh_token"]).json()
    reused = kick.refresh(tokens["refresh_token"])

    assert tokens["expires_in"] == 7200
    assert tokens["scope"] == "user:read channel:read"
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    user = kick.get("https://api.kick.com/public/v1/users", refreshed["access_token"]).json()
    assert user["data"][0]["user_id"] == 48151623
    assert user["message"] == "OK"
    channel = kick.get("https://api.kick.com/public/v1/channels", refreshed["access_token"]).json()
    assert channel["data"][0]["slug"] == "nightowl"


def test_google_refresh_sends_no_new_refresh_token_and_revoke_ends_the_grant(fake, http):
    youtube = Client(fake, http, "youtube")
    tokens = youtube.connect()
    refreshed = youtube.refresh(tokens["refresh_token"]).json()
    revoke = http.post(
        fake.rewrite("https://oauth2.googleapis.com/revoke"),
        data={"token": tokens["refresh_token"]},
        timeout=5,
    )

    assert "refresh_token" not in refreshed
    assert refreshed["access_token"] != tokens["access_token"]
    assert (revoke.status_code, revoke.json()) == (200, {})
    assert fake.revoked == [("youtube", tokens["refresh_token"])]
    channels = youtube.get(
        "https://www.googleapis.com/youtube/v3/channels", refreshed["access_token"], part="id", mine="true"
    )
    assert channels.status_code == 401
    assert channels.json()["error"]["status"] == "UNAUTHENTICATED"
    assert youtube.refresh(tokens["refresh_token"]).json() == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }


def test_expired_access_tokens_401_until_a_refresh(fake, http):
    twitch = Client(fake, http, "twitch")
    tokens = twitch.connect()
    fake.expire_access_tokens()
    expired = twitch.get("https://api.twitch.tv/helix/users", tokens["access_token"])
    refreshed = twitch.refresh(tokens["refresh_token"]).json()

    assert expired.status_code == 401
    assert expired.json() == {"error": "Unauthorized", "status": 401, "message": "Invalid OAuth token"}
    assert twitch.get("https://api.twitch.tv/helix/users", refreshed["access_token"]).status_code == 200


def test_a_grant_removed_at_the_provider_refuses_both_tokens(fake, http):
    kick = Client(fake, http, "kick")
    tokens = kick.connect()
    fake.revoke_grants("kick")

    users = kick.get("https://api.kick.com/public/v1/users", tokens["access_token"])
    assert (users.status_code, users.json()) == (401, {"data": {}, "message": "Unauthorized"})
    assert kick.refresh(tokens["refresh_token"]).json()["error"] == "invalid_grant"


def _png(size: tuple[int, int], colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def test_uploads_are_recorded_byte_for_byte_and_branding_is_replaced(fake, http):
    youtube = Client(fake, http, "youtube")
    headers = {"Authorization": f"Bearer {youtube.connect()['access_token']}", "Content-Type": "image/png"}
    video_id = fake.channels["youtube"].videos[0].video_id
    thumbnail = _png((1280, 720), "#F59E0B")
    upload = "https://www.googleapis.com/upload/youtube/v3/thumbnails/set"

    answer = http.post(
        fake.rewrite(upload),
        params={"videoId": video_id, "uploadType": "media"},
        data=thumbnail,
        headers=headers,
        timeout=5,
    )
    unknown = http.post(
        fake.rewrite(upload),
        params={"videoId": "nope", "uploadType": "media"},
        data=thumbnail,
        headers=headers,
        timeout=5,
    )

    assert answer.status_code == 200
    assert answer.json()["kind"] == "youtube#thumbnailSetResponse"
    assert unknown.status_code == 404
    assert unknown.json()["error"]["errors"][0]["reason"] == "videoNotFound"
    [recorded] = fake.uploads
    assert (recorded.kind, recorded.video_id, recorded.content_type) == ("thumbnail", video_id, "image/png")
    assert recorded.data == thumbnail
    assert fake.thumbnails[video_id] == thumbnail
    served = http.get(fake.rewrite(answer.json()["items"][0]["high"]["url"]), timeout=5)
    assert served.content == thumbnail

    banner = http.post(
        fake.rewrite("https://www.googleapis.com/upload/youtube/v3/channelBanners/insert"),
        params={"uploadType": "media"},
        data=_png((2560, 1440), "#7C3AED"),
        headers=headers,
        timeout=5,
    ).json()
    update = http.put(
        fake.rewrite("https://www.googleapis.com/youtube/v3/channels"),
        params={"part": "brandingSettings"},
        json={
            "id": fake.channels["youtube"].id,
            "brandingSettings": {"image": {"bannerExternalUrl": banner["url"]}},
        },
        headers={"Authorization": headers["Authorization"]},
        timeout=5,
    )
    assert banner["url"].startswith("https://yt3.googleusercontent.com/")
    assert fake.uploads[-1].kind == "banner"
    # Replaced, not merged: the channel title the client did not send back is gone.
    assert update.json()["brandingSettings"] == {"image": {"bannerExternalUrl": banner["url"]}}
    assert fake.branding_settings == {"image": {"bannerExternalUrl": banner["url"]}}


def test_scripted_faults_answer_once_then_the_api_recovers(fake, http):
    twitch = Client(fake, http, "twitch")
    youtube = Client(fake, http, "youtube")
    twitch_token, youtube_token = twitch.connect()["access_token"], youtube.connect()["access_token"]
    fake.fail_next("/helix/users", 503)
    fake.fail_next("/helix/channels", 429)
    fake.quota_exceeded()
    channels = "https://www.googleapis.com/youtube/v3/channels"

    unavailable = twitch.get("https://api.twitch.tv/helix/users", twitch_token)
    recovered = twitch.get("https://api.twitch.tv/helix/users", twitch_token)
    limited = twitch.get("https://api.twitch.tv/helix/channels", twitch_token, broadcaster_id="587214633")
    quota = youtube.get(channels, youtube_token, part="id", mine="true")

    assert unavailable.status_code == 503
    assert unavailable.json()["status"] == 503
    assert recovered.status_code == 200
    assert limited.status_code == 429
    assert limited.headers["Ratelimit-Reset"]
    assert limited.headers["Retry-After"]
    assert quota.status_code == 403
    assert quota.json()["error"]["errors"][0]["reason"] == "quotaExceeded"
    assert youtube.get(channels, youtube_token, part="id", mine="true").status_code == 200
    assert len(fake.called("GET", "/helix/users")) == 2


def test_the_avatar_is_a_png_of_the_channel_colours_first_colour_dominant(fake, http):
    twitch = Client(fake, http, "twitch")
    fake.channels["twitch"].avatar_colours = ["#10B981", "#1F2937", "#F43F5E"]
    user = twitch.get("https://api.twitch.tv/helix/users", twitch.connect()["access_token"]).json()["data"][0]

    first = http.get(fake.rewrite(user["profile_image_url"]), timeout=5)
    second = http.get(fake.rewrite(user["profile_image_url"]), timeout=5)

    assert first.headers["Content-Type"] == "image/png"
    assert first.content == second.content
    image = Image.open(io.BytesIO(first.content)).convert("RGB")
    counts = sorted(image.getcolors(), reverse=True)
    assert image.size == (300, 300)
    assert [colour for _count, colour in counts] == [
        (0x10, 0xB9, 0x81),
        (0x1F, 0x29, 0x37),
        (0xF4, 0x3F, 0x5E),
    ]
