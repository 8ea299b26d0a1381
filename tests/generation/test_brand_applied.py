"""A brand kit is applied exactly, frozen per job, and "regenerate with current kit" uses edits."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from brandkits import services as kits
from generation import services
from generation.services import JobRequest
from library.models import Rendition

pytestmark = pytest.mark.django_db

COLOURS = {
    "primary_color": "#FF2E88",
    "secondary_color": "#1DE9B6",
    "accent_color": "#FFD400",
    "background_color": "#101820",
    "text_color": "#FFFFFF",
}


def master_pixels(job) -> set[tuple[int, int, int]]:
    rendition = Rendition.objects.filter(asset__source_job_id=job.pk).order_by("-width").first()
    with Image.open(io.BytesIO(rendition.file.read())) as image:
        return {pixel[:3] for pixel in image.convert("RGB").getdata()}


def hex_rgb(value: str) -> tuple[int, int, int]:
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def make(user, capture, **extra):
    with capture(execute=True):
        job, _ = services.job_create(
            user=user,
            request=JobRequest(spec_key="youtube.thumbnail", prompt='"GAME NIGHT"', seed=11, **extra),
        )
    job.refresh_from_db()
    return job


def test_the_kits_exact_colours_and_channel_name_reach_the_asset(user, django_capture_on_commit_callbacks):
    kit = kits.brand_kit_create(owner=user, name="Neon", channel_name="NeonNova", **COLOURS)

    job = make(user, django_capture_on_commit_callbacks)

    assert job.brand_kit_id == kit.pk
    assert job.brand_snapshot["palette"]["primary"] == "#FF2E88"
    pixels = master_pixels(job)
    # Composed exactly: every colour of the kit is in the file, to the last bit.
    assert {hex_rgb(value) for value in COLOURS.values()} <= pixels


def test_editing_a_kit_never_changes_assets_already_made(user, django_capture_on_commit_callbacks):
    kit = kits.brand_kit_create(owner=user, name="Neon", **COLOURS)
    job = make(user, django_capture_on_commit_callbacks)
    before = Rendition.objects.get(asset__source_job_id=job.pk).file.read()

    kits.brand_kit_update(kit=kit, primary_color="#00A2FF", background_color="#FFF8E7", text_color="#111111")

    assert Rendition.objects.get(asset__source_job_id=job.pk).file.read() == before
    with django_capture_on_commit_callbacks(execute=True):
        again, _ = services.job_regenerate_with_current_kit(job=job)
    again.refresh_from_db()
    assert again.seed == job.seed
    assert again.brand_snapshot["palette"]["primary"] == "#00A2FF"
    assert hex_rgb("#111111") in master_pixels(again)


def test_another_creators_kit_cannot_be_used(user, other_user):
    from django.core.exceptions import ValidationError

    theirs = kits.brand_kit_create(owner=other_user, name="Theirs")

    with pytest.raises(ValidationError) as refused:
        services.job_create(
            user=user, request=JobRequest(spec_key="twitch.emote", prompt="x", brand_kit_id=theirs.pk)
        )

    assert "brand_kit" in refused.value.message_dict
