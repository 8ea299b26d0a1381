"""Pages and API answers travel gzipped to clients that accept it, and plain to those that don't;
streams, downloads, zips and images are never compressed again."""

from __future__ import annotations

import gzip
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from aurastream.compression import compressible
from library import thumbnails
from tests.factories import AssetFactory, make_assets
from tests.images import served

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_the_library_page_is_gzipped_when_asked_and_plain_when_not(auth_client, user):
    make_assets(user, 48)

    compressed = auth_client.get("/library/", headers=GZIP)
    plain = auth_client.get("/library/")

    assert compressed.status_code == plain.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content).decode()
    assert 'id="library-grid"' in html
    assert len(compressed.content) * 4 < len(html)  # what a creator's browser downloads
    assert not plain.has_header("Content-Encoding")
    assert 'id="library-grid"' in plain.content.decode()


def test_an_api_list_is_gzipped_when_asked_and_plain_when_not(api_client, user):
    make_assets(user, 20)
    api_client.force_login(user)

    compressed = api_client.get("/api/v1/assets/", headers=GZIP)
    plain = api_client.get("/api/v1/assets/")

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Content-Type"] == "application/json"
    assert json.loads(gzip.decompress(compressed.content))["count"] == 20
    assert not plain.has_header("Content-Encoding")
    assert plain.json()["count"] == 20


def test_files_zips_and_thumbnails_are_sent_as_they_are(auth_client, user):
    asset = AssetFactory(owner=user)

    download = auth_client.get(f"/library/assets/{asset.pk}/files/112/", headers=GZIP)
    archive = auth_client.get(f"/library/assets/{asset.pk}/zip/", headers=GZIP)
    thumbnail = auth_client.get(thumbnails.thumbnail_urls(asset.pk, "112")[0], headers=GZIP)

    for response in (download, archive, thumbnail):
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert served(thumbnail).startswith(b"RIFF")


@pytest.mark.django_db(transaction=True)
async def test_server_sent_events_are_never_compressed(
    async_client, user, django_capture_on_commit_callbacks
):
    from generation import services
    from generation.services import JobRequest

    def make_job():
        with django_capture_on_commit_callbacks(execute=True):
            job, _ = services.job_create(
                user=user, request=JobRequest(spec_key="twitch.emote", prompt='"GG"')
            )
        return job

    job = await sync_to_async(make_job)()
    await sync_to_async(async_client.force_login)(user)

    response = await async_client.get(f"/api/v1/generations/{job.pk}/events", headers=GZIP)

    assert response["Content-Type"] == "text/event-stream"
    assert not response.has_header("Content-Encoding")
    body = "".join(
        [chunk.decode() if isinstance(chunk, bytes) else chunk async for chunk in response.streaming_content]
    )
    assert "event: done" in body
    await sync_to_async(connections.close_all)()


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=utf-8", True),
        ("application/json", True),
        ("application/problem+json", True),
        ("application/vnd.oai.openapi+json", True),
        ("text/event-stream", False),
        ("image/png", False),
        ("image/webp", False),
        ("application/zip", False),
        ("video/webm", False),
        ("", False),
    ],
)
def test_only_text_the_app_renders_is_compressible(content_type, expected):
    assert compressible(content_type) is expected
