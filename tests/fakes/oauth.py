"""Google, Twitch and Discord played by a real HTTP server on 127.0.0.1, for social-login tests.

The server answers the same paths the real providers serve (authorize, token, profile) and
checks what they check: the client id and secret, a single-use code issued to the same
redirect URI, the PKCE verifier against the challenge it saw at authorize (Google), and the
bearer token (plus Twitch's Client-Id header) on the profile endpoint.

How allauth reaches it: allauth makes every provider call through
`SocialAccountAdapter.get_requests_session()`, its documented hook for the HTTP session. The
tests wrap that method so the session it returns carries `FakeProviders.transport()`, a
requests transport that sends `https://<provider host>/<path>` to this server, with the
provider host in the Host header. That was chosen over pointing the adapter classes' URL
attributes at the server because it changes nothing allauth decides: the real URLs stay in
allauth's code and in the redirect the browser gets, the token exchange, parsing, user
creation and linking all run as in production, and the server can assert that allauth calls
the real hosts and paths. Any host the fake does not play is left alone, so it hits the
suite's network guard and fails loudly.

Google's token response carries an RS256 id_token signed with a key made for the run. In the
authorization-code flow allauth does not fetch Google's certificates to check that signature
(the token came straight from Google over TLS, OpenID Connect Core 3.1.3.7), so the server does
not serve them; allauth still checks the issuer, audience and expiry, which the fake sets as
Google does.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from requests.adapters import HTTPAdapter

from tests.fakes.server import FakeHandler, FakeServer

GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass(frozen=True)
class Endpoint:
    host: str
    path: str

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"


@dataclass(frozen=True)
class ProviderSpec:
    """Where a provider serves its OAuth2 endpoints, as documented by the provider."""

    authorize: Endpoint
    token: Endpoint
    # Google's profile comes inside the id_token, so allauth calls no profile endpoint.
    profile: Endpoint | None
    requires_pkce: bool = False


PROVIDERS: dict[str, ProviderSpec] = {
    "google": ProviderSpec(
        authorize=Endpoint("accounts.google.com", "/o/oauth2/v2/auth"),
        token=Endpoint("oauth2.googleapis.com", "/token"),
        profile=None,
        requires_pkce=True,
    ),
    "twitch": ProviderSpec(
        authorize=Endpoint("id.twitch.tv", "/oauth2/authorize"),
        token=Endpoint("id.twitch.tv", "/oauth2/token"),
        profile=Endpoint("api.twitch.tv", "/helix/users"),
    ),
    "discord": ProviderSpec(
        authorize=Endpoint("discord.com", "/api/oauth2/authorize"),
        token=Endpoint("discord.com", "/api/oauth2/token"),
        profile=Endpoint("discord.com", "/api/users/@me"),
    ),
}
PROVIDER_HOSTS = frozenset(
    endpoint.host
    for spec in PROVIDERS.values()
    for endpoint in (spec.authorize, spec.token, spec.profile)
    if endpoint
)


@dataclass(frozen=True)
class ProviderUser:
    """The person signed in at the provider, as its profile describes them."""

    uid: str
    email: str
    # Google's `email_verified` and Discord's `verified`; Twitch's profile has no such flag.
    email_verified: bool = True
    # Google's `name`, Twitch's `display_name`, Discord's `global_name`.
    name: str = "Night Owl"

    @property
    def handle(self) -> str:
        """Twitch's `login`, Discord's `username`."""
        return self.name.lower().replace(" ", "")


@dataclass(frozen=True)
class Grant:
    """What the provider remembers between authorize, token and profile calls."""

    provider: str
    client_id: str
    redirect_uri: str
    code_challenge: str | None
    user: ProviderUser


@dataclass(frozen=True)
class Call:
    method: str
    host: str
    path: str
    params: dict[str, str]


class OAuthError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


@functools.cache
def _signing_key() -> rsa.RSAPrivateKey:
    # One key per test run: generating RSA keys is the slow part of the fake.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class FakeProviders(FakeServer):
    """The three providers' state; `running()` serves it over HTTP on 127.0.0.1."""

    base_url: str = ""
    # provider -> (client_id, secret) this app is registered with at the provider.
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)
    # provider -> who will be signed in there when the browser reaches authorize.
    signed_in: dict[str, ProviderUser] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _codes: dict[str, Grant] = field(default_factory=dict)
    _tokens: dict[str, Grant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for provider in PROVIDERS:
            self.clients[provider] = (f"{provider}-client-id", secrets.token_urlsafe(16))

    def handler(self) -> type[_Handler]:
        return _Handler

    # --- What tests call -------------------------------------------------------------------

    def app(self, provider: str) -> dict[str, str]:
        """The SocialApp entry for SOCIALACCOUNT_PROVIDERS[provider]["APPS"]."""
        client_id, secret = self.clients[provider]
        return {"client_id": client_id, "secret": secret, "key": ""}

    def sign_in(self, provider: str, user: ProviderUser) -> None:
        self.signed_in[provider] = user

    def transport(self) -> HTTPAdapter:
        return _ToFakeProviders(self.base_url)

    def route(self, session: requests.Session) -> requests.Session:
        """Send this session's calls to the provider hosts to the fake instead."""
        transport = self.transport()
        for host in PROVIDER_HOSTS:
            session.mount(f"https://{host}/", transport)
        return session

    def browser(self) -> requests.Session:
        """The user's browser, as far as the provider's pages are concerned."""
        return self.route(requests.Session())

    def called(self, provider: str, endpoint: str) -> list[Call]:
        target: Endpoint = getattr(PROVIDERS[provider], endpoint)
        return [c for c in self.calls if (c.host, c.path) == (target.host, target.path)]

    # --- The provider side ------------------------------------------------------------------

    def handle(self, call: Call, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.record(call)
        for provider, spec in PROVIDERS.items():
            try:
                if (call.host, call.path) == (spec.authorize.host, spec.authorize.path):
                    return 302, {"Location": self._authorize(provider, call.params)}, b""
                if (call.host, call.path) == (spec.token.host, spec.token.path):
                    return _json(200, self._token(provider, call))
                if spec.profile and (call.host, call.path) == (spec.profile.host, spec.profile.path):
                    return _json(200, self._profile(provider, headers))
            except OAuthError as error:
                return _json(error.status, {"error": error.error})
        return _json(404, {"error": "not_found"})

    def _authorize(self, provider: str, params: dict[str, str]) -> str:
        client_id, _ = self.clients[provider]
        if params.get("client_id") != client_id or params.get("response_type") != "code":
            raise OAuthError(400, "invalid_request")
        challenge = params.get("code_challenge")
        if PROVIDERS[provider].requires_pkce and (
            not challenge or params.get("code_challenge_method") != "S256"
        ):
            raise OAuthError(400, "invalid_request")
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = Grant(
                provider=provider,
                client_id=client_id,
                redirect_uri=params["redirect_uri"],
                code_challenge=challenge,
                user=self.signed_in[provider],
            )
        answer = {"code": code}
        if "state" in params:
            answer["state"] = params["state"]
        return f"{params['redirect_uri']}?{urlencode(answer)}"

    def _token(self, provider: str, call: Call) -> dict[str, Any]:
        form = call.params
        client_id, secret = self.clients[provider]
        if call.method != "POST" or form.get("grant_type") != "authorization_code":
            raise OAuthError(400, "unsupported_grant_type")
        if form.get("client_id") != client_id or form.get("client_secret") != secret:
            raise OAuthError(401, "invalid_client")
        with self._lock:
            # A code is good for one exchange, even a failed one.
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant.provider != provider or grant.redirect_uri != form.get("redirect_uri"):
            raise OAuthError(400, "invalid_grant")
        if grant.code_challenge is not None and grant.code_challenge != _pkce_challenge(
            form.get("code_verifier", "")
        ):
            raise OAuthError(400, "invalid_grant")
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[access_token] = grant
        answer: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
        }
        if provider == "google":
            answer["id_token"] = self._google_id_token(grant)
        return answer

    def _google_id_token(self, grant: Grant) -> str:
        user = grant.user
        given_name, _, family_name = user.name.partition(" ")
        now = int(time.time())
        claims = {
            "iss": GOOGLE_ISSUER,
            "azp": grant.client_id,
            "aud": grant.client_id,
            "sub": user.uid,
            "email": user.email,
            "email_verified": user.email_verified,
            "name": user.name,
            "given_name": given_name,
            "family_name": family_name,
            "iat": now,
            "exp": now + 3600,
        }
        return jwt.encode(claims, _signing_key(), algorithm="RS256", headers={"kid": "fake-google-key"})

    def _profile(self, provider: str, headers: dict[str, str]) -> dict[str, Any]:
        scheme, _, access_token = headers.get("authorization", "").partition(" ")
        with self._lock:
            grant = self._tokens.get(access_token)
        if scheme.lower() != "bearer" or grant is None or grant.provider != provider:
            raise OAuthError(401, "invalid_token")
        user = grant.user
        if provider == "twitch":
            # Helix rejects a user token presented without the Client-Id it was issued to.
            if headers.get("client-id") != grant.client_id:
                raise OAuthError(401, "invalid_client")
            return {
                "data": [
                    {
                        "id": user.uid,
                        "login": user.handle,
                        "display_name": user.name,
                        "type": "",
                        "broadcaster_type": "affiliate",
                        "description": "",
                        "profile_image_url": "https://static-cdn.jtvnw.net/user-default.png",
                        "email": user.email,
                        "created_at": "2020-01-01T00:00:00Z",
                    }
                ]
            }
        return {
            "id": user.uid,
            "username": user.handle,
            "global_name": user.name,
            "discriminator": "0",
            "avatar": None,
            "email": user.email,
            "verified": user.email_verified,
        }


def _json(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


class _Handler(FakeHandler[FakeProviders]):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if self.command == "POST":
            params.update({k: v[0] for k, v in parse_qs(self.body().decode()).items()})
        host = (self.headers.get("Host") or "").split(":")[0]
        status, answer_headers, body_bytes = self.fake.handle(
            Call(method=self.command, host=host, path=url.path, params=params), self.lower_headers()
        )
        self.reply(status, body_bytes, answer_headers)


class _ToFakeProviders(HTTPAdapter):
    """A requests transport that delivers https://<provider host>/... to the fake server."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self._base = urlsplit(base_url)

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        request.headers["Host"] = url.netloc
        request.url = urlunsplit((self._base.scheme, self._base.netloc, url.path, url.query, ""))
        # Straight to 127.0.0.1: a proxy taken from the environment for the real host must not
        # carry the call off this machine.
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies={})
