"""What every platform's client shares: OAuth 2 (authorization code, PKCE where the platform
takes it, refresh, revoke) and calls to its REST API, over ``requests`` to the documented
endpoints, with every failure sorted into one of the errors below.

The platforms differ exactly where a generic OAuth client abstracts poorly (Twitch lists its
scopes and wants its Client-Id on every call, Google sends no new refresh token, Kick replaces
it on every refresh), so each step is written out against the platform's documentation.

URLs stay the platforms' own in the code; ``settings.CONNECTIONS_BASE_URLS`` may say where an
origin is really served (a staging fake, the tests' fakes), and ``url()`` applies it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.utils import timezone


class ProviderError(Exception):
    """A platform call that failed, with a message for the creator (nothing was changed)."""

    status = 502  # what the API answers

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Unavailable(ProviderError):
    """The platform is down or didn't answer (5xx, timeout, refused connection)."""

    status = 503


class Busy(ProviderError):
    """The platform is limiting us (429) or the day's quota is used up."""

    status = 503


class Rejected(ProviderError):
    """The platform refused this request (a video that is gone, an image it won't take)."""

    status = 400


class TokenRejected(ProviderError):
    """The platform no longer accepts the connection's tokens: the creator must reconnect."""

    status = 409


class NotConfigured(ProviderError):
    status = 503


class _TokenExpired(Exception):
    """A 401 from an API call: the caller refreshes once and tries again."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: dt.datetime | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Channel:
    """A channel as its platform describes it."""

    account_id: str
    display_name: str
    handle: str = ""
    avatar_url: str = ""
    banner_url: str = ""
    category: str = ""
    title: str = ""


@dataclass(frozen=True)
class Video:
    id: str
    title: str
    published_at: dt.datetime | None


@dataclass(frozen=True)
class Segment:
    """One stream in a schedule, in UTC."""

    start: dt.datetime
    end: dt.datetime | None
    title: str = ""
    category: str = ""


def url(real: str) -> str:
    """``real`` with its origin swapped for the one settings serve it from, if any."""
    parts = urlsplit(real)
    origin = f"{parts.scheme}://{parts.netloc}"
    served = settings.CONNECTIONS_BASE_URLS.get(origin)
    return real if not served else served.rstrip("/") + real[len(origin) :]


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _retry_after(response: requests.Response) -> int | None:
    value = response.headers.get("Retry-After")
    if value and value.isdigit():
        return int(value)
    reset = response.headers.get("Ratelimit-Reset")  # Twitch: the epoch second it refills
    if reset and reset.isdigit():
        return max(1, int(reset) - int(timezone.now().timestamp()))
    return None


@dataclass
class OAuthProvider:
    """One platform's OAuth app and API. Subclasses add what they read and publish."""

    name: str
    label: str
    authorize_endpoint: str
    exchange_endpoint: str
    revoke_endpoint: str
    scopes: tuple[str, ...]
    pkce: bool = False
    authorize_params: dict[str, str] = field(default_factory=dict)
    # Where the creator changes what the app may do, for the "reconnect" message.
    apps_page: str = ""

    # --- The app ----------------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        return self.name in settings.CONNECTION_CLIENTS

    def client(self) -> dict[str, str]:
        try:
            return settings.CONNECTION_CLIENTS[self.name]
        except KeyError:
            raise NotConfigured(f"{self.label} connections aren't set up on this server.") from None

    # --- OAuth ------------------------------------------------------------------------------

    def authorize_url(self, *, state: str, redirect_uri: str, challenge: str) -> str:
        params = {
            "client_id": self.client()["client_id"],
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(self.scopes),
            "state": state,
            **self.authorize_params,
        }
        if self.pkce:
            params.update(code_challenge=challenge, code_challenge_method="S256")
        return f"{url(self.authorize_endpoint)}?{urlencode(params)}"

    def exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if self.pkce:
            data["code_verifier"] = verifier
        try:
            return self._token_request(data)
        except TokenRejected:
            raise Rejected(
                f"{self.label} didn't accept the sign-in code (it may have expired). Connect again."
            ) from None

    def refresh(self, refresh_token: str) -> Tokens:
        if not refresh_token:
            raise TokenRejected(self.reconnect_message())
        tokens = self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
        # Google sends no new refresh token: the old one stays good.
        return (
            tokens
            if tokens.refresh_token
            else Tokens(tokens.access_token, refresh_token, tokens.expires_at, tokens.scopes)
        )

    def revoke(self, token: str) -> None:
        client = self.client()
        self._send("POST", self.revoke_endpoint, data={"client_id": client["client_id"], "token": token})

    def reconnect_message(self) -> str:
        return f"{self.label} no longer accepts AuraStream's access to this channel. Reconnect it to go on."

    def _token_request(self, data: dict[str, str]) -> Tokens:
        client = self.client()
        data = {**data, "client_id": client["client_id"], "client_secret": client["secret"]}
        response = self._send("POST", self.exchange_endpoint, data=data, check=False)
        if response.status_code in (400, 401):
            raise TokenRejected(self.reconnect_message())
        self._check(response)
        body = self._json(response)
        if not body.get("access_token"):
            raise Unavailable(f"{self.label} sent an answer AuraStream couldn't read. Try again.")
        scope = body.get("scope") or ()
        expires_in = body.get("expires_in")
        return Tokens(
            access_token=str(body["access_token"]),
            refresh_token=str(body.get("refresh_token") or ""),
            expires_at=timezone.now() + dt.timedelta(seconds=int(expires_in)) if expires_in else None,
            scopes=tuple(scope.split() if isinstance(scope, str) else scope),
        )

    # --- API calls --------------------------------------------------------------------------

    def api_headers(self, access_token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {access_token}"}

    def api(self, method: str, endpoint: str, access_token: str, **kwargs: Any) -> Any:
        """One API call; its JSON answer ({} for none). A 401 raises ``_TokenExpired``."""
        headers = {**self.api_headers(access_token), **kwargs.pop("headers", {})}
        response = self._send(method, endpoint, headers=headers, check=False, **kwargs)
        if response.status_code == 401:
            raise _TokenExpired
        self._check(response)
        return self._json(response) if response.content else {}

    def _send(self, method: str, endpoint: str, *, check: bool = True, **kwargs: Any) -> requests.Response:
        try:
            response = requests.request(
                method, url(endpoint), timeout=settings.CONNECTIONS_TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.Timeout:
            raise Unavailable(
                f"{self.label} took too long to answer. Nothing was changed; try again."
            ) from None
        except requests.RequestException:
            raise Unavailable(
                f"AuraStream couldn't reach {self.label}. Nothing was changed; try again."
            ) from None
        if check:
            self._check(response)
        return response

    def _check(self, response: requests.Response) -> None:
        """Raise the error a failed answer means; a success passes."""
        status = response.status_code
        if status < 400:
            return
        if status == 429:
            wait = _retry_after(response)
            raise Busy(
                f"{self.label} is limiting requests right now. Nothing was changed; try again in a minute.",
                retry_after=wait or 60,
            )
        if status >= 500:
            raise Unavailable(
                f"{self.label} isn't answering properly right now (error {status}). "
                "Nothing was changed; try again in a few minutes.",
                retry_after=60,
            )
        raise Rejected(f"{self.label} refused that: {self.error_text(response)}")

    def error_text(self, response: requests.Response) -> str:
        """The platform's own words for a refusal (each envelope differs; subclasses read theirs)."""
        try:
            body = response.json()
        except ValueError:
            return f"error {response.status_code}"
        message = body.get("message") or body.get("error_description") or body.get("error")
        return str(message)[:200] if isinstance(message, str) else f"error {response.status_code}"

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise Unavailable(f"{self.label} sent an answer AuraStream couldn't read. Try again.") from None

    # --- What each platform reads ------------------------------------------------------------

    def channel(self, access_token: str) -> Channel:
        raise NotImplementedError

    def channel_url(self, channel_handle: str) -> str:
        raise NotImplementedError
