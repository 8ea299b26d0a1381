"""Reads of the creator's library: lists show the current workspace's, an asset is found in any
workspace the creator belongs to (``workspaces.access``).

Deleted assets (waiting out the undo window) are invisible to every read except
``asset_get_deleted``, which undo uses.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import User
from aurastream.db import acting_user
from platforms import Preview, preview_for, spec_get
from workspaces.access import account_id, member_workspaces
from workspaces.current import in_current

from .models import Asset, Collection, Rendition, Tag

THUMBNAIL_MIN_WIDTH = 128


class _Sized(Protocol):
    @property
    def width(self) -> int: ...


Picture = TypeVar("Picture", bound=_Sized)
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")

SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "title": ("title", "-created_at"),
    "largest": ("-bytes", "-created_at"),
}


@dataclass(frozen=True)
class LibraryFilters:
    """What the library page and the API can narrow the list by. Empty values do not filter."""

    platform: str = ""
    asset_type: str = ""
    brand_kit_id: int | None = None
    collection_id: int | None = None
    tag: str = ""
    favourite: bool = False
    created_from: dt.date | None = None
    created_to: dt.date | None = None  # inclusive
    search: str = ""  # words in the title or the prompt
    sort: str = "newest"


def _visible(user: User | int) -> QuerySet[Asset]:
    """Assets in the creator's current workspace (what lists show)."""
    return Asset.objects.filter(in_current(account_id(user)), deleted_at__isnull=True)


def _reachable(user: User | int) -> QuerySet[Asset]:
    """Assets in any workspace the creator belongs to (what a link opens)."""
    return Asset.objects.filter(workspace__in=member_workspaces(user), deleted_at__isnull=True)


def _with_files(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """Everything a grid or a list shows, in a fixed number of queries however many assets."""
    return assets.select_related("collection").prefetch_related(
        "tags", Prefetch("renditions", queryset=Rendition.objects.order_by("-width", "label"))
    )


def _with_pictures(assets: QuerySet[Asset]) -> QuerySet[Asset]:
    """Assets with their files alone, for a row of thumbnails (no tags or collection)."""
    return assets.prefetch_related(
        Prefetch("renditions", queryset=Rendition.objects.order_by("-width", "label"))
    )


def recent_assets(*, user: User | int, count: int) -> list[Asset]:
    """The newest ``count`` assets of the current workspace, with their files (the dashboard's)."""
    return list(_with_pictures(_visible(user).filter(is_current=True)).order_by(*SORTS["newest"])[:count])


def asset_list(*, user: User | int, filters: LibraryFilters | None = None) -> QuerySet[Asset]:
    filters = filters or LibraryFilters()
    assets = _visible(user).filter(is_current=True)
    if filters.platform:
        assets = assets.filter(platform=filters.platform)
    if filters.asset_type:
        assets = assets.filter(asset_type=filters.asset_type)
    if filters.brand_kit_id is not None:
        assets = assets.filter(brand_kit_id=filters.brand_kit_id)
    if filters.collection_id is not None:
        assets = assets.filter(collection_id=filters.collection_id)
    if filters.tag:
        assets = assets.filter(tags__name=filters.tag.strip().lower())
    if filters.favourite:
        assets = assets.filter(favourite=True)
    if filters.created_from is not None:
        assets = assets.filter(created_at__date__gte=filters.created_from)
    if filters.created_to is not None:
        assets = assets.filter(created_at__date__lte=filters.created_to)
    for word in filters.search.split()[:8]:
        assets = assets.filter(Q(title__icontains=word) | Q(prompt__icontains=word))
    return _with_files(assets).order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def asset_facets(*, user: User | int) -> list[tuple[str, str, int | None, str]]:
    """The (platform, asset_type, brand_kit_id, brand_kit_name) combinations among the creator's
    assets: what the library's filters offer."""
    return list(
        asset_list(user=user)
        .prefetch_related(None)
        .order_by()
        .values_list("platform", "asset_type", "brand_kit_id", "brand_kit_name")
        .distinct()
    )


def asset_thumbnail(asset: Asset) -> Rendition | None:
    """The smallest rendition at least 128 px wide (else the largest), from the prefetch."""
    return thumbnail_among(asset.pictures)  # largest first, images only


def thumbnail_among(pictures: Sequence[Picture]) -> Picture | None:
    """Which of an asset's pictures (largest first) a tile shows: the smallest at least 128 px
    wide, else the largest. Rows of ``Rendition`` values work as well as instances."""
    large_enough = [picture for picture in pictures if picture.width >= THUMBNAIL_MIN_WIDTH]
    if large_enough:
        return large_enough[-1]
    return pictures[0] if pictures else None


def asset_get(*, user: User | int, asset_id: uuid.UUID | str) -> Asset:
    """The creator's asset, or 404: another creator's asset is indistinguishable from none."""
    return get_object_or_404(_with_files(_reachable(user)), pk=asset_id)


def asset_get_deleted(*, user: User | int, asset_id: uuid.UUID | str) -> Asset:
    """A deleted asset still inside its undo window (for restoring it)."""
    return get_object_or_404(
        Asset, pk=asset_id, workspace__in=member_workspaces(user), deleted_at__isnull=False
    )


def assets_by_ids(*, user: User | int, asset_ids: list[uuid.UUID | str]) -> QuerySet[Asset]:
    """The visible assets among ``asset_ids`` in the creator's workspaces (others' ids are
    silently left out)."""
    return _with_files(_reachable(user).filter(pk__in=asset_ids))


def asset_preview(*, asset: Asset) -> Preview | None:
    """What the in-context previews draw for the asset (its family's mock, the circle crop, the
    safe area and what the platform covers), from its platform registry row; None when the
    registry no longer has that row, and the asset is shown plainly."""
    try:
        return preview_for(spec_get(asset.spec_key))
    except KeyError:
        return None


def asset_brand_details(*, asset: Asset) -> dict[str, Any]:
    """The brand kit snapshot in the asset's recipe, as rows a person can read."""
    brand = (asset.recipe or {}).get("brand") or {}
    palette = brand.get("palette") or {}
    colors = [
        (role, str(palette[role]).upper())
        for role in ("primary", "secondary", "accent", "background", "text")
        if HEX_COLOR.match(str(palette.get(role, "")))
    ]
    colors += [
        ("extra", str(hex_).upper()) for hex_ in palette.get("extras") or [] if HEX_COLOR.match(str(hex_))
    ]
    rows = [
        (label, ", ".join(value) if isinstance(value, list) else str(value))
        for label, value in (
            ("Channel", brand.get("channel_name")),
            ("Fonts", " / ".join(f for f in (brand.get("heading_font"), brand.get("body_font")) if f)),
            ("Art style", brand.get("art_style")),
            ("Mood", brand.get("mood")),
            ("Keywords", brand.get("keywords")),
            ("Avoid", brand.get("avoid")),
            ("Voice", brand.get("voice")),
            ("Tagline", brand.get("tagline")),
        )
        if value
    ]
    return {"name": brand.get("name", ""), "colors": colors, "rows": rows}


def job_assets(*, user: User | int, job_id: uuid.UUID | str) -> QuerySet[Asset]:
    """The visible assets one generation job made (a pack), in the order it made them."""
    return _with_files(_reachable(user).filter(source_job_id=job_id)).order_by("source_item")


def rendition_get(*, user_id: int, asset_id: uuid.UUID | str, label: str) -> Rendition:
    """One file of the creator's asset, or 404 for anyone else."""
    return get_object_or_404(
        Rendition.objects.select_related("asset"),
        asset_id=asset_id,
        asset__workspace__in=member_workspaces(user_id),
        asset__deleted_at__isnull=True,
        label=label,
    )


def asset_shared(*, token: str) -> Asset:
    """A publicly shared asset by its link token, or 404 (private, revoked, deleted, taken down)."""
    return get_object_or_404(
        _with_files(Asset.objects.filter(deleted_at__isnull=True, taken_down_at__isnull=True)),
        share_token=token,
        visibility=Asset.Visibility.PUBLIC,
    )


def asset_shared_creator_name(asset: Asset) -> str:
    """The name a shared asset's page credits: the creator's display name, or "" when they
    have none (never anything of their email address). The creator's account is theirs alone
    to read (row-level security), so it is read acting for them, that one field only."""
    with acting_user(asset.owner_id):
        return str(User.objects.values_list("display_name", flat=True).get(pk=asset.owner_id)).strip()


def shared_rendition_get(*, token: str, label: str) -> Rendition:
    return get_object_or_404(
        Rendition.objects.select_related("asset"),
        asset__share_token=token,
        asset__visibility=Asset.Visibility.PUBLIC,
        asset__deleted_at__isnull=True,
        asset__taken_down_at__isnull=True,
        label=label,
    )


def collection_list(*, user: User | int, workspace_id: int | None = None) -> QuerySet[Collection]:
    """The collections of the creator's current workspace (or of ``workspace_id``, an asset's),
    with how many (visible) assets each holds."""
    scope = Q(workspace_id=workspace_id) if workspace_id is not None else in_current(account_id(user))
    return Collection.objects.filter(scope).annotate(
        asset_count=Count("assets", filter=Q(assets__deleted_at__isnull=True, assets__is_current=True))
    )


def collection_get(*, user: User | int, collection_id: int | str) -> Collection:
    return get_object_or_404(Collection, pk=collection_id, workspace__in=member_workspaces(user))


def collection_get_for_undo(*, user: User | int, collection_id: int | str) -> Collection:
    """The creator's collection, deleted or not (for undoing its delete), or 404."""
    return get_object_or_404(Collection.all_objects, pk=collection_id, workspace__in=member_workspaces(user))


def tag_list(*, user: User | int) -> QuerySet[Tag]:
    return Tag.objects.filter(in_current(account_id(user)))


def storage_used(*, user: User | int) -> int:
    """Bytes the creator's files take in storage (deleted ones until they are purged)."""
    files = Rendition.objects.filter(in_current(account_id(user), "asset__workspace"))
    total = files.aggregate(total=Sum("bytes"))["total"]
    return int(total or 0)


def asset_versions(*, asset: Asset) -> QuerySet[Asset]:
    """Every version of ``asset``'s family that is not deleted, first version first."""
    root = asset.root_id
    return _with_pictures(
        Asset.objects.filter(
            Q(pk=root) | Q(family_id=root), workspace_id=asset.workspace_id, deleted_at__isnull=True
        )
    ).order_by("version")


def asset_previous_version(*, asset: Asset) -> Asset | None:
    """The version ``asset`` was refined from, if it still exists."""
    parent = asset.refine_note.get("from") if asset.refine_note else None
    if not parent:
        return None
    return _with_files(
        Asset.objects.filter(pk=parent, workspace_id=asset.workspace_id, deleted_at__isnull=True)
    ).first()


def asset_publishable(*, asset: Asset) -> bool:
    """Whether the platform takes this type through its API, or has a page to upload it on."""
    try:
        spec = spec_get(asset.spec_key)
    except KeyError:
        return False
    return bool(spec.publish or spec.upload_page)
