"""Organising the library: names, favourites, tags and collections (unique per workspace
regardless of case; deleted with undo)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from enum import Enum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from aurastream.undo import undo_purge, undo_window_start
from workspaces.access import account_id, require_acting
from workspaces.current import workspace_id_for

from ..models import Asset, Collection, Tag

TITLE_CHARS = 200
TAG_CHARS = 40
MAX_TAGS = 20
COLLECTION_CHARS = 80


def _clean_tags(names: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for name in names:
        tag = " ".join(str(name).split()).lower().lstrip("#")
        if not tag:
            continue
        if len(tag) > TAG_CHARS:
            raise ValidationError({"tags": f"Keep each tag under {TAG_CHARS} characters."})
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": f"An asset can have at most {MAX_TAGS} tags."})
    return cleaned


def _tags_for(workspace_id: int, maker_id: int, names: Sequence[str]) -> list[Tag]:
    """The workspace's tags of these names, made (by ``maker_id``) where missing."""
    existing = {tag.name: tag for tag in Tag.objects.filter(workspace_id=workspace_id, name__in=names)}
    missing = [
        Tag(owner_id=maker_id, workspace_id=workspace_id, name=name) for name in names if name not in existing
    ]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(workspace_id=workspace_id, name__in=names)}
    return [existing[name] for name in names]


def _collection_for(workspace_id: int, collection_id: int | str | None) -> Collection | None:
    if collection_id is None or collection_id == "":
        return None
    try:
        collection = Collection.objects.filter(workspace_id=workspace_id, pk=int(collection_id)).first()
    except (TypeError, ValueError):
        collection = None
    if collection is None:
        raise ValidationError({"collection": "Pick one of your collections."})
    return collection


class Keep(Enum):
    """Leave a field as it is (where None already means "clear it")."""

    UNCHANGED = "unchanged"


@transaction.atomic
def asset_update(
    *,
    asset: Asset,
    title: str | None = None,
    favourite: bool | None = None,
    collection_id: int | str | Keep | None = Keep.UNCHANGED,
    tags: Sequence[str] | None = None,
) -> Asset:
    """Rename, (un)favourite, file in a collection (None: no collection) or retag an asset."""
    require_acting(asset.workspace_id)
    fields: list[str] = []
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise ValidationError({"title": "Give the asset a name."})
        if len(title) > TITLE_CHARS:
            raise ValidationError({"title": f"Keep the name under {TITLE_CHARS} characters."})
        asset.title = title
        fields.append("title")
    if favourite is not None:
        asset.favourite = bool(favourite)
        fields.append("favourite")
    if not isinstance(collection_id, Keep):
        asset.collection = _collection_for(asset.workspace_id, collection_id)
        fields.append("collection")
    names = _clean_tags(tags) if tags is not None else None
    if fields:
        asset.save(update_fields=fields)
    if names is not None:
        asset.tags.set(_tags_for(asset.workspace_id, asset.owner_id, names))
    return asset


@transaction.atomic
def assets_move(*, user: User | int, asset_ids: Sequence[uuid.UUID | str], collection_id: int | None) -> int:
    """File several assets in a collection at once (None: take them out of any)."""
    workspace_id = workspace_id_for(account_id(user))
    require_acting(workspace_id)
    collection = _collection_for(workspace_id, collection_id)
    return owned(workspace_id, asset_ids).update(collection=collection)


@transaction.atomic
def assets_tag(*, user: User | int, asset_ids: Sequence[uuid.UUID | str], tags: Sequence[str]) -> int:
    """Add tags to several assets at once (their other tags stay)."""
    user_id = account_id(user)
    workspace_id = workspace_id_for(user_id)
    require_acting(workspace_id)
    tag_rows = _tags_for(workspace_id, user_id, _clean_tags(tags))
    assets = list(owned(workspace_id, asset_ids))
    through = Asset.tags.through
    through.objects.bulk_create(
        [through(asset_id=asset.pk, tag_id=tag.pk) for asset in assets for tag in tag_rows],
        ignore_conflicts=True,
    )
    return len(assets)


def owned(workspace_id: int, asset_ids: Sequence[uuid.UUID | str]) -> QuerySet[Asset]:
    """The workspace's live assets among ``asset_ids`` (others' are silently left out)."""
    return Asset.objects.filter(workspace_id=workspace_id, pk__in=list(asset_ids), deleted_at__isnull=True)


def collection_create(*, user: User, name: str) -> Collection:
    name = _collection_name(name)
    workspace_id = workspace_id_for(user.pk)
    require_acting(workspace_id)
    if Collection.objects.filter(workspace_id=workspace_id, name__iexact=name).exists():
        raise ValidationError({"name": "You already have a collection with that name."})
    try:
        with transaction.atomic():
            return Collection.objects.create(owner=user, workspace_id=workspace_id, name=name)
    except IntegrityError:  # the same name from another tab a moment ago
        raise ValidationError({"name": "You already have a collection with that name."}) from None


def collection_rename(*, collection: Collection, name: str) -> Collection:
    require_acting(collection.workspace_id)
    name = _collection_name(name)
    others = Collection.objects.filter(workspace_id=collection.workspace_id, name__iexact=name)
    if others.exclude(pk=collection.pk).exists():
        raise ValidationError({"name": "You already have a collection with that name."})
    collection.name = name
    try:
        with transaction.atomic():
            collection.save(update_fields=["name"])
    except IntegrityError:
        raise ValidationError({"name": "You already have a collection with that name."}) from None
    return collection


@transaction.atomic
def collection_delete(*, collection: Collection) -> None:
    """Delete a collection: gone from every list and filter at once, its assets still in the
    library, in no collection. Restorable with its assets during the undo window
    (``collection_restore``), then purged (``collections_purge``)."""
    require_acting(collection.workspace_id)
    members = Asset.objects.filter(workspace_id=collection.workspace_id, collection=collection)
    collection.deleted_members = [str(pk) for pk in members.values_list("pk", flat=True)]
    members.update(collection=None)
    collection.deleted_at = timezone.now()
    collection.save(update_fields=["deleted_at", "deleted_members"])


@transaction.atomic
def collection_restore(*, collection: Collection) -> Collection | None:
    """Undo a delete within the undo window: the collection comes back with the assets it held
    (those filed in another collection since stay where they are). None when it is too late;
    ValidationError when another collection has taken its name meanwhile."""
    require_acting(collection.workspace_id)
    collection = (
        Collection.all_objects.select_for_update()
        .filter(pk=collection.pk, workspace_id=collection.workspace_id)
        .get()
    )
    if collection.deleted_at is None:
        return collection  # restored already (a second click on Undo)
    if collection.deleted_at < undo_window_start():
        return None
    if Collection.objects.filter(workspace_id=collection.workspace_id, name__iexact=collection.name).exists():
        raise ValidationError(
            {"name": f"You have another collection called “{collection.name}” now. Rename it, then undo."}
        )
    Asset.objects.filter(
        workspace_id=collection.workspace_id, pk__in=collection.deleted_members, collection__isnull=True
    ).update(collection=collection)
    collection.deleted_at = None
    collection.deleted_members = []
    collection.save(update_fields=["deleted_at", "deleted_members"])
    return collection


def collections_purge(*, now: dt.datetime | None = None) -> int:
    """Remove collections deleted longer ago than the undo window."""
    return undo_purge(Collection.all_objects, now=now)


def _collection_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise ValidationError({"name": "Give the collection a name."})
    if len(name) > COLLECTION_CHARS:
        raise ValidationError({"name": f"Keep the name under {COLLECTION_CHARS} characters."})
    return name
