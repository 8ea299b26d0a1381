"""The library on S3, against a local moto server: the production storage settings, files
written by a real job, signed downloads (also behind a CDN domain), zips read from the bucket,
shared images, and the purge emptying the bucket."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import socket
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image
from storages.backends.s3 import S3Storage

from billing.models import PlanGrant
from generation import services as generation
from generation.models import GenerationJob
from generation.services import JobRequest
from library import services as library
from library import thumbnails, zips
from library.models import Asset, Rendition
from tests.images import served

pytestmark = pytest.mark.django_db

EMOTE = JobRequest(spec_key="twitch.emote", prompt="purple cat", text="GG")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
CDN = "cdn.aurastream.example"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def production_storages(environment: dict[str, str]) -> dict[str, Any]:
    """STORAGES exactly as aurastream/settings/files.py builds them from ``environment``."""
    path = Path(django_settings.BASE_DIR) / "aurastream" / "settings" / "files.py"
    # A fresh copy of the module, inside the settings package so it finds `environment`.
    spec = importlib.util.spec_from_file_location("aurastream.settings.files_probe", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, environment):  # restored afterwards, .env reads included
        spec.loader.exec_module(module)
    return module.STORAGES


@dataclass
class Bucket:
    client: Any
    name: str
    endpoint: str

    def keys(self) -> set[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listing.get("Contents", [])}

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def use_bucket(settings, monkeypatch, s3_endpoint: str, **extra: str) -> Bucket:
    """A fresh bucket, and the app's default storage switched to it through the production
    settings block (as STORAGE_BACKEND=s3 and the AWS_* variables would)."""
    name = f"aurastream-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **_boto_keys())
    client.create_bucket(Bucket=name)
    for variable, value in CREDENTIALS.items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = production_storages(
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": name,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_ADDRESSING_STYLE": "path",
            **extra,
        }
    )
    return Bucket(client, name, s3_endpoint)


def _boto_keys() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def bucket(settings, monkeypatch, s3_endpoint) -> Bucket:
    return use_bucket(settings, monkeypatch, s3_endpoint)


@pytest.fixture
def cdn_bucket(settings, monkeypatch, s3_endpoint) -> Bucket:
    return use_bucket(settings, monkeypatch, s3_endpoint, AWS_S3_CUSTOM_DOMAIN=CDN)


def run(user, capture, request: JobRequest = EMOTE) -> Asset:
    PlanGrant.objects.get_or_create(user=user, plan="studio", defaults={"starts_at": timezone.now()})
    with capture(execute=True):
        job, _ = generation.job_create(user=user, request=request)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED, job.error
    return Asset.objects.filter(source_job_id=job.pk).order_by("source_item").first()


def fetch(url: str) -> tuple[bytes, Message]:
    """GET a URL directly (no proxies), as the browser does after the redirect; the headers
    are looked up without regard to case."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.read(), response.headers


def test_the_settings_block_selects_a_private_s3_storage(bucket):
    storage = django_settings.STORAGES["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == bucket.name
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert isinstance(zips.rendition_storage(), S3Storage)


def test_a_jobs_renditions_are_written_to_the_bucket(bucket, user, django_capture_on_commit_callbacks):
    asset = run(user, django_capture_on_commit_callbacks)

    prefix = f"assets/{user.pk}/{asset.pk}/"
    assert bucket.keys() == {f"{prefix}112.png", f"{prefix}56.png", f"{prefix}28.png"}
    rendition = asset.renditions.get(label="112")
    assert rendition.file.name == f"{prefix}112.png"
    assert len(bucket.read(rendition.file.name)) == rendition.bytes


def test_a_download_is_a_short_lived_signed_link_to_the_exact_bytes(
    cdn_bucket, auth_client, user, django_capture_on_commit_callbacks
):
    asset = run(user, django_capture_on_commit_callbacks)
    rendition = asset.renditions.get(label="56")
    # Why the view signs by itself: on a custom (CDN) domain django-storages hands out plain,
    # unsigned links.
    assert "Signature" not in default_storage.url(rendition.file.name)
    assert urlsplit(default_storage.url(rendition.file.name)).netloc == CDN

    response = auth_client.get(reverse("library:rendition_download", args=[asset.pk, "56"]))

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    url = urlsplit(response["Location"])
    # Signed against the bucket's own endpoint, not the CDN, and expiring.
    assert f"{url.scheme}://{url.netloc}" == cdn_bucket.endpoint
    query = parse_qs(url.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Signature"][0]
    assert query["X-Amz-Expires"] == [
        str(django_settings.STORAGES["default"]["OPTIONS"]["querystring_expire"])
    ]
    body, headers = fetch(response["Location"])
    assert body == cdn_bucket.read(rendition.file.name)
    assert headers["Content-Disposition"] == 'attachment; filename="twitch-emote-gg-56x56.png"'
    assert headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"].startswith("private")

    inline = auth_client.get(reverse("library:rendition_download", args=[asset.pk, "56"]) + "?inline=1")
    assert fetch(inline["Location"])[1]["Content-Disposition"].startswith("inline;")


def test_zips_and_shared_images_stream_from_the_bucket(
    bucket, auth_client, client, user, django_capture_on_commit_callbacks
):
    asset = run(user, django_capture_on_commit_callbacks)

    response = auth_client.get(reverse("library:asset_zip", args=[asset.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    for rendition in asset.renditions.all():
        name = f"twitch-emote-gg-{rendition.width}x{rendition.height}.png"
        assert archive.read(name) == bucket.read(rendition.file.name)

    library.asset_share(asset=asset)
    shared = client.get(reverse("library:shared_file", args=[asset.share_token, "112"]))
    assert shared.status_code == 200  # streamed by the app: the public link never expires
    assert b"".join(shared.streaming_content) == bucket.read(asset.renditions.get(label="112").file.name)
    assert shared["Content-Disposition"] == 'inline; filename="twitch-emote-gg-112x112.png"'


def test_the_purge_removes_the_files_from_the_bucket(bucket, user, django_capture_on_commit_callbacks):
    kept = run(user, django_capture_on_commit_callbacks)
    purged = run(user, django_capture_on_commit_callbacks, JobRequest(spec_key="twitch.emote", prompt="lul"))
    library.assets_delete(user=user, asset_ids=[purged.pk])

    later = timezone.now() + dt.timedelta(seconds=django_settings.LIBRARY_UNDO_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert library.assets_purge(now=later) == 1

    assert not Rendition.objects.filter(asset_id=purged.pk).exists()
    assert bucket.keys() == {r.file.name for r in kept.renditions.all()}


def test_thumbnails_are_kept_in_the_bucket_and_leave_with_their_asset(
    bucket, auth_client, user, django_capture_on_commit_callbacks
):
    asset = run(user, django_capture_on_commit_callbacks)
    url = thumbnails.thumbnail_urls(asset.pk, "112")[0]
    key = f"assets/{user.pk}/{asset.pk}/thumbnails/112-v{thumbnails.VERSION}.webp"

    first = auth_client.get(url)
    data = served(first)

    assert first.status_code == 200  # sent by the app: a signed link would change every time
    assert first["Content-Type"] == "image/webp"
    assert first["Cache-Control"] == "private, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(data)).size == (112, 112)
    assert bucket.read(key) == data
    assert served(auth_client.get(url)) == data  # read back, not made again
    assert {name for name in bucket.keys() if "/thumbnails/" in name} == {key}  # noqa: SIM118  (a Bucket, not a dict)

    library.assets_delete(user=user, asset_ids=[asset.pk])
    later = timezone.now() + dt.timedelta(seconds=django_settings.LIBRARY_UNDO_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert library.assets_purge(now=later) == 1

    assert bucket.keys() == set()
