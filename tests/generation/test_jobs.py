"""Accepting, running, charging and canceling generation jobs (tasks run eagerly here)."""

from __future__ import annotations

import pytest
from PIL import Image

from billing.models import UsageEntry
from billing.services import QuotaExceeded
from generation import services
from generation.models import GenerationJob
from generation.services import JobRequest
from library.models import Asset, Rendition
from tests.factories import PlanGrantFactory
from tests.images import media_files

pytestmark = pytest.mark.django_db

THUMBNAIL = JobRequest(spec_key="youtube.thumbnail", prompt='Ranked grind night, "RANKED GRIND"', seed=7)


def run(user, request: JobRequest, capture, **kwargs) -> GenerationJob:
    with capture(execute=True):
        job, _ = services.job_create(user=user, request=request, **kwargs)
    job.refresh_from_db()
    return job


def test_a_job_makes_platform_sized_files_and_charges_once(user, django_capture_on_commit_callbacks):
    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.SUCCEEDED
    assert (job.stage, job.progress) == ("done", 100)
    asset = Asset.objects.get(source_job_id=job.pk)
    assert (asset.owner, asset.width, asset.height) == (user, 1280, 720)
    rendition = asset.renditions.get()
    with Image.open(rendition.file.path) as image:
        assert image.size == (1280, 720)
    assert rendition.bytes <= 2 * 1024 * 1024
    assert asset.recipe["seed"] == 7
    entry = UsageEntry.objects.get(reference=job.usage_reference)
    assert (entry.quantity, entry.state) == (1, UsageEntry.State.CHARGED)


def test_an_emote_pack_makes_every_size_of_every_emote(user, django_capture_on_commit_callbacks):
    request = JobRequest(
        spec_key="twitch.emote",
        prompt="purple cat",
        pack="emote_pack",
        pack_items=["GG", "HYPE", "love heart"],
    )
    job = run(user, request, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.SUCCEEDED
    assert job.cost == 3
    assets = Asset.objects.filter(source_job_id=job.pk).order_by("source_item")
    assert [a.recipe["text"] for a in assets] == ["GG", "HYPE", ""]
    for asset in assets:
        assert sorted((r.width, r.height) for r in asset.renditions.all()) == [(28, 28), (56, 56), (112, 112)]


def test_a_badge_set_makes_one_asset_per_tier(user, django_capture_on_commit_callbacks):
    request = JobRequest(
        spec_key="twitch.sub_badge", prompt="crystal shield", pack="badge_set", pack_items=["1", "3", "6"]
    )
    job = run(user, request, django_capture_on_commit_callbacks)

    assert [a.recipe["tier"] for a in Asset.objects.filter(source_job_id=job.pk).order_by("source_item")] == [
        1,
        3,
        6,
    ]


def test_the_same_recipe_gives_the_same_bytes(user, django_capture_on_commit_callbacks):
    first = run(
        user, JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=42), django_capture_on_commit_callbacks
    )
    second = run(
        user, JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=42), django_capture_on_commit_callbacks
    )
    other = run(
        user, JobRequest(spec_key="twitch.emote", prompt='"GG"', seed=43), django_capture_on_commit_callbacks
    )

    def master_bytes(job: GenerationJob) -> bytes:
        rendition = Rendition.objects.filter(asset__source_job_id=job.pk).order_by("-width").first()
        return rendition.file.read()

    assert master_bytes(first) == master_bytes(second)
    assert master_bytes(first) != master_bytes(other)


def test_the_fourth_free_generation_in_a_month_is_refused(user, django_capture_on_commit_callbacks):
    for _ in range(3):
        run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    with pytest.raises(QuotaExceeded) as refused:
        services.job_create(user=user, request=THUMBNAIL)

    assert "used all 3 generations" in refused.value.message
    assert GenerationJob.objects.filter(user=user).count() == 3


def test_a_pack_bigger_than_what_is_left_is_refused_whole(user, django_capture_on_commit_callbacks):
    run(user, THUMBNAIL, django_capture_on_commit_callbacks)
    pack = JobRequest(spec_key="twitch.emote", prompt="x", pack="emote_pack", pack_items=["A", "B", "C"])

    with pytest.raises(QuotaExceeded) as refused:
        services.job_create(user=user, request=pack)

    assert "2 generations left" in refused.value.message


def test_the_same_idempotency_key_starts_one_job(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.job_create(user=user, request=THUMBNAIL, idempotency_key="abc")
        again, created_again = services.job_create(user=user, request=THUMBNAIL, idempotency_key="abc")

    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert UsageEntry.objects.filter(user=user).count() == 1


def test_bad_input_is_refused_and_changes_nothing(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.job_create(user=user, request=JobRequest(spec_key="myspace.banner", prompt="", variants=9))

    assert set(refused.value.message_dict) >= {"spec_key", "prompt", "variants"}
    assert not GenerationJob.objects.exists()
    assert not UsageEntry.objects.exists()


def test_a_refusal_fails_the_job_with_its_reason_and_releases_the_reservation(
    user, settings, django_capture_on_commit_callbacks
):
    settings.IMAGE_PROVIDER = "tests.generation.providers.RefusingProvider"
    before = media_files()

    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.FAILED
    assert "safety filter" in job.error
    assert UsageEntry.objects.get(reference=job.usage_reference).state == UsageEntry.State.RELEASED
    assert not Asset.objects.filter(source_job_id=job.pk).exists()
    assert media_files() == before


def test_a_busy_provider_is_retried_then_the_job_fails(
    user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from aurastream.celery import app as celery_app
    from tests.generation.providers import BusyProvider

    # Run eagerly, retries included, as a worker would, without surfacing Celery's Retry signal.
    monkeypatch.setattr(celery_app.conf, "task_eager_propagates", False)
    settings.IMAGE_PROVIDER = "tests.generation.providers.BusyProvider"
    BusyProvider.calls = 0

    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    assert BusyProvider.calls == 4  # the first try and three retries
    assert job.status == GenerationJob.Status.FAILED
    assert "busy" in job.error
    assert UsageEntry.objects.get(reference=job.usage_reference).state == UsageEntry.State.RELEASED


def test_canceling_a_queued_job_releases_its_reservation(user):
    job, _ = services.job_create(user=user, request=THUMBNAIL)

    services.job_cancel(job=job)

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.CANCELED
    assert UsageEntry.objects.get(reference=job.usage_reference).state == UsageEntry.State.RELEASED
    # A canceled job that is delivered anyway does nothing.
    services.job_run(job_id=job.pk)
    assert not Asset.objects.filter(source_job_id=job.pk).exists()


def test_running_a_finished_job_again_changes_nothing(user, django_capture_on_commit_callbacks):
    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)
    files = media_files()

    services.job_run(job_id=job.pk)

    assert Asset.objects.filter(source_job_id=job.pk).count() == 1
    assert UsageEntry.objects.filter(reference=job.usage_reference, state="charged").count() == 1
    assert media_files() == files


def test_paid_plans_use_the_priority_queue(user):

    PlanGrantFactory(user=user, plan="pro")

    job, _ = services.job_create(user=user, request=THUMBNAIL)

    assert job.queue == "priority"


def test_a_starter_kit_makes_the_platforms_channel_assets(user, django_capture_on_commit_callbacks):

    PlanGrantFactory(user=user, plan="studio")
    request = JobRequest(spec_key="twitch.profile_picture", prompt="cozy night", pack="starter_kit")

    job = run(user, request, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.SUCCEEDED
    kinds = {asset.spec_key for asset in Asset.objects.filter(source_job_id=job.pk)}
    assert {"twitch.profile_picture", "twitch.profile_banner", "twitch.panel"} <= kinds


def test_remix_keeps_the_request_and_changes_the_seed(user, django_capture_on_commit_callbacks):
    job = run(user, THUMBNAIL, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        remix, created = services.job_remix(job=job)

    assert created
    assert (remix.spec_key, remix.prompt) == (job.spec_key, job.prompt)
    assert remix.seed != job.seed
