"""Versions: a refined asset joins its parent's family as the current version; reverting
makes another current; the family's public link follows whichever is current."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from workspaces.access import require_acting

from ..models import Asset


@transaction.atomic
def asset_version_add(*, asset: Asset, parent: Asset, note: dict[str, object]) -> Asset:
    """Make ``asset`` (just stored) the newest, current version of ``parent``'s family; it keeps
    the parent's collection, tags and favourite. ``note`` says how it was made."""
    root = parent.root_id
    family = Asset.objects.select_for_update().filter(
        Q(pk=root) | Q(family_id=root), workspace_id=parent.workspace_id
    )
    newest = max((a.version for a in family), default=1)
    family.exclude(pk=asset.pk).update(is_current=False)
    asset.family_id = root
    asset.version = newest + 1
    asset.is_current = True
    asset.refine_note = {**note, "from": str(parent.pk)}
    asset.collection_id = parent.collection_id
    asset.favourite = parent.favourite
    asset.save(update_fields=["family_id", "version", "is_current", "refine_note", "collection", "favourite"])
    asset.tags.set(parent.tags.all())
    link_follows_current(asset)
    return asset


@transaction.atomic
def asset_version_revert(*, asset: Asset) -> Asset:
    """Make ``asset`` its family's current version again (the others stay in its history)."""
    require_acting(asset.workspace_id)
    root = asset.root_id
    Asset.objects.filter(Q(pk=root) | Q(family_id=root), workspace_id=asset.workspace_id).exclude(
        pk=asset.pk
    ).update(is_current=False)
    Asset.objects.filter(pk=asset.pk).update(is_current=True)
    asset.is_current = True
    link_follows_current(asset)
    return asset


def link_follows_current(current: Asset) -> None:
    """A family's public link shows its current version: the link (and its view count) moves
    from the version that had it to ``current``, so whoever has it sees what the creator uses
    now. A version taken down by staff never receives it."""
    if current.is_public or current.taken_down_at is not None:
        return
    root = current.root_id
    shared = (
        Asset.objects.filter(Q(pk=root) | Q(family_id=root), workspace_id=current.workspace_id)
        .exclude(pk=current.pk)
        .filter(visibility=Asset.Visibility.PUBLIC, share_token__isnull=False, taken_down_at__isnull=True)
        .order_by("-version")
        .first()
    )
    if shared is None:
        return
    token, views = shared.share_token, shared.share_views
    Asset.objects.filter(pk=shared.pk).update(
        visibility=Asset.Visibility.PRIVATE, share_token=None, share_views=0
    )
    current.visibility, current.share_token, current.share_views = Asset.Visibility.PUBLIC, token, views
    current.save(update_fields=["visibility", "share_token", "share_views"])
