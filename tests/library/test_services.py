"""Organising, sharing, deleting with undo and purging the library (services called directly)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from library import selectors, services
from library.models import Asset, Collection, Rendition, Tag
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def file_names(asset: Asset) -> list[str]:
    return [rendition.file.name for rendition in asset.renditions.all()]


def test_update_renames_favourites_files_and_retags(user):
    asset = AssetFactory(owner=user)
    ranked = services.collection_create(user=user, name="Ranked season")

    services.asset_update(
        asset=asset,
        title="  GG   emote ",
        favourite=True,
        collection_id=ranked.pk,
        tags=["#Ranked", " Halloween  night ", "ranked", ""],
    )

    asset = selectors.asset_get(user=user, asset_id=asset.pk)
    assert (asset.title, asset.favourite, asset.collection) == ("GG emote", True, ranked)
    assert sorted(tag.name for tag in asset.tags.all()) == ["halloween night", "ranked"]

    services.asset_update(asset=asset, title="GG")  # the collection and tags stay as they are
    assert (asset.collection, asset.tags.count()) == (ranked, 2)
    services.asset_update(asset=asset, collection_id=None, tags=[])
    asset.refresh_from_db()
    assert (asset.collection, asset.tags.count()) == (None, 0)
    assert Tag.objects.filter(owner=user).count() == 2  # the creator's tags stay for later


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": [f"tag{n}" for n in range(21)]}, "tags"),
    ],
)
def test_update_refuses_bad_values_with_the_field_named(user, change, field):
    asset = AssetFactory(owner=user)

    with pytest.raises(ValidationError) as error:
        services.asset_update(asset=asset, **change)

    assert field in error.value.message_dict


def test_another_creators_collection_cannot_hold_an_asset(user, other_user):
    asset = AssetFactory(owner=user)
    theirs = services.collection_create(user=other_user, name="Theirs")

    with pytest.raises(ValidationError) as error:
        services.asset_update(asset=asset, collection_id=theirs.pk)
    with pytest.raises(ValidationError):
        services.assets_move(user=user, asset_ids=[asset.pk], collection_id=theirs.pk)

    assert "collection" in error.value.message_dict
    asset.refresh_from_db()
    assert asset.collection is None


def test_bulk_move_and_tag_touch_only_the_creators_assets(user, other_user):
    mine = [AssetFactory(owner=user, sizes=(28,)) for _ in range(2)]
    theirs = AssetFactory(owner=other_user, sizes=(28,))
    folder = services.collection_create(user=user, name="Sub badges")
    services.asset_update(asset=mine[0], tags=["hype"])
    ids = [mine[0].pk, mine[1].pk, theirs.pk]

    moved = services.assets_move(user=user, asset_ids=ids, collection_id=folder.pk)
    tagged = services.assets_tag(user=user, asset_ids=ids, tags=["Season 4", "hype"])

    assert (moved, tagged) == (2, 2)
    assert {a.pk for a in Asset.objects.filter(collection=folder)} == {mine[0].pk, mine[1].pk}
    assert sorted(mine[0].tags.values_list("name", flat=True)) == ["hype", "season 4"]
    assert sorted(mine[1].tags.values_list("name", flat=True)) == ["hype", "season 4"]
    theirs.refresh_from_db()
    assert (theirs.collection, theirs.tags.count()) == (None, 0)


def test_collection_names_are_unique_per_creator_and_deleting_one_keeps_its_assets(user, other_user):
    ranked = services.collection_create(user=user, name="Ranked")
    services.collection_create(user=other_user, name="Ranked")  # another creator may use the name
    asset = AssetFactory(owner=user, collection=ranked)

    with pytest.raises(ValidationError) as duplicate:
        services.collection_create(user=user, name=" ranked ")
    with pytest.raises(ValidationError) as blank:
        services.collection_rename(collection=ranked, name="  ")
    renamed = services.collection_rename(collection=ranked, name="Ranked  grind")
    services.collection_delete(collection=renamed)

    assert "already have" in duplicate.value.message_dict["name"][0]
    assert "name" in blank.value.message_dict
    assert renamed.name == "Ranked grind"
    asset.refresh_from_db()
    assert asset.collection is None
    assert not Collection.objects.filter(owner=user).exists()


def test_a_share_token_is_long_unique_and_kept_while_public(user):
    first, second = AssetFactory(owner=user), AssetFactory(owner=user)

    token = services.asset_share(asset=first).share_token
    services.asset_share(asset=second)
    again = services.asset_share(asset=first).share_token

    assert token is not None
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    assert token != second.share_token
    assert again == token
    assert selectors.asset_shared(token=token) == first


def test_rotate_replaces_the_link_and_unshare_revokes_it(user):
    asset = services.asset_share(asset=AssetFactory(owner=user))
    old = asset.share_token
    services.asset_record_view(asset=asset)

    services.asset_share_rotate(asset=asset)
    new = asset.share_token
    with pytest.raises(Http404):
        selectors.asset_shared(token=old)
    assert selectors.asset_shared(token=new) == asset

    services.asset_unshare(asset=asset)
    asset.refresh_from_db()
    assert (asset.visibility, asset.share_token, asset.share_views) == ("private", None, 1)
    with pytest.raises(Http404):
        selectors.asset_shared(token=new)
    with pytest.raises(ValidationError):
        services.asset_share_rotate(asset=asset)


def test_a_taken_down_asset_cannot_be_shared_again(user):
    asset = services.asset_share(asset=AssetFactory(owner=user))
    token = asset.share_token

    services.asset_takedown(asset=asset)

    asset.refresh_from_db()
    assert (asset.visibility, asset.share_token) == ("private", None)
    assert asset.taken_down_at is not None
    with pytest.raises(Http404):
        selectors.asset_shared(token=token)
    with pytest.raises(ValidationError, match="taken down"):
        services.asset_share(asset=asset)


def test_a_public_link_shows_the_current_version(user, client):
    first = services.asset_share(asset=AssetFactory(owner=user, title="Hype v1"))
    token = first.share_token
    services.asset_record_view(asset=first)

    second = services.asset_version_add(
        asset=AssetFactory(owner=user, title="Hype v2"), parent=first, note={}
    )

    first.refresh_from_db()
    assert (second.is_public, second.share_token, second.share_views) == (True, token, 1)
    assert (first.is_public, first.share_token) == (False, None)
    assert "Hype v2" in client.get(f"/s/{token}/").content.decode()

    services.asset_version_revert(asset=first)

    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.share_token, second.share_token) == (token, None)
    assert "Hype v1" in client.get(f"/s/{token}/").content.decode()


def test_delete_then_restore_brings_the_asset_back_as_it_was(user):
    folder = services.collection_create(user=user, name="Overlays")
    asset = AssetFactory(owner=user, collection=folder)
    services.asset_update(asset=asset, tags=["cozy"])
    services.asset_share(asset=asset)

    assert services.assets_delete(user=user, asset_ids=[asset.pk]) == 1
    assert not selectors.asset_list(user=user).exists()
    with pytest.raises(Http404):
        selectors.asset_get(user=user, asset_id=asset.pk)
    with pytest.raises(Http404):
        selectors.asset_shared(token=asset.share_token or "")

    assert services.assets_restore(user=user, asset_ids=[asset.pk]) == 1
    restored = selectors.asset_get(user=user, asset_id=asset.pk)
    assert restored.collection == folder
    assert [tag.name for tag in restored.tags.all()] == ["cozy"]
    assert selectors.asset_shared(token=asset.share_token or "") == restored


def test_delete_and_restore_ignore_another_creators_assets(user, other_user):
    theirs = AssetFactory(owner=other_user)

    assert services.assets_delete(user=user, asset_ids=[theirs.pk]) == 0
    services.assets_delete(user=other_user, asset_ids=[theirs.pk])
    assert services.assets_restore(user=user, asset_ids=[theirs.pk]) == 0


def test_purge_waits_out_the_undo_window_then_removes_rows_and_files(
    user, other_user, django_capture_on_commit_callbacks
):
    deleted = AssetFactory(owner=user)
    kept = AssetFactory(owner=other_user)
    names, kept_names = file_names(deleted), file_names(kept)
    services.assets_delete(user=user, asset_ids=[deleted.pk])
    after_window = timezone.now() + dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)

    assert services.assets_purge() == 0  # still inside the undo window
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.assets_purge(now=after_window) == 1
    assert all(default_storage.exists(name) for name in names)  # files leave only on commit
    for callback in callbacks:
        callback()

    assert not Asset.objects.filter(pk=deleted.pk).exists()
    assert not Rendition.objects.filter(asset_id=deleted.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    assert all(default_storage.exists(name) for name in kept_names)
    assert selectors.storage_used(user=user) == 0


def test_a_delete_past_the_undo_window_cannot_be_undone(user):
    asset = AssetFactory(owner=user)
    services.assets_delete(user=user, asset_ids=[asset.pk])
    long_ago = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    Asset.objects.filter(pk=asset.pk).update(deleted_at=long_ago)

    assert services.assets_restore(user=user, asset_ids=[asset.pk]) == 0
    assert not selectors.asset_list(user=user).exists()


def test_collection_names_differ_by_more_than_case(user):
    services.collection_create(user=user, name="Ranked")
    other = services.collection_create(user=user, name="Casual")

    with pytest.raises(ValidationError):
        services.collection_create(user=user, name="ranked")
    with pytest.raises(ValidationError):
        services.collection_rename(collection=other, name="RANKED")
    # The database agrees, whatever a racing request checked first.
    with pytest.raises(IntegrityError), transaction.atomic():
        Collection.objects.create(owner=user, name="rANKED")
    names = Collection.objects.filter(owner=user).values_list("name", flat=True)
    assert sorted(names) == ["Casual", "Ranked"]
