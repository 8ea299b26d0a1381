"""Deleting a brand kit or one of the creator's images can be undone within the undo window; the
purge removes it after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from aurastream.celery import app
from brandkits import services, tasks
from brandkits.models import BrandKit, BrandLogo, CreatorMedia
from brandkits.services import media_upload
from generation.services import JobRequest, asset_refine, job_create
from library.models import Asset
from tests.factories import BrandLogoFactory, CreatorMediaFactory, PlanGrantFactory, thumbnail_with_fern
from tests.images import mascot_upload, media_files

pytestmark = pytest.mark.django_db


def test_a_deleted_kit_leaves_every_list_and_undo_brings_it_back(auth_client, user):
    PlanGrantFactory(user=user, plan="pro")
    main = services.brand_kit_create(owner=user, name="Main")
    services.brand_kit_create(owner=user, name="Second")

    response = auth_client.post(f"/brand/{main.pk}/delete/")
    assert response.status_code == 302
    page = auth_client.get("/brand/").content.decode()
    assert "Deleted “Main”" in page
    assert f'action="/brand/{main.pk}/restore/"' in page
    assert not BrandKit.objects.filter(pk=main.pk).exists()  # gone from every read
    assert BrandKit.objects.get(name="Second").is_default  # another kit took over
    assert auth_client.get(f"/brand/{main.pk}/").status_code == 404
    assert "Main" not in {item["title"] for item in auth_client.get("/palette/").json()["items"]}
    assert "Deleted “Main”" not in auth_client.get("/brand/").content.decode()  # offered once

    response = auth_client.post(f"/brand/{main.pk}/restore/")

    assert response.status_code == 302
    main = BrandKit.objects.get(pk=main.pk)
    assert main.deleted_at is None
    assert not main.is_default  # "Second" stays the default it became
    assert auth_client.get(f"/brand/{main.pk}/").status_code == 200


def test_restoring_the_only_kit_makes_it_the_default_again(auth_client, user):
    kit = services.brand_kit_create(owner=user, name="Only")
    auth_client.post(f"/brand/{kit.pk}/delete/")
    auth_client.post(f"/brand/{kit.pk}/restore/")
    assert BrandKit.objects.get(pk=kit.pk).is_default


def test_undo_is_refused_after_the_window_and_for_another_creators_kit(client, user, other_user):
    kit = services.brand_kit_create(owner=user, name="Mine")
    services.brand_kit_delete(kit=kit)

    client.force_login(other_user)
    client.post(f"/brand/{kit.pk}/restore/")
    assert BrandKit.all_objects.get(pk=kit.pk).deleted_at is not None

    client.force_login(user)
    late = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    BrandKit.all_objects.filter(pk=kit.pk).update(deleted_at=late)
    response = client.post(f"/brand/{kit.pk}/restore/", follow=True)
    assert "Too late to undo" in response.content.decode()
    assert not BrandKit.objects.filter(pk=kit.pk).exists()


def test_undo_respects_the_plans_kit_limit(auth_client, user):
    kit = services.brand_kit_create(owner=user, name="First")
    services.brand_kit_delete(kit=kit)
    services.brand_kit_create(owner=user, name="Replacement")  # Free: one kit

    response = auth_client.post(f"/brand/{kit.pk}/restore/", follow=True)

    assert "restore that kit" in response.content.decode()
    assert not BrandKit.objects.filter(pk=kit.pk).exists()


def test_the_purge_removes_kits_and_logo_files_after_the_window(
    user, django_capture_on_commit_callbacks, as_the_worker
):
    assert "brandkits.purge_deleted" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "brandkits.purge_deleted" in app.tasks
    kit = services.brand_kit_create(owner=user, name="Logo kit")
    BrandLogoFactory(kit=kit, role="icon")
    files = media_files()
    services.brand_kit_delete(kit=kit)

    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
    assert BrandKit.all_objects.filter(pk=kit.pk).exists()  # still restorable
    assert media_files() == files

    late = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    BrandKit.all_objects.filter(pk=kit.pk).update(deleted_at=late)
    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
        tasks.purge_deleted.delay()  # a second run finds nothing left

    assert not BrandKit.all_objects.filter(pk=kit.pk).exists()
    assert not BrandLogo.objects.filter(kit_id=kit.pk).exists()
    assert len(media_files()) < len(files)


# --- The creator's own images ---------------------------------------------------------------


def test_a_deleted_image_leaves_the_list_and_new_jobs_and_undo_brings_it_back(auth_client, user):
    item = CreatorMediaFactory(owner=user, name="Fern")

    response = auth_client.post(f"/brand/images/{item.pk}/delete/")

    assert response.status_code == 302
    page = auth_client.get("/brand/images/").content.decode()
    assert "Deleted “Fern”. Assets made with it keep it." in page
    assert f'action="/brand/images/{item.pk}/restore/"' in page
    assert f"/brand/images/{item.pk}.png" not in page
    assert auth_client.get(f"/brand/images/{item.pk}.png").status_code == 404
    with pytest.raises(ValidationError, match="Choose from the images of the workspace"):
        job_create(
            user=user, request=JobRequest(spec_key="youtube.thumbnail", prompt="x", media_ids=(item.pk,))
        )
    assert "Deleted “Fern”" not in auth_client.get("/brand/images/").content.decode()  # offered once

    restored = auth_client.post(f"/brand/images/{item.pk}/restore/", follow=True)

    assert "Restored “Fern”." in restored.content.decode()
    assert f"/brand/images/{item.pk}.png" in restored.content.decode()
    assert auth_client.get(f"/brand/images/{item.pk}.png").status_code == 200
    assert CreatorMedia.objects.get(pk=item.pk).name == "Fern"


def test_a_job_made_with_a_deleted_image_still_refines_with_it_during_the_window(
    user, django_capture_on_commit_callbacks
):
    job, mascot = thumbnail_with_fern(user, django_capture_on_commit_callbacks)
    services.media_delete(item=mascot)

    with django_capture_on_commit_callbacks(execute=True):
        refine, _ = asset_refine(
            user=user, asset=Asset.objects.get(source_job_id=job.pk), instruction="brighter"
        )

    assert Asset.objects.get(source_job_id=refine.pk).refine_note.get("left_out") in (None, [])


def test_another_creators_image_is_a_404_for_delete_and_undo(client, user, other_user):
    mine = CreatorMediaFactory(owner=user)
    services.media_delete(item=mine)
    theirs = CreatorMediaFactory(owner=other_user)

    client.force_login(other_user)
    assert client.post(f"/brand/images/{mine.pk}/restore/").status_code == 404
    assert CreatorMedia.all_objects.get(pk=mine.pk).deleted_at is not None
    client.force_login(user)
    assert client.post(f"/brand/images/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/brand/images/{theirs.pk}/restore/").status_code == 404
    assert CreatorMedia.objects.filter(pk=theirs.pk).exists()


def test_undo_of_an_image_respects_the_plans_room(auth_client, user):
    items = CreatorMediaFactory.create_batch(3, owner=user)
    services.media_delete(item=items[0])
    CreatorMediaFactory(owner=user)  # Free: three images

    response = auth_client.post(f"/brand/images/{items[0].pk}/restore/", follow=True)

    assert "restore that image" in response.content.decode()
    assert not CreatorMedia.objects.filter(pk=items[0].pk).exists()


def test_the_purge_removes_images_and_their_files_after_the_window(
    auth_client, user, django_capture_on_commit_callbacks, as_the_worker
):
    item = CreatorMediaFactory(owner=user)
    name = item.image.name
    services.media_delete(item=item)

    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
    assert CreatorMedia.all_objects.filter(pk=item.pk).exists()  # still restorable
    assert default_storage.exists(name)

    late = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    CreatorMedia.all_objects.filter(pk=item.pk).update(deleted_at=late)
    assert (
        "Too late to undo"
        in auth_client.post(f"/brand/images/{item.pk}/restore/", follow=True).content.decode()
    )
    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
        tasks.purge_deleted.delay()  # a second run finds nothing left

    assert not CreatorMedia.all_objects.filter(pk=item.pk).exists()
    assert not default_storage.exists(name)
    assert auth_client.post(f"/brand/images/{item.pk}/restore/").status_code == 404


def test_the_api_deletes_an_image_and_restores_it(api_client, user, other_user):
    item = media_upload(owner=user, upload=mascot_upload(), name="Fern")
    url = f"/api/v1/media/{item.pk}/"

    api_client.force_login(other_user)
    assert api_client.delete(url).status_code == 404
    api_client.force_login(user)
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404
    assert api_client.get("/api/v1/media/").json() == []
    api_client.force_login(other_user)
    assert api_client.post(f"{url}restore/").status_code == 404

    api_client.force_login(user)
    restored = api_client.post(f"{url}restore/")

    assert restored.status_code == 200
    assert restored.json()["name"] == "Fern"
    assert [m["id"] for m in api_client.get("/api/v1/media/").json()] == [item.pk]
    services.media_delete(item=item)
    late = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    CreatorMedia.all_objects.filter(pk=item.pk).update(deleted_at=late)
    assert api_client.post(f"{url}restore/").status_code == 404
