"""Twitch, YouTube (Google) and Kick played by one real HTTP server on 127.0.0.1, for the
channel-connection tests.

What it plays: each provider's OAuth 2 authorization-code flow (an HTML consent page at the
authorize endpoint, then token, refresh and revoke) and the few REST endpoints AuraStream reads
and writes: Twitch Helix users, channels and schedule (and /oauth2/validate); the YouTube Data
API's channels list and update, playlistItems, thumbnails.set and channelBanners.insert; Kick's
public users and channels; and the image CDNs those answers point to.

How the app reaches it: its client code calls the providers' real documented URLs and rewrites
the origin through ``CONNECTIONS_BASE_URLS``; ``origins()`` is that mapping, every origin to this
one server (the providers' paths do not collide). The browser is sent to the rewritten authorize
URL and sees the consent page; ``approve()``/``deny()`` play the user without a browser, through
the same page and the same form post.

What it checks, as the providers do: the client id and secret; a code that is single use and
bound to the client, redirect URI, scopes, channel and PKCE challenge (S256, required by Google
and Kick); the bearer token on every API call, plus Twitch's Client-Id header; the scopes a
YouTube call needs; upload types, sizes and (banners) dimensions. Token lifetimes follow each
provider: Twitch keeps its refresh token, Kick rotates it (the old one stops working), Google
sends none on refresh and one on the code exchange only with ``access_type=offline``. Revoking
either token at Google or Twitch ends the whole grant; Kick revokes the token named (a refresh
token takes the grant with it). channels.update replaces brandingSettings with what was sent,
as YouTube does, so a client that forgets to send a property back loses it.

Tests script faults (``fail_next``, ``quota_exceeded``), age tokens (``expire_access_tokens``),
play the user removing the app at the provider (``revoke_grants``), and read ``calls``,
``uploads``, ``revoked``, ``thumbnails`` and ``branding_settings``. The REST endpoints are in
``tests.fakes.platform_apis``; the channels and the providers' JSON, pages and images in
``tests.fakes.platform_data``.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from tests.fakes import platform_apis as apis
from tests.fakes import platform_data as data
from tests.fakes.platform_apis import Rejected, Reply, Request, reply_json
from tests.fakes.platform_data import Channel, Segment, Video
from tests.fakes.server import FakeHandler, FakeServer

__all__ = ["Call", "Channel", "FakePlatforms", "Segment", "Upload", "Video"]

APP_NAME = "AuraStream"
LIFETIME_S = {"twitch": 14400, "youtube": 3599, "kick": 7200}
PKCE_REQUIRED = ("youtube", "kick")
RECORDED_HEADERS = ("authorization", "client-id", "content-type")


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # as served, the same whichever origin the app rewrote
    params: dict[str, str]  # the query
    body: dict[str, Any] | int | None  # form fields or a JSON object; a raw body's length
    headers: dict[str, str]  # Authorization, Client-Id and Content-Type, lower-cased names


@dataclass(frozen=True)
class Upload:
    kind: str  # "thumbnail" | "banner"
    video_id: str | None
    content_type: str
    data: bytes
    at: datetime


@dataclass
class Grant:
    """What the user allowed: one client's access to one channel, with these scopes."""

    provider: str
    client_id: str
    scopes: list[str]
    channel: Channel
    offline: bool = True  # Google issues a refresh token only for access_type=offline
    revoked: bool = False


@dataclass
class _Code:
    """An authorize request the user is looking at, then (allowed) the code it became."""

    grant: Grant
    redirect_uri: str
    challenge: str | None
    state: str | None


@dataclass
class _Access:
    grant: Grant
    expires_at: float
    alive: bool = True

    def valid(self) -> bool:
        return self.alive and not self.grant.revoked and time.time() < self.expires_at


@dataclass
class _Fault:
    prefixes: tuple[str, ...]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


def _page(status: int, page: str) -> Reply:
    return status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}, page.encode()


def _pkce(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _oauth_error(provider: str, status: int, error: str, description: str) -> Rejected:
    if provider == "twitch":
        return Rejected(status, {"status": status, "message": description})
    return Rejected(status, {"error": error, "error_description": description})


_ROUTES: dict[tuple[str, str], tuple[str, str]] = {
    ("GET", "/oauth2/authorize"): ("twitch", "_authorize"),
    ("GET", "/o/oauth2/v2/auth"): ("youtube", "_authorize"),
    ("GET", "/oauth/authorize"): ("kick", "_authorize"),
    ("POST", "/__consent"): ("", "_consent"),
    ("POST", "/oauth2/token"): ("twitch", "_token"),
    ("POST", "/token"): ("youtube", "_token"),
    ("POST", "/oauth/token"): ("kick", "_token"),
    ("POST", "/oauth2/revoke"): ("twitch", "_revoke"),
    ("POST", "/revoke"): ("youtube", "_revoke"),
    ("POST", "/oauth/revoke"): ("kick", "_revoke"),
}


class FakePlatforms(FakeServer):
    """The providers' state; ``running()`` serves it over HTTP on 127.0.0.1."""

    def __init__(self) -> None:
        self.base_url = ""
        # provider -> (client_id, secret) AuraStream is registered with there.
        self.clients: dict[str, tuple[str, str]] = {
            "twitch": ("aurastreamfaketwitchclient0001", secrets.token_hex(15)),
            "youtube": (
                "1029384756-aurastreamfake.apps.googleusercontent.com",
                f"GOCSPX-{secrets.token_urlsafe(21)}",
            ),
            "kick": ("01JAURASTREAMFAKEKICKCLIENT", secrets.token_hex(32)),
        }
        # provider -> the channel of the user who consents there (edit before connecting).
        self.channels: dict[str, Channel] = data.default_channels()
        self.calls: list[Call] = []
        self.uploads: list[Upload] = []
        self.revoked: list[tuple[str, str]] = []
        self.thumbnails: dict[str, bytes] = {}  # video id -> its current custom thumbnail
        self._lock = threading.Lock()
        self._pending: dict[str, _Code] = {}
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, _Access] = {}
        self._refresh: dict[str, Grant] = {}
        self._faults: list[_Fault] = []
        self._images: dict[str, tuple[str, Callable[[], bytes]]] = {}

    def handler(self) -> type[_Handler]:
        return _Handler

    # --- What tests call -------------------------------------------------------------------

    def settings(self) -> dict[str, dict[str, str]]:
        return {p: {"client_id": cid, "secret": secret} for p, (cid, secret) in self.clients.items()}

    def origins(self) -> dict[str, str]:
        """CONNECTIONS_BASE_URLS: every real origin the fake plays -> this server."""
        return {origin: self.base_url for origins in data.ORIGINS.values() for origin in origins}

    def rewrite(self, url: str) -> str:
        """A real provider URL as the app rewrites it (other URLs unchanged)."""
        for origin, base in self.origins().items():
            if url == origin or url.startswith(f"{origin}/"):
                return base + url[len(origin) :]
        return url

    def approve(self, authorize_url: str) -> str:
        """Play the user pressing Allow: the redirect URL (redirect_uri?code=…&state=…)."""
        return self._decide(authorize_url, "allow")

    def deny(self, authorize_url: str) -> str:
        """Play the user pressing Cancel: redirect_uri?error=access_denied&…&state=…."""
        return self._decide(authorize_url, "cancel")

    def called(self, method: str, path: str) -> list[Call]:
        return [call for call in self.calls if call.method == method and call.path == path]

    def image_url(self, provider: str, kind: str) -> str:
        """The CDN URL of the channel's ``avatar`` or ``banner`` as the API gives it; served."""
        channel = self.channels[provider]
        url = data.image_url(channel, kind)
        colours = tuple(channel.avatar_colours if kind == "avatar" else channel.banner_colours)
        size = data.AVATAR_SIZE if kind == "avatar" else data.BANNER_SIZE
        self.serve_image(urlsplit(url).path, "image/png", functools.partial(data.draw, colours, size))
        return url

    @property
    def branding_settings(self) -> dict[str, Any]:
        """The YouTube channel's brandingSettings as channels.list now returns them."""
        return data.youtube_branding(self.channels["youtube"], self.image_url("youtube", "banner"))

    def fail_next(
        self,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests whose path starts with ``path`` with ``status``
        (by default the provider's body for it, and its rate-limit headers for a 429)."""
        default_body, default_headers = data.fault(path, status)
        fault = _Fault((path,), status, default_body if body is None else body, default_headers, times)
        fault.headers.update(headers or {})
        with self._lock:
            self._faults.append(fault)

    def quota_exceeded(self, times: int = 1) -> None:
        """YouTube's 403 quotaExceeded for the next ``times`` Data API requests."""
        with self._lock:
            prefixes = ("/youtube/v3/", "/upload/youtube/v3/")
            self._faults.append(_Fault(prefixes, 403, data.QUOTA_EXCEEDED, {}, times))

    def expire_access_tokens(self) -> None:
        """Every access token issued so far expires (401); refresh tokens still work."""
        with self._lock:
            for access in self._access.values():
                access.alive = False

    def revoke_grants(self, provider: str) -> None:
        """The user removed the app at the provider: its tokens 401, refresh is invalid_grant."""
        with self._lock:
            grants = [a.grant for a in self._access.values()] + list(self._refresh.values())
            for grant in grants + [code.grant for code in self._codes.values()]:
                if grant.provider == provider:
                    grant.revoked = True

    # --- Serving ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        body: dict[str, Any] | int | None = request.form or (
            request.json if isinstance(request.json, dict) else len(request.data) or None
        )
        headers = {name: request.headers[name] for name in RECORDED_HEADERS if name in request.headers}
        self.record(
            Call(request.method, request.path, {k: v[0] for k, v in request.query.items()}, body, headers)
        )
        with self._lock:
            fault = next(
                (f for f in self._faults if f.times > 0 and request.path.startswith(f.prefixes)), None
            )
            if fault:
                fault.times -= 1
        if fault:
            return reply_json(fault.status, fault.body, fault.headers)
        try:
            route = _ROUTES.get((request.method, request.path))
            if route:
                provider, name = route
                reply: Reply = getattr(self, name)(provider, request)
                return reply
            endpoint = apis.ROUTES.get((request.method, request.path))
            if endpoint:
                return endpoint(self, request)
            if request.method == "GET":
                return self._cdn(request.path)
            return reply_json(404, {"error": "Not Found", "status": 404, "message": request.path})
        except Rejected as rejected:
            return reply_json(rejected.status, rejected.body, rejected.headers)

    def _decide(self, authorize_url: str, decision: str) -> str:
        with requests.Session() as browser:
            browser.trust_env = False  # straight to 127.0.0.1, whatever proxy the environment names
            page = browser.get(self.rewrite(authorize_url), allow_redirects=False, timeout=10)
            consent = re.search(r'name="consent" value="([^"]*)"', page.text)
            if page.status_code != 200 or consent is None:
                raise AssertionError(f"the authorize page refused ({page.status_code}): {page.text}")
            form = {"consent": html.unescape(consent[1]), "decision": decision}
            answer = browser.post(f"{self.base_url}/__consent", data=form, allow_redirects=False, timeout=10)
        return answer.headers["Location"]

    def _cdn(self, path: str) -> Reply:
        with self._lock:
            image = self._images.get(path.split("=", 1)[0])
        video = re.fullmatch(r"/vi/([\w-]+)/\w+\.jpg", path)
        channel = self.channels["youtube"]
        if image is None and video and video[1] in {v[0] for v in channel.videos}:
            uploaded = self.thumbnails.get(video[1])
            kind = "image/jpeg" if uploaded and uploaded[:2] == b"\xff\xd8" else "image/png"
            draw = functools.partial(data.draw, tuple(channel.banner_colours), (480, 360))
            image = (kind, functools.partial(bytes, uploaded) if uploaded else draw)
        if image is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        return 200, {"Content-Type": image[0], "Cache-Control": "public, max-age=86400"}, image[1]()

    # --- OAuth ------------------------------------------------------------------------------

    def _authorize(self, provider: str, request: Request) -> Reply:
        query = {name: values[0] for name, values in request.query.items()}
        client_id, _ = self.clients[provider]
        redirect_uri = query.get("redirect_uri", "")
        challenge = query.get("code_challenge") if provider in PKCE_REQUIRED else None
        problem = next(
            (
                message
                for failed, message in (
                    (query.get("client_id") != client_id, "The OAuth client was not found (client_id)."),
                    (query.get("response_type") != "code", "response_type must be code."),
                    (not redirect_uri.startswith(("http://", "https://")), "Missing redirect_uri."),
                    (provider == "youtube" and not query.get("scope"), "Missing required parameter: scope"),
                    (
                        provider in PKCE_REQUIRED
                        and (not challenge or query.get("code_challenge_method") != "S256"),
                        "PKCE is required: code_challenge with code_challenge_method=S256.",
                    ),
                )
                if failed
            ),
            None,
        )
        if problem:
            return _page(400, data.error_page(provider, problem))
        offline = provider != "youtube" or query.get("access_type") == "offline"
        grant = Grant(provider, client_id, query.get("scope", "").split(), self.channels[provider], offline)
        consent = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[consent] = _Code(grant, redirect_uri, challenge, query.get("state"))
        return _page(200, data.consent_page(provider, grant.channel, grant.scopes, consent, APP_NAME))

    def _consent(self, _: str, request: Request) -> Reply:
        with self._lock:
            pending = self._pending.pop(request.form.get("consent", ""), None)
        if pending is None:
            return _page(400, data.error_page(None, "This consent page has expired."))
        answer: dict[str, str]
        if request.form.get("decision") == "allow":
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = pending
            answer = {"code": code}
            if pending.grant.provider != "kick":
                answer["scope"] = " ".join(pending.grant.scopes)
        else:
            answer = {"error": "access_denied", "error_description": "The user denied you access"}
        if pending.state is not None:
            answer["state"] = pending.state
        joiner = "&" if "?" in pending.redirect_uri else "?"
        return 302, {"Location": f"{pending.redirect_uri}{joiner}{urlencode(answer)}"}, b""

    def _token(self, provider: str, request: Request) -> Reply:
        form = request.form
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        scheme, _, basic = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            client_id, _, secret = base64.b64decode(basic).decode().partition(":")
        if (client_id, secret) != self.clients[provider]:
            status = 403 if provider == "twitch" else 401
            raise _oauth_error(provider, status, "invalid_client", "invalid client secret")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return reply_json(200, self._exchange(provider, form))
        if grant_type == "refresh_token":
            return reply_json(200, self._refreshed(provider, form))
        raise _oauth_error(provider, 400, "unsupported_grant_type", "Invalid grant_type")

    def _exchange(self, provider: str, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            code = self._codes.pop(form.get("code", ""), None)  # one exchange, even a failed one
        bad = {"twitch": "Invalid authorization code", "youtube": "Bad Request"}.get(provider, "Invalid code")
        if (
            code is None
            or code.grant.revoked
            or code.grant.client_id != form.get("client_id", code.grant.client_id)
        ):
            raise _oauth_error(provider, 400, "invalid_grant", bad)
        if code.redirect_uri != form.get("redirect_uri"):
            error = "redirect_uri_mismatch" if provider == "youtube" else "invalid_grant"
            raise _oauth_error(provider, 400, error, "Parameter redirect_uri does not match registered URI")
        if code.challenge is not None and _pkce(form.get("code_verifier", "")) != code.challenge:
            raise _oauth_error(provider, 400, "invalid_grant", "Invalid code verifier.")
        return self._issue(code.grant, self._new_refresh(code.grant) if code.grant.offline else None)

    def _refreshed(self, provider: str, form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token", "")
        with self._lock:
            grant = self._refresh.get(token)
            if grant is None or grant.revoked or grant.provider != provider:
                message = (
                    "Invalid refresh token" if provider != "youtube" else "Token has been expired or revoked."
                )
                raise _oauth_error(provider, 400, "invalid_grant", message)
            if provider == "kick":
                del self._refresh[token]  # Kick rotates: the old refresh token is spent
        if provider == "youtube":
            return self._issue(grant, None)  # Google sends no new refresh token
        return self._issue(grant, token if provider == "twitch" else self._new_refresh(grant))

    def _new_refresh(self, grant: Grant) -> str:
        token = f"1//{secrets.token_urlsafe(48)}" if grant.provider == "youtube" else secrets.token_hex(25)
        with self._lock:
            self._refresh[token] = grant
        return token

    def _issue(self, grant: Grant, refresh: str | None) -> dict[str, Any]:
        provider = grant.provider
        access = f"ya29.{secrets.token_urlsafe(60)}" if provider == "youtube" else secrets.token_hex(15)
        with self._lock:
            self._access[access] = _Access(grant, time.time() + LIFETIME_S[provider])
        answer: dict[str, Any] = {"access_token": access, "expires_in": LIFETIME_S[provider]}
        if refresh is not None:
            answer["refresh_token"] = refresh
        answer["scope"] = grant.scopes if provider == "twitch" else " ".join(grant.scopes)
        answer["token_type"] = "bearer" if provider == "twitch" else "Bearer"
        return answer

    def _revoke(self, provider: str, request: Request) -> Reply:
        token = request.form.get("token") or request.arg("token")
        if provider == "twitch" and request.form.get("client_id") != self.clients["twitch"][0]:
            raise _oauth_error(provider, 400, "invalid_client", "Invalid client id")
        with self._lock:
            access = self._access.get(token)
            grant = access.grant if access else self._refresh.get(token)
            known = (
                grant is not None
                and grant.provider == provider
                and (access.valid() if access else not grant.revoked)
            )
            if grant is not None and known:
                if provider == "kick" and access is not None:
                    access.alive = False
                else:
                    grant.revoked = True
                self.revoked.append((provider, token))
        if provider == "youtube":
            return (
                reply_json(200, {})
                if known
                else reply_json(
                    400, {"error": "invalid_token", "error_description": "Token expired or revoked"}
                )
            )
        if provider == "twitch" and not known:
            return reply_json(400, {"status": 400, "message": "Invalid token"})
        return 200, {}, b""

    # --- For the endpoints (tests.fakes.platform_apis) --------------------------------------

    def authorized(self, provider: str, request: Request, unauthorized: dict[str, Any]) -> Grant:
        """The grant behind the request's bearer token, or ``unauthorized`` with a 401."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        with self._lock:
            access = self._access.get(token)
        if scheme.lower() not in ("bearer", "oauth") or access is None or not access.valid():
            raise Rejected(401, unauthorized, {"WWW-Authenticate": f'Bearer realm="{provider}"'})
        if access.grant.provider != provider:
            raise Rejected(401, unauthorized)
        return access.grant

    def record_upload(self, kind: str, video_id: str | None, content_type: str, raw: bytes) -> None:
        with self._lock:
            self.uploads.append(Upload(kind, video_id, content_type, raw, datetime.now(UTC)))
            if video_id:
                self.thumbnails[video_id] = raw

    def serve_image(self, path: str, content_type: str, make: Callable[[], bytes]) -> None:
        """Serve ``make()`` at ``path`` on the image CDNs from now on."""
        with self._lock:
            self._images[path] = (content_type, make)


class _Handler(FakeHandler[FakePlatforms]):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def _answer(self) -> None:
        url = urlsplit(self.path)
        headers = self.lower_headers()
        raw = self.body()
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        form = (
            {k: v[0] for k, v in parse_qs(raw.decode(errors="replace")).items()}
            if kind.endswith("x-www-form-urlencoded")
            else {}
        )
        payload: Any = None
        if kind.endswith("json") and raw:
            with contextlib.suppress(ValueError):
                payload = json.loads(raw)
        query = parse_qs(url.query, keep_blank_values=True)
        request = Request(self.command, url.path, query, headers, raw, form, payload)
        status, answer_headers, body = self.fake.handle(request)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.reply(status, body, answer_headers)
