"""Deleting a brand kit can be undone within the undo window; the purge removes it after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from aurastream.celery import app
from brandkits import services, tasks
from brandkits.models import BrandKit, BrandLogo
from tests.brandkits.test_kits import grant, logo_upload, media_files

pytestmark = pytest.mark.django_db


def test_a_deleted_kit_leaves_every_list_and_undo_brings_it_back(auth_client, user):
    grant(user, "pro")
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
    services.brand_logo_upload(kit=kit, role="icon", upload=logo_upload())
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
