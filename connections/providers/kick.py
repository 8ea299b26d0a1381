"""Kick: OAuth 2.1 with PKCE at id.kick.com, the channel from the public API.

https://docs.kick.com/getting-started/generating-tokens-oauth2-flow (authorize, token,
refresh, revoke), https://docs.kick.com/apis/users and /apis/channels. Every refresh replaces
the refresh token, so the new one must be saved before anything else can fail.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Channel, OAuthProvider, Unavailable

API = "https://api.kick.com/public/v1"


@dataclass
class Kick(OAuthProvider):
    def revoke(self, token: str) -> None:
        # Kick takes the token in the query string.
        self._send("POST", self.revoke_endpoint, params={"token": token, "token_hint_type": "access_token"})

    def channel(self, access_token: str) -> Channel:
        users = self.api("GET", f"{API}/users", access_token).get("data") or []
        channels = self.api("GET", f"{API}/channels", access_token).get("data") or []
        if not users or not channels:
            raise Unavailable("Kick didn't describe the channel. Try again.")
        user, channel = users[0], channels[0]
        category = channel.get("category") or {}
        return Channel(
            account_id=str(user.get("user_id") or channel.get("broadcaster_user_id")),
            display_name=user.get("name") or channel.get("slug") or "",
            handle=channel.get("slug") or "",
            avatar_url=user.get("profile_picture") or "",
            banner_url=channel.get("banner_picture") or "",
            category=category.get("name") or "",
            title=channel.get("stream_title") or "",
        )

    def channel_url(self, channel_handle: str) -> str:
        return f"https://kick.com/{channel_handle}"


KICK = Kick(
    name="kick",
    label="Kick",
    authorize_endpoint="https://id.kick.com/oauth/authorize",
    exchange_endpoint="https://id.kick.com/oauth/token",
    revoke_endpoint="https://id.kick.com/oauth/revoke",
    scopes=("user:read", "channel:read"),
    pkce=True,
    apps_page="https://kick.com/settings/connections",
)
