"""The creator's own images in what they generate: placed by the local engine where each asset
puts them (tests find them in the pixels), and sent to an image model as image inputs."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from brandkits.models import CreatorMedia
from brandkits.services import media_delete, media_purge, media_upload
from generation import services
from generation.engine.providers.local import LocalArtProvider
from generation.engine.render import render_asset
from generation.engine.types import BrandSnapshot, Brief, Palette, Reference
from generation.models import GenerationJob
from generation.services import JobRequest
from library.models import Asset
from platforms import spec_get
from tests.factories import PlanGrantFactory, thumbnail_with_fern
from tests.fakes import gemini as fake_gemini
from tests.fakes.gemini import FakeGemini
from tests.images import MASCOT_GREEN, mascot_image, mascot_upload, photo_upload

pytestmark = pytest.mark.django_db

BRAND = BrandSnapshot(
    name="Kit",
    palette=Palette(
        primary="#7C3AED", secondary="#4C1D95", accent="#F59E0B", background="#0F0A1F", text="#FFFFFF"
    ),
)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


MASCOT = Reference(role="mascot", name="Fern", image_png=png_bytes(mascot_image()), cutout=True)


def green_share(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> float:
    pixels = np.asarray((image.crop(box) if box else image).convert("RGB"), dtype=int)
    close = np.abs(pixels - np.array(MASCOT_GREEN)).sum(axis=-1) < 60
    return float(close.mean())


def render(key: str, references: tuple[Reference, ...] = ()) -> tuple[Image.Image, tuple]:
    brief = Brief(prompt="victory night", text="CLUTCH", references=references)
    result = render_asset(spec=spec_get(key), brief=brief, brand=BRAND, seed=5, provider=LocalArtProvider())
    return Image.open(io.BytesIO(result.files[0].data)).convert("RGB"), result.placements


@pytest.mark.parametrize("key", ["youtube.thumbnail", "stream.starting_soon", "all.story_cover"])
def test_a_mascot_is_placed_where_the_asset_puts_it(key):
    plain, _ = render(key)
    image, placements = render(key, (MASCOT,))

    [placed] = [p for p in placements if p.kind == "reference"]
    r = placed.rect
    inside = green_share(image, (r.x, r.y, r.x + r.width, r.y + r.height))
    assert inside > 0.3  # the disc fills much of its box
    assert green_share(plain) < 0.01
    assert green_share(image) < inside  # it is there, not everywhere


def test_on_a_thumbnail_the_mascot_stays_clear_of_the_duration_stamp():
    _, placements = render("youtube.thumbnail", (MASCOT,))
    spec = spec_get("youtube.thumbnail")

    [placed] = [p for p in placements if p.kind == "reference"]
    for area in spec.keep_clear:
        assert not (
            placed.rect.x < area.x + area.width
            and area.x < placed.rect.x + placed.rect.width
            and placed.rect.y < area.y + area.height
            and area.y < placed.rect.y + placed.rect.height
        )


def test_an_emote_made_with_a_mascot_is_the_mascot():
    plain, _ = render("twitch.emote")
    image, _ = render("twitch.emote", (MASCOT,))

    assert green_share(plain) < 0.01
    assert green_share(image) > 0.12  # the disc above the word


def test_a_photo_is_framed_whole():
    photo = Image.open(photo_upload()).convert("RGB")
    reference = Reference(role="face", name="Me", image_png=png_bytes(photo), cutout=False)

    image, placements = render("stream.starting_soon", (reference,))

    [placed] = [p for p in placements if p.kind == "reference"]
    r = placed.rect
    middle = r.y + r.height // 2
    left = image.getpixel((r.x + r.width // 8, middle))
    right = image.getpixel((r.x + r.width * 7 // 8, middle))
    assert left[0] > 150 > left[2]  # red on the left
    assert right[2] > 150 > right[0]  # blue on the right


def test_a_job_with_the_creators_images_puts_them_in_and_records_them(
    user, django_capture_on_commit_callbacks
):
    job, _ = thumbnail_with_fern(user, django_capture_on_commit_callbacks)

    assert job.status == GenerationJob.Status.SUCCEEDED
    assert job.items[0]["media"][0]["name"] == "Fern"
    asset = Asset.objects.get(source_job_id=job.pk)
    with asset.renditions.order_by("-width").first().file.open("rb") as file:
        made = Image.open(file).convert("RGB")
    assert green_share(made) > 0.02
    assert any(check["code"] == "safe_zone" and check["ok"] for check in asset.checks)


def test_refining_after_deleting_an_image_says_it_was_left_out(
    auth_client, user, django_capture_on_commit_callbacks
):
    job, mascot = thumbnail_with_fern(user, django_capture_on_commit_callbacks)
    original = Asset.objects.get(source_job_id=job.pk)
    media_delete(item=mascot)  # within the undo window the file stays: jobs still read it
    late = timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    CreatorMedia.all_objects.filter(pk=mascot.pk).update(deleted_at=late)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the purge commits
        media_purge()

    with django_capture_on_commit_callbacks(execute=True):
        refine, _ = services.asset_refine(user=user, asset=original, instruction="brighter")

    refine.refresh_from_db()
    assert refine.status == GenerationJob.Status.SUCCEEDED
    page = auth_client.get(f"/create/jobs/{refine.pk}/").content.decode()
    assert "Your image “Fern” was deleted, so this version is made without it." in page
    assert Asset.objects.get(source_job_id=refine.pk).refine_note["left_out"] == ["Fern"]


def test_only_the_creators_own_images_and_at_most_two(user, other_user):
    theirs = media_upload(owner=other_user, upload=mascot_upload())

    with pytest.raises(ValidationError) as not_theirs:
        services.job_create(
            user=user, request=JobRequest(spec_key="youtube.thumbnail", prompt="x", media_ids=(theirs.pk,))
        )
    with pytest.raises(ValidationError) as too_many:
        services.job_create(
            user=user, request=JobRequest(spec_key="youtube.thumbnail", prompt="x", media_ids=(1, 2, 3))
        )

    assert (
        "Choose from the images of the workspace you're working in." in not_theirs.value.message_dict["media"]
    )
    assert "Attach at most 2 of your images." in too_many.value.message_dict["media"]
    assert not GenerationJob.objects.exists()


def test_the_create_page_and_quick_create_take_images(auth_client, user, django_capture_on_commit_callbacks):
    mascot = media_upload(owner=user, upload=mascot_upload(), role="mascot", name="Fern")

    page = auth_client.get("/create/").content.decode()
    preview = auth_client.get("/create/quick/victory-thumbnail/preview.png", {"images": mascot.pk})
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(
            "/create/quick/victory-thumbnail/", {"vibe": "hype", "f_headline": "GG", "images": mascot.pk}
        )

    assert "Fern (mascot or character)" in page
    assert green_share(Image.open(io.BytesIO(preview.content))) > 0.02
    assert GenerationJob.objects.get().items[0]["media"][0]["id"] == mascot.pk


def test_the_api_takes_images(api_client, user):
    mascot = media_upload(owner=user, upload=mascot_upload(), role="mascot")
    api_client.force_login(user)

    response = api_client.post(
        "/api/v1/generations/",
        {"platform": "youtube", "asset_type": "thumbnail", "prompt": "win", "media": [mascot.pk]},
        format="json",
    )

    assert response.status_code == 201
    assert GenerationJob.objects.get().items[0]["media"][0]["id"] == mascot.pk


def test_gemini_gets_the_images_as_image_parts_with_their_roles(
    user, settings, django_capture_on_commit_callbacks
):
    PlanGrantFactory(user=user, plan="pro")
    face = media_upload(owner=user, upload=photo_upload(), role="face", name="Me")
    mascot = media_upload(owner=user, upload=mascot_upload(), role="mascot", name="Fern")
    with FakeGemini.running() as fake:
        fake.script(then=fake_gemini.image())
        fake.use_as_image_provider(settings)
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.job_create(
                user=user,
                request=JobRequest(
                    spec_key="youtube.thumbnail",
                    prompt="reaction",
                    text="NO WAY",
                    media_ids=(face.pk, mascot.pk),
                ),
            )

    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    [call] = fake.calls
    sizes = [Image.open(io.BytesIO(data)).size for _mime, data in call.inline_data]
    assert sizes == [(face.width, face.height), (mascot.width, mascot.height)]
    prompt = call.parts[-1]["text"]
    assert "Attached image 1 is the creator's face" in prompt
    assert "Attached image 2 is the creator's mascot" in prompt
    # The model drew them in: the engine does not paste them on top again.
    asset = Asset.objects.get(source_job_id=job.pk)
    assert green_share(Image.open(asset.renditions.order_by("-width").first().file)) < 0.01
