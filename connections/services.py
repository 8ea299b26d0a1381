"""Every write to a creator's platform connections: connecting (start and finish the OAuth
flow), using the tokens (refreshed when they expire, the connection marked for reconnecting
when the platform refuses them), reading the channel again, and disconnecting.

Tokens are revoked at the platform whenever a connection row is deleted (disconnect, account
deletion), after the commit (``signals``). Platform calls raise ``providers.ProviderError``s
whose message is for the creator; nothing half done is left behind by one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cryptography.fernet import InvalidToken
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from aurastream import crypto
from billing.entitlements import ConnectionAllowance, connection_allowance

from . import pictures
from .models import Connection
from .providers import PROVIDERS, OAuthProvider, ProviderError, Rejected, TokenRejected, pkce_pair
from .providers.base import Channel, Tokens, _TokenExpired

T = TypeVar("T")

# How long a creator has to approve at the platform before the flow must start again.
STATE_MAX_AGE_S = 15 * 60
# Refresh a token this long before it expires, so a slow call never carries a dead one.
EXPIRY_MARGIN = dt.timedelta(seconds=60)


class ConnectionLimitReached(Exception):
    def __init__(self, allowance: ConnectionAllowance) -> None:
        super().__init__(allowance.explanation)
        self.allowance = allowance
        self.message = allowance.explanation


class ConnectFailed(Exception):
    """The flow came back without a connection (declined, expired, someone else's)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def provider_for(name: str) -> OAuthProvider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise ConnectFailed("AuraStream connects Twitch, YouTube and Kick channels.") from None


def allowance_for(user: User) -> ConnectionAllowance:
    return connection_allowance(user, connected=Connection.objects.filter(owner=user).count())


# --- Connecting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    authorize_url: str
    state: str


def connect_start(
    *, user: User, provider: str, redirect_uri: str, reconnect: Connection | None = None
) -> Started:
    """Where to send the creator to approve the connection. The state is a Fernet token (so
    its PKCE verifier stays secret in the URL) naming the creator and platform; it lasts
    ``STATE_MAX_AGE_S``. Reconnecting an existing channel is always allowed."""
    platform = provider_for(provider)
    platform.client()  # NotConfigured when the server has no app for it
    if reconnect is None:
        allowance = allowance_for(user)
        if not allowance.may_connect:
            raise ConnectionLimitReached(allowance)
    verifier, challenge = pkce_pair()
    payload = {"u": user.pk, "p": provider, "v": verifier, "n": secrets.token_urlsafe(8)}
    state = crypto.fernet().encrypt(json.dumps(payload).encode()).decode("ascii")
    return Started(platform.authorize_url(state=state, redirect_uri=redirect_uri, challenge=challenge), state)


def _verifier(*, user: User, provider: str, state: str) -> str:
    try:
        payload = json.loads(crypto.fernet().decrypt(state.encode("ascii"), ttl=STATE_MAX_AGE_S))
    except (InvalidToken, ValueError, UnicodeEncodeError):
        raise ConnectFailed(
            "That connection link has expired or isn't valid. Start connecting again."
        ) from None
    if payload.get("u") != user.pk or payload.get("p") != provider:
        raise ConnectFailed("That connection was started by another account. Start connecting again.")
    return str(payload["v"])


def connect_finish(*, user: User, provider: str, code: str, state: str, redirect_uri: str) -> Connection:
    """Exchange the platform's code for tokens, read the channel, and keep the connection (or
    renew the tokens of the same channel). Anything that fails leaves no connection and the
    new tokens revoked."""
    platform = provider_for(provider)
    verifier = _verifier(user=user, provider=provider, state=state)
    if not code:
        raise ConnectFailed(f"{platform.label} didn't send the approval back. Start connecting again.")
    tokens = platform.exchange(code=code, redirect_uri=redirect_uri, verifier=verifier)
    try:
        channel = platform.channel(tokens.access_token)
        with transaction.atomic():
            connection = _keep(user=user, platform=platform, tokens=tokens, channel=channel)
    except (ProviderError, ConnectionLimitReached, _TokenExpired) as error:
        _revoke_quietly(platform, tokens.access_token)
        if isinstance(error, _TokenExpired):
            raise Rejected(f"{platform.label} refused the new connection. Try again.") from None
        raise
    _pictures_update(connection, channel)
    return connection


def _keep(*, user: User, platform: OAuthProvider, tokens: Tokens, channel: Channel) -> Connection:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    connection = (
        Connection.objects.select_for_update()
        .filter(owner=user, provider=platform.name, account_id=channel.account_id)
        .first()
    )
    if connection is None:
        allowance = allowance_for(user)
        if not allowance.may_connect:
            raise ConnectionLimitReached(allowance)
        connection = Connection(owner=user, provider=platform.name, account_id=channel.account_id)
    _identity_set(connection, channel)
    _tokens_set(connection, tokens)
    connection.status, connection.problem = Connection.Status.ACTIVE, ""
    connection.save()
    return connection


def _identity_set(connection: Connection, channel: Channel) -> None:
    connection.display_name = channel.display_name[:100] or channel.handle[:100] or connection.account_id
    connection.handle = channel.handle[:100]
    connection.category = channel.category[:100]
    connection.title = channel.title[:200]
    connection.read_at = timezone.now()


def _tokens_set(connection: Connection, tokens: Tokens) -> None:
    connection.access_token = tokens.access_token
    connection.refresh_token = tokens.refresh_token or connection.refresh_token
    connection.expires_at = tokens.expires_at
    if tokens.scopes:
        connection.scopes = list(tokens.scopes)


def _pictures_update(connection: Connection, channel: Channel) -> None:
    """Copy the avatar and banner in (best effort: a connection works without them)."""
    fields = []
    for field, address, banner in (
        ("avatar", channel.avatar_url, False),
        ("banner", channel.banner_url, True),
    ):
        picture = pictures.fetch(address, banner=banner)
        if picture is None:
            continue
        old = getattr(connection, field)
        if old:
            transaction.on_commit(functools.partial(old.storage.delete, old.name))
        getattr(connection, field).save("picture.png", picture, save=False)
        fields.append(field)
    if fields:
        connection.save(update_fields=fields)


def _revoke_quietly(platform: OAuthProvider, token: str) -> None:
    with contextlib.suppress(ProviderError):
        platform.revoke(token)


# --- Using the tokens ----------------------------------------------------------------------


def _mark_reconnect(connection: Connection, message: str) -> None:
    connection.status, connection.problem = Connection.Status.RECONNECT, message[:300]
    connection.save(update_fields=["status", "problem"])


def _refreshed(connection: Connection, used: str) -> None:
    """Refresh the connection's tokens under a row lock; if another request already did
    (its access token is no longer ``used``), take theirs."""
    platform = PROVIDERS[connection.provider]
    locked = Connection.objects.select_for_update().get(pk=connection.pk)
    if locked.access_token != used and locked.status == Connection.Status.ACTIVE:
        connection.access_token, connection.expires_at = locked.access_token, locked.expires_at
        return
    try:
        tokens = platform.refresh(locked.refresh_token)
    except TokenRejected as refused:
        _mark_reconnect(connection, refused.message)
        raise
    _tokens_set(connection, tokens)
    connection.save(update_fields=["access_token", "refresh_token", "expires_at", "scopes"])


def with_token(connection: Connection, call: Callable[[str], T]) -> T:
    """Run ``call`` with the connection's access token: refreshed first when it has expired,
    refreshed once and tried again when the platform answers 401, and the connection marked
    to reconnect (``TokenRejected``) when the platform refuses it all the same."""
    platform = PROVIDERS[connection.provider]
    if connection.needs_reconnect:
        raise TokenRejected(connection.problem or platform.reconnect_message())
    if not connection.access_token:  # a key removed from settings: the token can't be read
        _mark_reconnect(connection, platform.reconnect_message())
        raise TokenRejected(platform.reconnect_message())
    if connection.expires_at and connection.expires_at <= timezone.now() + EXPIRY_MARGIN:
        _refreshed(connection, connection.access_token)
    try:
        return call(connection.access_token)
    except _TokenExpired:
        _refreshed(connection, connection.access_token)
    try:
        return call(connection.access_token)
    except _TokenExpired:
        _mark_reconnect(connection, platform.reconnect_message())
        raise TokenRejected(platform.reconnect_message()) from None


# --- Reading the channel again, disconnecting -----------------------------------------------


def connection_read(*, connection: Connection) -> Connection:
    """Read the channel's name, pictures, category and title again."""
    platform = PROVIDERS[connection.provider]
    channel = with_token(connection, platform.channel)
    if channel.account_id != connection.account_id:
        raise Rejected(
            f"{platform.label} now answers for another channel. Disconnect this one and connect again."
        )
    _identity_set(connection, channel)
    connection.save()
    _pictures_update(connection, channel)
    return connection


@transaction.atomic
def connection_disconnect(*, connection: Connection) -> None:
    """Forget the connection; its tokens are revoked at the platform after the commit."""
    connection.delete()
