"""Twitch: OAuth at id.twitch.tv, the channel and its schedule from the Helix API.

https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/ (authorization code flow),
https://dev.twitch.tv/docs/api/reference/ (Get Users, Get Channel Information, Get Channel
Stream Schedule). Reading a channel and its schedule needs no scope; Twitch has no API to
upload emotes or badges, so nothing more is asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .base import Channel, OAuthProvider, Rejected, Segment, Unavailable

API = "https://api.twitch.tv/helix"


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@dataclass
class Twitch(OAuthProvider):
    def api_headers(self, access_token: str) -> dict[str, str]:
        # Helix refuses a call without the app's Client-Id beside the token.
        return {"Authorization": f"Bearer {access_token}", "Client-Id": self.client()["client_id"]}

    def channel(self, access_token: str) -> Channel:
        users = self.api("GET", f"{API}/users", access_token).get("data") or []
        if not users:
            raise self._unreadable()
        user = users[0]
        info = self.api("GET", f"{API}/channels", access_token, params={"broadcaster_id": user["id"]})
        channel = (info.get("data") or [{}])[0]
        return Channel(
            account_id=str(user["id"]),
            display_name=user.get("display_name") or user.get("login") or "",
            handle=user.get("login") or "",
            avatar_url=user.get("profile_image_url") or "",
            banner_url=user.get("offline_image_url") or "",
            category=channel.get("game_name") or "",
            title=channel.get("title") or "",
        )

    def schedule(self, access_token: str, *, broadcaster_id: str) -> list[Segment]:
        """The coming streams (up to 25), canceled ones left out; [] without a schedule."""
        try:
            body: dict[str, Any] = self.api(
                "GET",
                f"{API}/schedule",
                access_token,
                params={"broadcaster_id": broadcaster_id, "first": "25"},
            )
        except Rejected:
            # 404: "segments were either not found or canceled", i.e. no schedule set.
            return []
        segments = (body.get("data") or {}).get("segments") or []
        found = []
        for segment in segments:
            start = _time(segment.get("start_time"))
            if start is None or segment.get("canceled_until"):
                continue
            category = segment.get("category") or {}
            found.append(
                Segment(
                    start=start,
                    end=_time(segment.get("end_time")),
                    title=segment.get("title") or "",
                    category=category.get("name") or "",
                )
            )
        return found

    def channel_url(self, channel_handle: str) -> str:
        return f"https://www.twitch.tv/{channel_handle}"

    def _unreadable(self) -> Exception:
        return Unavailable("Twitch didn't describe the channel. Try again.")


TWITCH = Twitch(
    name="twitch",
    label="Twitch",
    authorize_endpoint="https://id.twitch.tv/oauth2/authorize",
    exchange_endpoint="https://id.twitch.tv/oauth2/token",
    revoke_endpoint="https://id.twitch.tv/oauth2/revoke",
    scopes=(),
    # Ask again each time, so a creator can pick another Twitch account.
    authorize_params={"force_verify": "true"},
    apps_page="https://www.twitch.tv/settings/connections",
)
