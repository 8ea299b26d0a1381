"""Every write to the library: organising, sharing, deleting with undo, purging and retention.

Files leave storage when their rows are deleted (``signals``), after the transaction commits,
so a rolled-back purge never loses a file that is still listed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable, Sequence
from enum import Enum

from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.emails import email_build
from accounts.models import EmailKind, Milestone, Notification, User
from accounts.services import email_enqueue, notify
from accounts.ux_services import milestone_reach
from aurastream.db import acting_user, system_work
from aurastream.undo import undo_purge, undo_window_start
from billing.entitlements import plan_for

from .models import Asset, Collection, Tag

TITLE_CHARS = 200
TAG_CHARS = 40
MAX_TAGS = 20
COLLECTION_CHARS = 80


def new_share_token() -> str:
    """A link token: 32 random bytes from the operating system's CSPRNG (256 bits)."""
    return secrets.token_urlsafe(32)


# --- Organising ----------------------------------------------------------------------------


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


def _tags_for(owner_id: int, names: Sequence[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(owner_id=owner_id, name__in=names)}
    missing = [Tag(owner_id=owner_id, name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(owner_id=owner_id, name__in=names)}
    return [existing[name] for name in names]


def _collection_for(owner_id: int, collection_id: int | str | None) -> Collection | None:
    if collection_id is None or collection_id == "":
        return None
    collection = Collection.objects.filter(owner_id=owner_id, pk=collection_id).first()
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
        asset.collection = _collection_for(asset.owner_id, collection_id)
        fields.append("collection")
    names = _clean_tags(tags) if tags is not None else None
    if fields:
        asset.save(update_fields=fields)
    if names is not None:
        asset.tags.set(_tags_for(asset.owner_id, names))
    return asset


@transaction.atomic
def assets_move(*, user: User | int, asset_ids: Sequence[uuid.UUID | str], collection_id: int | None) -> int:
    """File several assets in a collection at once (None: take them out of any)."""
    owner_id = user if isinstance(user, int) else user.pk
    collection = _collection_for(owner_id, collection_id)
    return _owned(owner_id, asset_ids).update(collection=collection)


@transaction.atomic
def assets_tag(*, user: User | int, asset_ids: Sequence[uuid.UUID | str], tags: Sequence[str]) -> int:
    """Add tags to several assets at once (their other tags stay)."""
    owner_id = user if isinstance(user, int) else user.pk
    tag_rows = _tags_for(owner_id, _clean_tags(tags))
    assets = list(_owned(owner_id, asset_ids))
    through = Asset.tags.through
    through.objects.bulk_create(
        [through(asset_id=asset.pk, tag_id=tag.pk) for asset in assets for tag in tag_rows],
        ignore_conflicts=True,
    )
    return len(assets)


def _owned(owner_id: int, asset_ids: Sequence[uuid.UUID | str]) -> QuerySet[Asset]:
    return Asset.objects.filter(owner_id=owner_id, pk__in=list(asset_ids), deleted_at__isnull=True)


def collection_create(*, user: User, name: str) -> Collection:
    name = _collection_name(name)
    if Collection.objects.filter(owner=user, name__iexact=name).exists():
        raise ValidationError({"name": "You already have a collection with that name."})
    try:
        with transaction.atomic():
            return Collection.objects.create(owner=user, name=name)
    except IntegrityError:  # the same name from another tab a moment ago
        raise ValidationError({"name": "You already have a collection with that name."}) from None


def collection_rename(*, collection: Collection, name: str) -> Collection:
    name = _collection_name(name)
    others = Collection.objects.filter(owner_id=collection.owner_id, name__iexact=name)
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
    members = Asset.objects.filter(owner_id=collection.owner_id, collection=collection)
    collection.deleted_members = [str(pk) for pk in members.values_list("pk", flat=True)]
    members.update(collection=None)
    collection.deleted_at = timezone.now()
    collection.save(update_fields=["deleted_at", "deleted_members"])


@transaction.atomic
def collection_restore(*, collection: Collection) -> Collection | None:
    """Undo a delete within the undo window: the collection comes back with the assets it held
    (those filed in another collection since stay where they are). None when it is too late;
    ValidationError when another collection has taken its name meanwhile."""
    collection = (
        Collection.all_objects.select_for_update()
        .filter(pk=collection.pk, owner_id=collection.owner_id)
        .get()
    )
    if collection.deleted_at is None:
        return collection  # restored already (a second click on Undo)
    if collection.deleted_at < undo_window_start():
        return None
    if Collection.objects.filter(owner_id=collection.owner_id, name__iexact=collection.name).exists():
        raise ValidationError(
            {"name": f"You have another collection called “{collection.name}” now. Rename it, then undo."}
        )
    Asset.objects.filter(
        owner_id=collection.owner_id, pk__in=collection.deleted_members, collection__isnull=True
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


# --- Sharing -------------------------------------------------------------------------------


def asset_share(*, asset: Asset) -> Asset:
    """Make the asset public with a new link, or keep its current link if it already is."""
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
    return asset


def asset_share_rotate(*, asset: Asset) -> Asset:
    """A new public link; the old one stops working at once."""
    if not asset.is_public:
        raise ValidationError("Share the asset first.")
    asset.share_token = new_share_token()
    asset.save(update_fields=["share_token"])
    return asset


def asset_unshare(*, asset: Asset) -> Asset:
    """Private again: the link is revoked (a 404 for everyone at once) and its view count kept.
    During the undo window ``asset_share_restore`` brings the same link back."""
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
    asset = Asset.objects.select_for_update().get(pk=asset.pk, owner_id=asset.owner_id)
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
            Q(pk=asset.root_id) | Q(family_id=asset.root_id), owner_id=asset.owner_id, is_current=True
        ).first()
        if current is not None:
            _link_follows_current(current)
    return asset


def revoked_links_forget(*, now: dt.datetime | None = None) -> int:
    """Forget revoked links whose undo window has passed: their revoke is final."""
    revoked = Asset.objects.filter(share_revoked_at__lt=undo_window_start(now))
    forgotten = 0
    for owner_id in _owners(revoked):
        with acting_user(owner_id):
            forgotten += revoked.filter(owner_id=owner_id).update(
                revoked_share_token="", share_revoked_at=None
            )
    return forgotten


def asset_record_view(*, asset: Asset) -> None:
    """Count one view of a shared asset's public page (the visitor may be anyone: the count is
    written on the owner's behalf)."""
    with acting_user(asset.owner_id):
        Asset.objects.filter(pk=asset.pk).update(share_views=F("share_views") + 1)


def asset_takedown(*, asset: Asset) -> Asset:
    """Staff: make a shared asset private for good (its owner can no longer share it)."""
    asset.visibility = Asset.Visibility.PRIVATE
    asset.share_token = None
    asset.revoked_share_token, asset.share_revoked_at = "", None  # no undo brings it back
    asset.taken_down_at = timezone.now()
    with acting_user(asset.owner_id):  # staff act on the owner's row
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


# --- Deleting, undo, purge -----------------------------------------------------------------


def _families(owner_id: int, asset_ids: Sequence[uuid.UUID | str]) -> QuerySet[Asset]:
    """The assets and every other version of their families."""
    roots = {a.family_id or a.pk for a in Asset.objects.filter(owner_id=owner_id, pk__in=list(asset_ids))}
    return Asset.objects.filter(Q(pk__in=roots) | Q(family_id__in=roots), owner_id=owner_id)


def assets_delete(*, user: User | int, asset_ids: Sequence[uuid.UUID | str]) -> int:
    """Move assets, with all their versions, to the undo window: gone from every list and link
    at once, files kept until the purge. Returns how many library entries were deleted."""
    owner_id = user if isinstance(user, int) else user.pk
    count = _owned(owner_id, asset_ids).count()
    _families(owner_id, asset_ids).filter(deleted_at__isnull=True).update(deleted_at=timezone.now())
    return count


def assets_restore(*, user: User | int, asset_ids: Sequence[uuid.UUID | str]) -> int:
    """Undo a delete within the undo window: everything comes back as it was. Past the window
    the asset is as good as purged, even if the purge has not run yet."""
    owner_id = user if isinstance(user, int) else user.pk
    window_start = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS)
    count = Asset.objects.filter(
        owner_id=owner_id, pk__in=list(asset_ids), deleted_at__gte=window_start
    ).count()
    _families(owner_id, asset_ids).filter(deleted_at__gte=window_start).update(deleted_at=None)
    return count


def assets_purge(*, now: dt.datetime | None = None) -> int:
    """Remove assets deleted longer ago than the undo window: rows now, files on commit."""
    return undo_purge(Asset.objects, now=now)


def _owners(assets: QuerySet[Asset]) -> list[int]:
    """Whose assets these are: finding out is system work (every creator's rows)."""
    with system_work():
        return list(assets.values_list("owner_id", flat=True).distinct().order_by())


def _delete_for_owners(assets: QuerySet[Asset]) -> int:
    """Delete rows owner by owner, each inside that owner's acting-user transaction."""
    removed = 0
    for owner_id in _owners(assets):
        with acting_user(owner_id):
            removed += assets.filter(owner_id=owner_id).delete()[1].get("library.Asset", 0)
    return removed


# --- Versions ------------------------------------------------------------------------------


@transaction.atomic
def asset_version_add(*, asset: Asset, parent: Asset, note: dict[str, object]) -> Asset:
    """Make ``asset`` (just stored) the newest, current version of ``parent``'s family; it keeps
    the parent's collection, tags and favourite. ``note`` says how it was made."""
    root = parent.root_id
    family = Asset.objects.select_for_update().filter(
        Q(pk=root) | Q(family_id=root), owner_id=parent.owner_id
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
    _link_follows_current(asset)
    return asset


@transaction.atomic
def asset_version_revert(*, asset: Asset) -> Asset:
    """Make ``asset`` its family's current version again (the others stay in its history)."""
    root = asset.root_id
    Asset.objects.filter(Q(pk=root) | Q(family_id=root), owner_id=asset.owner_id).exclude(pk=asset.pk).update(
        is_current=False
    )
    Asset.objects.filter(pk=asset.pk).update(is_current=True)
    asset.is_current = True
    _link_follows_current(asset)
    return asset


def _link_follows_current(current: Asset) -> None:
    """A family's public link shows its current version: the link (and its view count) moves
    from the version that had it to ``current``, so whoever has it sees what the creator uses
    now. A version taken down by staff never receives it."""
    if current.is_public or current.taken_down_at is not None:
        return
    root = current.root_id
    shared = (
        Asset.objects.filter(Q(pk=root) | Q(family_id=root), owner_id=current.owner_id)
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


# --- Retention -----------------------------------------------------------------------------


def assets_expire(*, now: dt.datetime | None = None) -> int:
    """Delete Free-plan assets past their expiry, files included. A creator who now pays keeps
    everything: their expiry dates are cleared instead."""
    now = now or timezone.now()
    expired = Asset.objects.filter(expires_at__lte=now)
    removed = 0
    for owner_id in _owners(expired):
        with acting_user(owner_id):
            keeps_everything = plan_for(owner_id).asset_retention_days is None
            if keeps_everything:
                Asset.objects.filter(owner_id=owner_id, expires_at__isnull=False).update(expires_at=None)
        if keeps_everything:
            continue
        removed += _delete_for_owners(expired.filter(owner_id=owner_id))
    return removed


def expiry_notices_send(*, now: dt.datetime | None = None) -> int:
    """Email each Free-plan creator whose assets expire within ``LIBRARY_EXPIRY_NOTICE_DAYS``,
    once: the assets are marked notified in the same transaction the email is queued in.
    Returns how many creators were emailed."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.LIBRARY_EXPIRY_NOTICE_DAYS)
    due = Asset.objects.filter(
        expires_at__gt=now, expires_at__lte=horizon, expiry_notified_at__isnull=True, deleted_at__isnull=True
    )
    sent = 0
    for owner_id in _owners(due):
        with acting_user(owner_id):
            retention_days = plan_for(owner_id).asset_retention_days
            if retention_days is None:
                continue  # they pay now and keep everything; assets_expire clears the dates
            theirs = due.filter(owner_id=owner_id)
            first_expiry = theirs.aggregate(first=Min("expires_at"))["first"]
            # Marking first makes a concurrent run find nothing left to announce.
            count = theirs.update(expiry_notified_at=now)
            if not count:
                continue
            owner = User.objects.get(pk=owner_id)
            message = _expiry_notice(
                owner, count=count, first_expiry=first_expiry, retention_days=retention_days
            )
            if message is not None:  # None: they switched these emails off; the bell still says it
                email_enqueue(message=message)
            notify(
                user_id=owner_id,
                kind=Notification.Kind.ASSETS_EXPIRING,
                message=("One of your assets expires" if count == 1 else f"{count} of your assets expire")
                + f" in {settings.LIBRARY_EXPIRY_NOTICE_DAYS} days or less: download what you want to keep.",
                link=reverse("library:list"),
            )
        sent += 1
    return sent


def _expiry_notice(
    owner: User, *, count: int, first_expiry: dt.datetime, retention_days: int
) -> EmailMultiAlternatives | None:
    context = {
        "user": owner,
        "count": count,
        "retention_days": retention_days,
        "expires_on": first_expiry,
        "library_url": build_absolute_uri(None, reverse("library:list")),
        "upgrade_url": build_absolute_uri(None, reverse("billing:pricing")),
    }
    return email_build(
        user=owner, template="library/email/expiry_notice", context=context, kind=EmailKind.EXPIRY
    )
