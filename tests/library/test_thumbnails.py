"""Grid thumbnails: small WebP files of an asset's picture, made once and kept in storage,
served to the owner with a URL browsers keep for a year, and gone with the asset."""

from __future__ import annotations

import datetime as dt
import io
import socket

import pytest
from botocore.config import Config
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from library import services, thumbnails
from library.models import Asset
from tests.factories import UserFactory, artwork_asset
from tests.images import media_files, served

pytestmark = pytest.mark.django_db

IMMUTABLE = "private, max-age=31536000, immutable"


def tile_url(page: str, asset: Asset) -> str:
    """The tile image's URL for ``asset`` in a rendered page."""
    marker = f"/library/assets/{asset.pk}/files/"
    start = page.index(marker)
    return page[start : page.index('"', start)]


def test_the_grid_shows_a_small_thumbnail_of_a_youtube_thumbnail(auth_client, user):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")

    page = auth_client.get("/library/").content.decode()
    url = tile_url(page, asset)
    response = auth_client.get(url)

    assert url == f"/library/assets/{asset.pk}/files/1280x720/thumbnail-v{thumbnails.VERSION}.webp"
    assert 'width="480" height="270"' in page
    assert "?inline=1" not in page  # no tile loads the full file
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == IMMUTABLE
    assert response["X-Content-Type-Options"] == "nosniff"
    data = served(response)
    assert len(data) <= 50_000
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("WEBP", (480, 270))


def test_an_overlay_keeps_its_see_through_middle_under_50_kb(auth_client, user):
    asset = artwork_asset(user, (1920, 1080), spec_key="stream.overlay", transparent=True)

    response = auth_client.get(thumbnails.thumbnail_urls(asset.pk, "1920x1080")[0])

    assert response.status_code == 200
    data = served(response)
    assert len(data) <= 50_000
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    assert image.size == (480, 270)
    assert image.getpixel((240, 135))[3] == 0  # the hole the stream shows through
    assert image.getpixel((5, 5))[3] == 255


def test_made_once_and_kept_in_storage_beside_the_files(auth_client, user):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")
    url = thumbnails.thumbnail_urls(asset.pk, "1280x720")[0]
    kept = f"assets/{user.pk}/{asset.pk}/thumbnails/1280x720-v{thumbnails.VERSION}.webp"

    response = auth_client.get(url)
    with CaptureQueriesContext(connection) as queries:  # after the request's transaction
        first_bytes = served(response)  # made while it is sent, then kept
    assert len(queries) == 0
    assert default_storage.exists(kept)
    # Served from storage from now on: what is kept is what is sent.
    with default_storage.open(kept, "rb") as handle:
        handle_bytes = handle.read()
    default_storage.delete(kept)
    default_storage.save(kept, ContentFile(handle_bytes[:-1] + b"\x00"))
    second = auth_client.get(url)

    assert first_bytes == handle_bytes
    assert served(second) == handle_bytes[:-1] + b"\x00"


def test_another_creators_deleted_or_unknown_thumbnail_is_a_404(client, auth_client, user):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")
    url, still_url = thumbnails.thumbnail_urls(asset.pk, "1280x720")

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(still_url).status_code == 404

    assert auth_client.get(url.replace(f"-v{thumbnails.VERSION}.", "-v999.")).status_code == 404
    assert auth_client.get(url.replace("1280x720", "640x360")).status_code == 404
    services.assets_delete(user=user, asset_ids=[asset.pk])
    assert auth_client.get(url).status_code == 404
    assert not any(name.startswith(f"assets/{user.pk}/{asset.pk}/thumbnails/") for name in media_files())


def test_signed_out_visitors_are_sent_to_sign_in(client, user):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")

    response = client.get(thumbnails.thumbnail_urls(asset.pk, "1280x720")[0])

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_deleting_an_asset_deletes_its_thumbnails(auth_client, user, django_capture_on_commit_callbacks):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")
    kept = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail", seed=1)
    for each in (asset, kept):
        url, still_url = thumbnails.thumbnail_urls(each.pk, "1280x720")
        for response in (auth_client.get(url), auth_client.get(still_url)):
            assert response.status_code == 200
            served(response)  # made while it is sent
    folder = f"assets/{user.pk}/{asset.pk}/thumbnails/"
    assert len([name for name in media_files() if name.startswith(folder)]) == 2

    services.assets_delete(user=user, asset_ids=[asset.pk])
    later = timezone.now() + dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assets_purge(now=later) == 1

    files = media_files()
    assert not [name for name in files if name.startswith(f"assets/{user.pk}/{asset.pk}/")]
    assert len([name for name in files if name.startswith(f"assets/{user.pk}/{kept.pk}/thumbnails/")]) == 2


def test_the_dashboard_and_a_versions_list_show_thumbnails_too(auth_client, user):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")

    dashboard = auth_client.get("/dashboard/").content.decode()

    assert tile_url(dashboard, asset).endswith("/thumbnail-v1.webp")
    assert f"/library/assets/{asset.pk}/files/1280x720/?inline=1" not in dashboard


def test_a_refine_makes_a_new_version_with_its_own_thumbnail_url(
    pro, client, django_capture_on_commit_callbacks
):
    from generation import services as generation
    from generation.services import JobRequest

    client.force_login(pro)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = generation.job_create(
            user=pro,
            request=JobRequest(spec_key="youtube.thumbnail", prompt="victory night", text="GG EZ", seed=3),
        )
    original = Asset.objects.get(source_job_id=job.pk)
    before = client.get(tile_url(client.get("/library/").content.decode(), original))
    with django_capture_on_commit_callbacks(execute=True):
        refine, _ = generation.asset_refine(user=pro, asset=original, instruction="brighter")
    refined = Asset.objects.get(source_job_id=refine.pk)

    grid = client.get("/library/").content.decode()
    after = client.get(tile_url(grid, refined))

    assert f"/library/assets/{original.pk}/files/" not in grid  # the grid shows the current version
    assert before.status_code == after.status_code == 200
    after_bytes = served(after)
    assert served(before) != after_bytes
    assert len(after_bytes) <= 50_000
    versions = client.get(f"/library/assets/{refined.pk}/").content.decode()
    for version in (original, refined):
        assert f"/library/assets/{version.pk}/files/1280x720/thumbnail-v1.webp" in versions


def test_a_file_gone_from_storage_is_a_404(auth_client, user):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")
    default_storage.delete(asset.renditions.get().file.name)

    assert auth_client.get(thumbnails.thumbnail_urls(asset.pk, "1280x720")[0]).status_code == 404


def test_storage_that_does_not_answer_is_a_503_and_keeps_nothing(auth_client, user, settings):
    asset = artwork_asset(user, (1280, 720), spec_key="youtube.thumbnail")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "aurastream",
                "endpoint_url": dead,
                "access_key": "testing",
                "secret_key": "testing",
                "client_config": Config(retries={"max_attempts": 1}, connect_timeout=1),
            },
        },
    }

    auth_client.raise_request_exception = False  # answered as a browser would see it
    response = auth_client.get(thumbnails.thumbnail_urls(asset.pk, "1280x720")[0])

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "file storage isn" in response.content.decode()
