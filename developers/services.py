"""Making, revoking and recording the use of API keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from aurastream.db import system_work
from billing import entitlements
from workspaces.models import Membership, Role

from .models import KEY_PREFIX, SHOWN_LENGTH, ApiKey, Scope

# A key is recorded as used at most once a minute: a busy script costs one UPDATE a minute.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
# The role a member needs in a workspace to make a key that acts in it.
CREATE_ROLE = Role.EDITOR


def key_hash(key: str) -> str:
    """What is kept of a key: its SHA-256. Keys are 256-bit random secrets, so a slow hash
    would add nothing but latency to every call."""
    return hashlib.sha256(key.encode()).hexdigest()


def ip_prefix(address: str) -> str:
    """The network an address is in, as far as we keep it: IPv4 /24, IPv6 /48; "" if none."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


class KeysNotInPlan(PermissionDenied):
    """The creator's plan has no developer API (its message says which plan has)."""


@transaction.atomic
def api_key_create(
    *,
    user: User,
    membership: Membership,
    name: str,
    scopes: Iterable[str],
    expires_in_days: int | None = None,
) -> tuple[ApiKey, str]:
    """Make a key acting for ``user`` in ``membership``'s workspace; returns it and the key in
    clear, which is never kept and can't be shown again."""
    allowance = entitlements.developer_api(user)
    if not allowance.may_use_keys:
        raise KeysNotInPlan(allowance.explanation)
    if membership.user_id != user.pk or not membership.may(CREATE_ROLE):
        raise PermissionDenied("Keys are made for workspaces where you are an editor or above.")
    chosen = sorted(set(scopes), key=Scope.values.index) if set(scopes) <= set(Scope.values) else None
    if not chosen:
        raise ValidationError({"scopes": "Choose at least one of read, generate and library_write."})
    if not name.strip():
        raise ValidationError({"name": "Give the key a name."})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    api_key = ApiKey.objects.create(
        user=user,
        workspace=membership.workspace,
        name=name.strip(),
        shown=key[:SHOWN_LENGTH],
        key_hash=key_hash(key),
        scopes=chosen,
        expires_at=expires_at,
    )
    return api_key, key


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key (the caller checked it is theirs, or they admin its workspace). Revoking
    twice keeps the first time. System work: row-level security lets only a key's maker write
    it, and an admin revokes others' keys (only this column changes)."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        with system_work():
            ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
                revoked_at=api_key.revoked_at
            )
    return api_key


def api_key_touch(*, api_key: ApiKey, address: str) -> None:
    """Record that the key was used just now from ``address``'s network: one conditional
    UPDATE, which writes nothing when the key was recorded less than a minute ago."""
    now = timezone.now()
    if api_key.last_used_at is not None and api_key.last_used_at > now - TOUCH_INTERVAL:
        return
    prefix = ip_prefix(address)
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_INTERVAL)
    ApiKey.objects.filter(stale, pk=api_key.pk).update(last_used_at=now, last_used_ip_prefix=prefix)
    api_key.last_used_at, api_key.last_used_ip_prefix = now, prefix
