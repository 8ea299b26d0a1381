"""Deleting with undo: assets leave every list at once (with all their versions), come back
within ``LIBRARY_UNDO_SECONDS``, and are purged after it; their files leave storage when the
rows go, on commit (``library/signals.py``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from aurastream.db import acting_user, system_work
from aurastream.undo import undo_purge
from webhooks.services import event_emit
from workspaces.access import account_id, member_workspaces, require_acting

from ..models import Asset
from .organising import owned


def _families(workspace_id: int, asset_ids: Sequence[uuid.UUID | str]) -> QuerySet[Asset]:
    """The assets and every other version of their families."""
    chosen = Asset.objects.filter(workspace_id=workspace_id, pk__in=list(asset_ids))
    roots = {a.family_id or a.pk for a in chosen}
    return Asset.objects.filter(Q(pk__in=roots) | Q(family_id__in=roots), workspace_id=workspace_id)


def _workspaces_of(user: User | int, asset_ids: Sequence[uuid.UUID | str], **state: Any) -> list[int]:
    """The workspaces (the creator's) the chosen assets are in, each checked for the editor's
    role (403 otherwise): an asset page's Delete works whatever workspace is current."""
    user_id = account_id(user)
    chosen = Asset.objects.filter(workspace__in=member_workspaces(user_id), pk__in=list(asset_ids), **state)
    workspaces = sorted(set(chosen.values_list("workspace_id", flat=True)))
    for workspace_id in workspaces:
        require_acting(workspace_id)
    return workspaces


def assets_delete(*, user: User | int, asset_ids: Sequence[uuid.UUID | str]) -> int:
    """Move assets, with all their versions, to the undo window: gone from every list and link
    at once, files kept until the purge. Returns how many library entries were deleted."""
    deleted: list[tuple[uuid.UUID, str, int]] = []
    for workspace_id in _workspaces_of(user, asset_ids, deleted_at__isnull=True):
        deleted += owned(workspace_id, asset_ids).values_list("pk", "title", "workspace_id")
        _families(workspace_id, asset_ids).filter(deleted_at__isnull=True).update(deleted_at=timezone.now())
    _webhooks_emit(deleted)
    return len(deleted)


def _webhooks_emit(deleted: list[tuple[uuid.UUID, str, int]]) -> None:
    """One ``asset.deleted`` per library entry deleted (its versions go with it), to the
    webhook endpoints of the asset's workspace."""
    for asset_id, title, workspace_id in deleted:
        event_emit(
            workspace_id=workspace_id,
            type="asset.deleted",
            data={"asset": {"id": str(asset_id), "title": title}},
        )


def assets_restore(*, user: User | int, asset_ids: Sequence[uuid.UUID | str]) -> int:
    """Undo a delete within the undo window: everything comes back as it was. Past the window
    the asset is as good as purged, even if the purge has not run yet."""
    window_start = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS)
    count = 0
    for workspace_id in _workspaces_of(user, asset_ids, deleted_at__gte=window_start):
        count += Asset.objects.filter(
            workspace_id=workspace_id, pk__in=list(asset_ids), deleted_at__gte=window_start
        ).count()
        _families(workspace_id, asset_ids).filter(deleted_at__gte=window_start).update(deleted_at=None)
    return count


def assets_purge(*, now: dt.datetime | None = None) -> int:
    """Remove assets deleted longer ago than the undo window: rows now, files on commit."""
    return undo_purge(Asset.objects, now=now)


def owners_of(assets: QuerySet[Asset]) -> list[int]:
    """Whose assets these are: finding out is system work (every creator's rows)."""
    with system_work():
        return list(assets.values_list("owner_id", flat=True).distinct().order_by())


def delete_for_owners(assets: QuerySet[Asset]) -> int:
    """Delete rows owner by owner, each inside that owner's acting-user transaction."""
    removed = 0
    for owner_id in owners_of(assets):
        with acting_user(owner_id):
            removed += assets.filter(owner_id=owner_id).delete()[1].get("library.Asset", 0)
    return removed
