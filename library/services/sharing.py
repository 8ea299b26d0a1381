"""Sharing: public links (256-bit tokens), rotating and revoking them with undo, view counts
and staff takedowns."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Milestone
from accounts.ux_services import milestone_reach
from aurastream import events
from aurastream.db import system_work
from aurastream.undo import undo_window_start
from workspaces.access import require_acting

from ..models import Asset
from .versions import link_follows_current


def new_share_token() -> str:
    """A link token: 32 random bytes from the operating system's CSPRNG (256 bits)."""
    return secrets.token_urlsafe(32)


def asset_share(*, asset: Asset) -> Asset:
    """Make the asset public with a new link, or keep its current link if it already is."""
    require_acting(asset.workspace_id)
    if asset.taken_down_at is not None:
        raise ValidationError("This asset was taken down by our team and cannot be shared.")
    if asset.is_public:
        return asset
    asset.visibility = Asset.Visibility.PUBLIC
    asset.share_token = new_share_token()
    # A new link supersedes a revoked one: undoing that revoke is no longer offered.
    asset.revoked_share_token, asset.share_revoked_at = "", None
    asset.save(update_fields=["visibility", "share_token", "revoked_share_token", "share_revoked_at"])
    milestone_reach(user_id=asset.owner_id, kind=Milestone.Kind.FIRST_SHARE)
    events.record(
        events.SHARE_CREATED, user=asset.owner_id, asset_type=asset.asset_type, platform=asset.platform
    )
    return asset


def asset_share_rotate(*, asset: Asset) -> Asset:
    """A new public link; the old one stops working at once."""
    require_acting(asset.workspace_id)
    if not asset.is_public:
        raise ValidationError("Share the asset first.")
    asset.share_token = new_share_token()
    asset.save(update_fields=["share_token"])
    return asset


def asset_unshare(*, asset: Asset) -> Asset:
    """Private again: the link is revoked (a 404 for everyone at once) and its view count kept.
    During the undo window ``asset_share_restore`` brings the same link back."""
    require_acting(asset.workspace_id)
    if asset.is_public and asset.share_token:
        asset.revoked_share_token, asset.share_revoked_at = asset.share_token, timezone.now()
    asset.visibility = Asset.Visibility.PRIVATE
    asset.share_token = None
    asset.save(update_fields=["visibility", "share_token", "revoked_share_token", "share_revoked_at"])
    return asset


@transaction.atomic
def asset_share_restore(*, asset: Asset) -> Asset | None:
    """Undo a revoke within the undo window: the same link (token and URL) works again. None
    when there is nothing to undo: too late, restored already, shared anew or taken down since."""
    require_acting(asset.workspace_id)
    asset = Asset.objects.select_for_update().get(pk=asset.pk, workspace_id=asset.workspace_id)
    if asset.is_public:
        return None
    revoked_at = asset.share_revoked_at
    if not asset.revoked_share_token or revoked_at is None or revoked_at < undo_window_start():
        return None
    if asset.taken_down_at is not None:
        return None
    asset.visibility = Asset.Visibility.PUBLIC
    asset.share_token = asset.revoked_share_token
    asset.revoked_share_token, asset.share_revoked_at = "", None
    asset.save(update_fields=["visibility", "share_token", "revoked_share_token", "share_revoked_at"])
    if not asset.is_current:
        # Refined meanwhile: a family's link shows its current version.
        current = Asset.objects.filter(
            Q(pk=asset.root_id) | Q(family_id=asset.root_id), workspace_id=asset.workspace_id, is_current=True
        ).first()
        if current is not None:
            link_follows_current(current)
    return asset


def revoked_links_forget(*, now: dt.datetime | None = None) -> int:
    """Forget revoked links whose undo window has passed: their revoke is final."""
    revoked = Asset.objects.filter(share_revoked_at__lt=undo_window_start(now))
    with system_work():  # a clean-up across every workspace
        forgotten = revoked.update(revoked_share_token="", share_revoked_at=None)
    return forgotten


def asset_record_view(*, asset: Asset, robot: bool = False) -> None:
    """Count one view of a shared asset's public page (the visitor may be anyone: the count is
    written, and the product event recorded, on the owner's behalf; nothing of the visitor is
    kept). A ``robot`` (a chat app unfurling the link) is no viewer for the analytics. System
    work: the maker may since have left the asset's workspace."""
    with system_work():
        Asset.objects.filter(pk=asset.pk).update(share_views=F("share_views") + 1)
        if robot:
            return
        events.record(
            events.SHARE_VIEWED, user=asset.owner_id, asset_type=asset.asset_type, platform=asset.platform
        )


def asset_takedown(*, asset: Asset) -> Asset:
    """Staff: make a shared asset private for good (its owner can no longer share it)."""
    asset.visibility = Asset.Visibility.PRIVATE
    asset.share_token = None
    asset.revoked_share_token, asset.share_revoked_at = "", None  # no undo brings it back
    asset.taken_down_at = timezone.now()
    with system_work():  # staff act on the asset's row, whoever may reach it
        asset.save(
            update_fields=[
                "visibility",
                "share_token",
                "revoked_share_token",
                "share_revoked_at",
                "taken_down_at",
            ]
        )
    return asset
