"""The library's periodic tasks: purge after undo, retention, and the expiry notice (run eagerly)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from aurastream.celery import app
from generation import services as generation
from generation.services import JobRequest
from library import services, tasks
from library.models import Asset, Rendition
from tests.factories import AssetFactory, PlanGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


def file_names(asset: Asset) -> list[str]:
    return [rendition.file.name for rendition in asset.renditions.all()]


def test_the_beat_schedule_runs_the_library_tasks():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"library.purge_deleted", "library.expire_assets", "library.send_expiry_notices"} <= scheduled
    app.loader.import_default_modules()  # every app's tasks, as a worker finds them at start
    assert scheduled <= set(app.tasks)


def test_purge_task_respects_the_undo_window(user, django_capture_on_commit_callbacks, as_the_worker):
    asset = AssetFactory(owner=user)
    names = file_names(asset)
    services.assets_delete(user=user, asset_ids=[asset.pk])

    with django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
    assert Asset.objects.filter(pk=asset.pk).exists()  # still restorable

    window = dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    Asset.objects.filter(pk=asset.pk).update(deleted_at=timezone.now() - window)
    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
        tasks.purge_deleted.delay()  # a second run finds nothing left to do

    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_retention_removes_expired_free_assets_and_keeps_a_paying_creators(
    user, django_capture_on_commit_callbacks, as_the_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = generation.job_create(user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG"'))
    expired = Asset.objects.get(source_job_id=job.pk)
    assert expired.expires_at is not None
    assert abs(expired.expires_at - expired.created_at - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    names = file_names(expired)
    assert names
    assert all(default_storage.exists(name) for name in names)
    # A creator who made assets on Free and pays now: one past its date, one not yet.
    payer = UserFactory()
    past, future = timezone.now() - dt.timedelta(hours=1), timezone.now() + dt.timedelta(days=5)
    payer_assets = [AssetFactory(owner=payer, expires_at=past), AssetFactory(owner=payer, expires_at=future)]
    PlanGrantFactory(user=payer, plan="pro", starts_at=timezone.now() - dt.timedelta(days=1))
    Asset.objects.filter(pk=expired.pk).update(expires_at=past)

    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.expire_assets.delay()
        tasks.expire_assets.delay()

    assert not Asset.objects.filter(pk=expired.pk).exists()
    assert not Rendition.objects.filter(asset_id=expired.pk).exists()
    assert not any(default_storage.exists(name) for name in names)
    kept = Asset.objects.filter(pk__in=[a.pk for a in payer_assets])
    assert kept.count() == 2
    assert not kept.filter(expires_at__isnull=False).exists()
    assert all(default_storage.exists(name) for asset in payer_assets for name in file_names(asset))


def test_the_expiry_notice_is_emailed_once_three_days_ahead(
    user, django_capture_on_commit_callbacks, as_the_worker
):
    now = timezone.now()
    soon = [AssetFactory(owner=user, sizes=(28,), expires_at=now + dt.timedelta(days=d)) for d in (2, 2.5)]
    later = AssetFactory(owner=user, sizes=(28,), expires_at=now + dt.timedelta(days=10))
    AssetFactory(owner=user, sizes=(28,), expires_at=now + dt.timedelta(days=2), deleted_at=now)
    payer = UserFactory()
    PlanGrantFactory(user=payer, plan="studio", starts_at=now)
    AssetFactory(owner=payer, sizes=(28,), expires_at=now + dt.timedelta(days=1))

    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.send_expiry_notices.delay()
        tasks.send_expiry_notices.delay()  # a second run (or a redelivery) sends nothing new

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [user.email]
    assert email.subject == "[AuraStream] 2 assets in your library expire soon"
    assert "2 of your assets expire on" in email.body
    assert "keeps what you make for 30 days" in email.body
    assert "/library/" in email.body
    assert "/pricing/" in email.body
    notified = Asset.objects.filter(expiry_notified_at__isnull=False)
    assert set(notified.values_list("pk", flat=True)) == {a.pk for a in soon}

    # A week later the next asset comes within three days: it gets its own notice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiry_notices_send(now=now + dt.timedelta(days=8)) == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "[AuraStream] An asset in your library expires soon"
    later.refresh_from_db()
    assert later.expiry_notified_at is not None


def test_the_notice_gives_the_date_in_the_creators_time_zone(user, django_capture_on_commit_callbacks):
    user.timezone = "Pacific/Auckland"
    user.save(update_fields=["timezone"])
    expires = timezone.now() + dt.timedelta(days=2)
    AssetFactory(owner=user, sizes=(28,), expires_at=expires)

    with django_capture_on_commit_callbacks(execute=True):
        services.expiry_notices_send()

    local = expires.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
    assert f"{local:%-d %B %Y} at {local:%H:%M} ({local.tzname()})" in mail.outbox[0].body
