"""Undo in the library beyond assets: a deleted collection (with its assets) and a revoked share
link come back within the undo window; after it, the purge makes the delete final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from library import services, tasks
from library.models import Asset, Collection
from tests.factories import make_assets

pytestmark = pytest.mark.django_db


def too_late() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)


# --- Collections ---------------------------------------------------------------------------


def test_a_deleted_collection_leaves_the_library_and_undo_brings_it_back_with_its_assets(auth_client, user):
    inside = make_assets(user, 2)
    [outside] = make_assets(user, 1)
    collection = services.collection_create(user=user, name="Ranked")
    services.assets_move(user=user, asset_ids=[a.pk for a in inside], collection_id=collection.pk)

    response = auth_client.post(f"/library/collections/{collection.pk}/delete/")

    assert response.status_code == 302
    page = auth_client.get("/library/").content.decode()
    assert "Deleted the collection “Ranked”. Its assets are still in your library." in page
    assert f'action="/library/collections/{collection.pk}/restore/"' in page
    assert f"?collection={collection.pk}" not in page  # gone from the collections list
    assert all(str(a.pk) in page for a in [*inside, outside])  # its assets are still there
    assert not Asset.objects.filter(collection_id=collection.pk).exists()
    assert "Ranked" not in {item["title"] for item in auth_client.get("/palette/").json()["items"]}
    assert "Deleted the collection" not in auth_client.get("/library/").content.decode()  # offered once

    response = auth_client.post(f"/library/collections/{collection.pk}/restore/", follow=True)

    assert response.redirect_chain[-1][0] == f"/library/?collection={collection.pk}"
    assert "Restored the collection “Ranked”." in response.content.decode()
    assert set(Collection.objects.get(pk=collection.pk).assets.values_list("pk", flat=True)) == {
        a.pk for a in inside
    }
    assert Asset.objects.get(pk=outside.pk).collection is None


def test_undo_leaves_an_asset_filed_elsewhere_meanwhile_where_it_is(user):
    assets = make_assets(user, 2)
    ranked = services.collection_create(user=user, name="Ranked")
    casual = services.collection_create(user=user, name="Casual")
    services.assets_move(user=user, asset_ids=[a.pk for a in assets], collection_id=ranked.pk)
    services.collection_delete(collection=ranked)
    services.assets_move(user=user, asset_ids=[assets[0].pk], collection_id=casual.pk)

    services.collection_restore(collection=Collection.all_objects.get(pk=ranked.pk))

    assert Asset.objects.get(pk=assets[0].pk).collection_id == casual.pk
    assert Asset.objects.get(pk=assets[1].pk).collection_id == ranked.pk


def test_a_deleted_collections_name_is_free_and_undo_then_asks_for_a_rename(auth_client, user):
    collection = services.collection_create(user=user, name="Ranked")
    auth_client.post(f"/library/collections/{collection.pk}/delete/")

    auth_client.post("/library/collections/", {"name": "ranked"})
    newer = Collection.objects.get(owner=user)
    refused = auth_client.post(f"/library/collections/{collection.pk}/restore/", follow=True)

    assert "another collection called “Ranked” now" in refused.content.decode()
    assert Collection.all_objects.get(pk=collection.pk).deleted_at is not None
    services.collection_rename(collection=newer, name="Ranked S2")
    auth_client.post(f"/library/collections/{collection.pk}/restore/")
    assert set(Collection.objects.filter(owner=user).values_list("name", flat=True)) == {
        "Ranked",
        "Ranked S2",
    }


def test_another_creators_collection_is_a_404_for_delete_and_undo(client, user, other_user):
    collection = services.collection_create(user=user, name="Mine")
    services.collection_delete(collection=collection)
    theirs = services.collection_create(user=other_user, name="Theirs")

    client.force_login(other_user)
    assert client.post(f"/library/collections/{collection.pk}/restore/").status_code == 404
    assert Collection.all_objects.get(pk=collection.pk).deleted_at is not None
    client.force_login(user)
    assert client.post(f"/library/collections/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/library/collections/{theirs.pk}/restore/").status_code == 404
    assert Collection.objects.filter(pk=theirs.pk).exists()


def test_undo_is_refused_after_the_window_and_the_purge_removes_the_collection(
    auth_client, user, django_capture_on_commit_callbacks, as_the_worker
):
    [asset] = make_assets(user, 1)
    collection = services.collection_create(user=user, name="Old")
    services.assets_move(user=user, asset_ids=[asset.pk], collection_id=collection.pk)
    services.collection_delete(collection=collection)

    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
    assert Collection.all_objects.filter(pk=collection.pk).exists()  # still restorable

    Collection.all_objects.filter(pk=collection.pk).update(deleted_at=too_late())
    late = auth_client.post(f"/library/collections/{collection.pk}/restore/", follow=True)
    assert "Too late to undo" in late.content.decode()
    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
        tasks.purge_deleted.delay()  # a second run finds nothing left

    assert not Collection.all_objects.filter(pk=collection.pk).exists()
    assert Asset.objects.get(pk=asset.pk).collection is None  # the asset stays in the library
    assert auth_client.post(f"/library/collections/{collection.pk}/restore/").status_code == 404


def test_the_api_deletes_a_collection_and_restores_it(api_client, user, other_user):
    [asset] = make_assets(user, 1)
    collection = services.collection_create(user=user, name="Season 4")
    services.assets_move(user=user, asset_ids=[asset.pk], collection_id=collection.pk)
    url = f"/api/v1/collections/{collection.pk}/"

    api_client.force_login(other_user)
    assert api_client.delete(url).status_code == 404
    api_client.force_login(user)
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404
    api_client.force_login(other_user)
    assert api_client.post(f"{url}restore/").status_code == 404

    api_client.force_login(user)
    restored = api_client.post(f"{url}restore/")

    assert restored.status_code == 200
    assert (restored.json()["name"], restored.json()["asset_count"]) == ("Season 4", 1)
    services.collection_delete(collection=Collection.objects.get(pk=collection.pk))
    Collection.all_objects.filter(pk=collection.pk).update(deleted_at=too_late())
    assert api_client.post(f"{url}restore/").status_code == 404


# --- Share links ---------------------------------------------------------------------------


def shared_asset(user) -> tuple[Asset, str]:
    [asset] = make_assets(user, 1)
    asset = services.asset_share(asset=asset)
    return asset, f"/s/{asset.share_token}/"


def test_a_revoked_link_is_a_404_at_once_and_undo_brings_back_the_same_link(auth_client, client, user):
    asset, link = shared_asset(user)
    assert client.get(link).status_code == 200

    response = auth_client.post(f"/library/assets/{asset.pk}/share/revoke/", HTTP_HX_REQUEST="true")

    answer = response.content.decode()
    assert response.status_code == 200
    assert 'id="share-panel"' in answer
    assert "Create a public link" in answer  # the panel says it is private now
    assert 'hx-swap-oob="beforeend:#toasts"' in answer
    assert "Link revoked. The asset is private again." in answer
    assert f'action="/library/assets/{asset.pk}/share/restore/"' in answer
    assert client.get(link).status_code == 404  # at once, for everyone

    restored = auth_client.post(f"/library/assets/{asset.pk}/share/restore/", follow=True)

    assert restored.redirect_chain[-1][0] == f"/library/assets/{asset.pk}/"
    assert "Link restored: the same link works again." in restored.content.decode()
    assert f"http://testserver{link}" in restored.content.decode()
    assert client.get(link).status_code == 200
    again = auth_client.post(f"/library/assets/{asset.pk}/share/restore/", follow=True)
    assert "Nothing to undo" in again.content.decode()


def test_revoking_without_javascript_offers_the_same_undo_on_the_asset_page(auth_client, client, user):
    asset, link = shared_asset(user)

    response = auth_client.post(f"/library/assets/{asset.pk}/share/revoke/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/library/assets/{asset.pk}/"
    assert "Link revoked. The asset is private again." in page
    assert f'action="/library/assets/{asset.pk}/share/restore/"' in page
    assert client.get(link).status_code == 404
    auth_client.post(f"/library/assets/{asset.pk}/share/restore/")
    assert client.get(link).status_code == 200


def test_after_the_window_the_revoke_is_final(
    auth_client, client, user, django_capture_on_commit_callbacks, as_the_worker
):
    asset, link = shared_asset(user)
    auth_client.post(f"/library/assets/{asset.pk}/share/revoke/")
    Asset.objects.filter(pk=asset.pk).update(share_revoked_at=too_late())

    late = auth_client.post(f"/library/assets/{asset.pk}/share/restore/", follow=True)
    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()

    assert "Too late to undo" in late.content.decode()
    assert client.get(link).status_code == 404
    asset.refresh_from_db()
    assert (asset.is_public, asset.revoked_share_token, asset.share_revoked_at) == (False, "", None)
    assert (
        link.strip("/").rsplit("/", 1)[-1]
        not in auth_client.get(f"/library/assets/{asset.pk}/").content.decode()
    )


def test_a_new_link_or_a_takedown_ends_the_undo(auth_client, client, user):
    asset, link = shared_asset(user)
    services.asset_unshare(asset=asset)
    newer = services.asset_share(asset=Asset.objects.get(pk=asset.pk))
    auth_client.post(f"/library/assets/{asset.pk}/share/restore/")
    assert client.get(link).status_code == 404  # the new link stays the one that works
    assert Asset.objects.get(pk=asset.pk).share_token == newer.share_token

    other, other_link = shared_asset(user)
    services.asset_unshare(asset=other)
    services.asset_takedown(asset=Asset.objects.get(pk=other.pk))
    auth_client.post(f"/library/assets/{other.pk}/share/restore/")
    assert client.get(other_link).status_code == 404


def test_another_creators_link_is_a_404_for_revoke_and_undo(client, user, other_user):
    asset, link = shared_asset(user)
    services.asset_unshare(asset=asset)
    theirs, their_link = shared_asset(other_user)

    client.force_login(other_user)
    assert client.post(f"/library/assets/{asset.pk}/share/restore/").status_code == 404
    client.force_login(user)
    assert client.post(f"/library/assets/{theirs.pk}/share/revoke/").status_code == 404
    assert client.post(f"/library/assets/{theirs.pk}/share/restore/").status_code == 404
    client.logout()
    assert client.get(link).status_code == 404
    assert client.get(their_link).status_code == 200
