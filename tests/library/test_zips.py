"""Upload-ready zips: per asset, per pack, of a selection, streamed with bounded memory."""

from __future__ import annotations

import gc
import io
import re
import tempfile
import tracemalloc
import uuid
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from billing.models import PlanGrant
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from library import zips
from library.models import Asset, Rendition, rendition_path
from workspaces.models import fill_workspaces

pytestmark = pytest.mark.django_db

EMOTE_PACK = JobRequest(
    spec_key="twitch.emote", prompt="purple cat", pack="emote_pack", pack_items=["GG", "HYPE", "LUL"]
)
BADGE_SET = JobRequest(
    spec_key="twitch.sub_badge", prompt="crystal shield", pack="badge_set", pack_items=["1", "3", "6"]
)
SIZE = re.compile(r"-(\d+)x(\d+)\.png$")


def run(user, request: JobRequest, capture) -> GenerationJob:
    """A finished job (on a paid plan, so a test can run more than the Free plan's three)."""
    PlanGrant.objects.get_or_create(user=user, plan="studio", defaults={"starts_at": timezone.now()})
    with capture(execute=True):
        job, _ = generation.job_create(user=user, request=request)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    return job


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.streaming, "zips are streamed, never built as one response body"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return archive


def assert_sizes_match_names(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        match = SIZE.search(info.filename)
        assert match, info.filename
        with Image.open(archive.open(info)) as image:
            assert image.format == "PNG"
            assert image.size == (int(match[1]), int(match[2])), info.filename


def test_an_emote_pack_zip_holds_every_emote_in_every_twitch_size(
    auth_client, user, django_capture_on_commit_callbacks
):
    job = run(user, EMOTE_PACK, django_capture_on_commit_callbacks)

    response = auth_client.get(reverse("library:pack_zip", args=[job.pk]))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="twitch-emote-pack.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    archive = unzip(response)
    assert sorted(archive.namelist()) == sorted(
        f"twitch-emote-{name}-{size}x{size}.png" for name in ("gg", "hype", "lul") for size in (112, 56, 28)
    )
    assert_sizes_match_names(archive)
    gg_112 = Rendition.objects.get(asset__source_job_id=job.pk, asset__recipe__text="GG", label="112")
    with gg_112.file.open("rb") as stored:
        assert archive.read("twitch-emote-gg-112x112.png") == stored.read()


def test_a_badge_set_zip_names_each_tier(auth_client, user, django_capture_on_commit_callbacks):
    job = run(user, BADGE_SET, django_capture_on_commit_callbacks)

    archive = unzip(auth_client.get(reverse("library:pack_zip", args=[job.pk])))

    assert sorted(archive.namelist()) == sorted(
        f"twitch-sub-badge-tier-{tier}-{size}x{size}.png" for tier in (1, 3, 6) for size in (72, 36, 18)
    )
    assert_sizes_match_names(archive)


def test_an_asset_zip_holds_its_renditions(auth_client, user, django_capture_on_commit_callbacks):
    job = run(user, EMOTE_PACK, django_capture_on_commit_callbacks)
    hype = Asset.objects.get(source_job_id=job.pk, recipe__text="HYPE")

    response = auth_client.get(reverse("library:asset_zip", args=[hype.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="twitch-emote-hype.zip"'
    archive = unzip(response)
    assert archive.namelist() == [f"twitch-emote-hype-{size}x{size}.png" for size in (112, 56, 28)]
    assert_sizes_match_names(archive)


def test_a_pack_zip_leaves_out_deleted_assets_and_answers_only_its_creator(
    auth_client, user, other_user, django_capture_on_commit_callbacks
):
    from library import services as library

    job = run(user, EMOTE_PACK, django_capture_on_commit_callbacks)
    library.assets_delete(
        user=user, asset_ids=[Asset.objects.get(source_job_id=job.pk, recipe__text="LUL").pk]
    )

    archive = unzip(auth_client.get(reverse("library:pack_zip", args=[job.pk])))
    assert {name.rsplit("-", 1)[0] for name in archive.namelist()} == {"twitch-emote-gg", "twitch-emote-hype"}

    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.get(reverse("library:pack_zip", args=[job.pk])).status_code == 404
    assert auth_client.get(reverse("library:pack_zip", args=[uuid.uuid4()])).status_code == 404


def test_a_bulk_zip_leaves_out_other_creators_assets_and_names_files_uniquely(
    auth_client, user, other_user, django_capture_on_commit_callbacks
):
    """Decision: ids the creator cannot see are left out silently (as in bulk move and tag);
    a selection with none of theirs is a 404."""
    mine = run(user, EMOTE_PACK, django_capture_on_commit_callbacks)
    again = run(
        user, JobRequest(spec_key="twitch.emote", prompt="gg", text="GG"), django_capture_on_commit_callbacks
    )
    theirs = run(other_user, EMOTE_PACK, django_capture_on_commit_callbacks)
    my_ids = [str(a.pk) for a in Asset.objects.filter(source_job_id__in=[mine.pk, again.pk])]
    their_ids = [str(a.pk) for a in Asset.objects.filter(source_job_id=theirs.pk)]

    response = auth_client.post(reverse("library:bulk_zip"), {"assets": [*my_ids, their_ids[0]]})

    assert response["Content-Disposition"] == 'attachment; filename="aurastream-assets.zip"'
    archive = unzip(response)
    names = archive.namelist()
    assert len(names) == len(set(names)) == 4 * 3
    # Two emotes that both say GG: the second one's files get a -2.
    assert {"twitch-emote-gg-112x112.png", "twitch-emote-gg-2-112x112.png"} <= set(names)
    assert_sizes_match_names(archive)

    assert auth_client.post(reverse("library:bulk_zip"), {"assets": their_ids}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Pick at least one asset to download."),
        ({"assets": ["not-an-id"]}, "“not-an-id” is not an asset id."),
        ({"assets": [str(uuid.uuid4()) for _ in range(zips.MAX_ZIP_ASSETS + 1)]}, "at most 500 assets"),
    ],
)
def test_a_bad_bulk_selection_is_a_clear_400(auth_client, data, message):
    response = auth_client.post(reverse("library:bulk_zip"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_a_bulk_zip_takes_json_and_says_what_is_wrong_in_json(
    auth_client, user, django_capture_on_commit_callbacks
):
    job = run(user, EMOTE_PACK, django_capture_on_commit_callbacks)
    ids = [str(a.pk) for a in Asset.objects.filter(source_job_id=job.pk)]
    url = reverse("library:bulk_zip")

    archive = unzip(auth_client.post(url, {"assets": ids}, content_type="application/json"))
    assert len(archive.namelist()) == 9

    for body in ('{"assets": "x"}', "[1, 2", '{"assets": [7]}'):
        response = auth_client.post(url, body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "invalid"


def test_a_session_bulk_zip_needs_the_csrf_token(user, django_capture_on_commit_callbacks):
    job = run(user, EMOTE_PACK, django_capture_on_commit_callbacks)
    ids = [str(a.pk) for a in Asset.objects.filter(source_job_id=job.pk)]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = reverse("library:bulk_zip")

    assert browser.post(url, {"assets": ids}).status_code == 403

    token = "a" * 32  # what a page with a form would have set as the CSRF cookie
    browser.cookies["csrftoken"] = token
    assert unzip(browser.post(url, {"assets": ids, "csrfmiddlewaretoken": token})).namelist()


def test_a_bulk_zip_needs_a_signed_in_creator(client):
    response = client.post(reverse("library:bulk_zip"), {"assets": [str(uuid.uuid4())]})

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- Streaming with bounded memory ---------------------------------------------------------


def copy_asset(source: Asset, count: int) -> list[str]:
    """``count`` copies of one rendered asset, files included, without rendering again."""
    storage = zips.rendition_storage()
    originals = [(r, r.file.read()) for r in source.renditions.all()]
    assets: list[Asset] = []
    renditions: list[Rendition] = []
    for number in range(count):
        asset = Asset(
            id=uuid.uuid4(),
            owner_id=source.owner_id,
            title=f"{source.title} {number}",
            spec_key=source.spec_key,
            platform=source.platform,
            asset_type=source.asset_type,
            width=source.width,
            height=source.height,
            format=source.format,
            bytes=source.bytes,
            recipe={**source.recipe, "text": f"copy {number}"},
            prompt=source.prompt,
        )
        assets.append(asset)
        for rendition, data in originals:
            name = storage.save(
                rendition_path(source.owner_id, asset.pk, f"{rendition.label}.{rendition.extension}"),
                ContentFile(data),
            )
            renditions.append(
                Rendition(
                    asset=asset,
                    label=rendition.label,
                    width=rendition.width,
                    height=rendition.height,
                    format=rendition.format,
                    bytes=rendition.bytes,
                    file=name,
                )
            )
    fill_workspaces(assets)
    Asset.objects.bulk_create(assets)
    Rendition.objects.bulk_create(renditions)
    return [str(asset.pk) for asset in assets]


def stream_bulk_zip(client: Client, ids: list[str]) -> tuple[int, int]:
    """Peak traced memory of the whole request while the zip is read chunk by chunk (and
    spooled to disk, not memory), and the zip's size. The zip is checked afterwards."""
    gc.collect()
    tracemalloc.start()
    try:
        response = client.post(reverse("library:bulk_zip"), {"assets": ids})
        size = 0
        with tempfile.TemporaryFile() as spool:
            for chunk in response.streaming_content:
                assert len(chunk) <= 2 * zips.CHUNK_BYTES
                size += len(chunk)
                spool.write(chunk)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            spool.seek(0)
            with zipfile.ZipFile(spool) as archive:
                assert len(archive.namelist()) == 3 * len(ids)
                assert archive.testzip() is None
    finally:
        tracemalloc.stop()
    return peak, size


def test_a_bulk_zip_streams_with_memory_that_does_not_grow_with_the_selection(
    auth_client, user, django_capture_on_commit_callbacks
):
    # TikTok LIVE emotes (three files of about 26 KB each): a selection whose files clearly
    # outweigh what the request itself needs.
    job = run(
        user,
        JobRequest(spec_key="tiktok.live_emote", prompt="purple cat", text="GG"),
        django_capture_on_commit_callbacks,
    )
    ids = copy_asset(Asset.objects.get(source_job_id=job.pk), 200)

    stream_bulk_zip(auth_client, ids[:1])  # first-use costs (imports, caches) out of the way
    peak_20, size_20 = stream_bulk_zip(auth_client, ids[:20])
    peak_200, size_200 = stream_bulk_zip(auth_client, ids)

    figures = f"20 assets: {size_20:,} B zip, peak {peak_20:,} B; 200: {size_200:,} B, peak {peak_200:,} B"
    assert size_200 > 9 * size_20, figures
    # Ten times the files, yet the peak grows only by what the zip's central directory must
    # remember about each file (name, CRC, offset: about a kilobyte), never by the files.
    assert peak_200 - peak_20 < 540 * 2_000, figures
    assert peak_200 < size_200 / 4, figures
