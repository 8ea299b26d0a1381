from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from rest_framework.test import APIClient

from generation.models import GenerationJob

pytestmark = pytest.mark.django_db

THUMBNAIL = {"platform": "youtube", "asset_type": "thumbnail", "prompt": '"RANKED GRIND" neon', "seed": 3}


def test_platforms_lists_every_registry_row(api_client):
    response = api_client.get("/api/v1/platforms/")

    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()}
    assert rows["twitch.emote"]["renditions"][0] == {"width": 112, "height": 112, "label": "112"}
    assert rows["youtube.thumbnail"]["aspect_ratio"] == "16:9"
    assert rows["youtube.channel_banner"]["safe_zone"]["width"] == 1546


def test_create_runs_a_job_and_reports_its_assets(
    api_client, user, password, django_capture_on_commit_callbacks
):
    api_client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post("/api/v1/generations/", THUMBNAIL, format="json")

    assert created.status_code == 201
    detail = api_client.get(f"/api/v1/generations/{created.json()['id']}/").json()
    assert detail["status"] == "succeeded"
    assert (detail["stage"], detail["progress"], detail["error"]) == ("done", 100, "")
    asset = detail["assets"][0]
    assert (asset["width"], asset["height"], asset["format"]) in {(1280, 720, "JPEG"), (1280, 720, "PNG")}
    assert asset["bytes"] <= 2 * 1024 * 1024
    assert asset["checks"]
    token = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json"
    ).json()["access"]
    download = APIClient().get(asset["download_url"], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_an_idempotency_key_makes_a_retry_safe(api_client, user):
    api_client.force_login(user)

    first = api_client.post("/api/v1/generations/", THUMBNAIL, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api_client.post("/api/v1/generations/", THUMBNAIL, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert GenerationJob.objects.count() == 1


def test_bad_input_gets_field_errors(api_client, user):
    api_client.force_login(user)

    response = api_client.post(
        "/api/v1/generations/", {"platform": "myspace", "asset_type": "banner", "prompt": "x"}, format="json"
    )

    assert response.status_code == 400
    assert "asset_type" in response.json()["error"]["fields"]


def test_quota_exceeded_says_so_with_an_upgrade_link(api_client, user, django_capture_on_commit_callbacks):
    api_client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            api_client.post("/api/v1/generations/", THUMBNAIL, format="json")

    response = api_client.post("/api/v1/generations/", THUMBNAIL, format="json")

    assert response.status_code == 402
    error = response.json()["error"]
    assert error["code"] == "quota_exceeded"
    assert error["upgrade_url"].endswith("/pricing/")


def test_cancel(api_client, user):
    api_client.force_login(user)
    job_id = api_client.post("/api/v1/generations/", THUMBNAIL, format="json").json()["id"]

    response = api_client.post(f"/api/v1/generations/{job_id}/cancel/")

    assert response.json()["status"] == "canceled"


def test_another_creators_job_and_files_are_404(
    api_client, client, user, other_user, django_capture_on_commit_callbacks
):
    api_client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        job = api_client.post("/api/v1/generations/", THUMBNAIL, format="json").json()
    download_url = api_client.get(f"/api/v1/generations/{job['id']}/").json()["assets"][0]["download_url"]

    api_client.force_login(other_user)

    assert api_client.get(f"/api/v1/generations/{job['id']}/").status_code == 404
    assert api_client.post(f"/api/v1/generations/{job['id']}/cancel/").status_code == 404
    client.force_login(other_user)
    assert client.get(f"/api/v1/generations/{job['id']}/events").status_code == 404
    assert client.get(download_url).status_code == 404
    assert job["id"] not in json.dumps(api_client.get("/api/v1/generations/").json())


@pytest.mark.django_db(transaction=True)
async def test_events_stream_the_stages_until_done(async_client, user, django_capture_on_commit_callbacks):
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

    response = await async_client.get(f"/api/v1/generations/{job.pk}/events")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    body = "".join(
        [chunk.decode() if isinstance(chunk, bytes) else chunk async for chunk in response.streaming_content]
    )
    assert "event: done" in body
    assert '"status": "succeeded"' in body
    # The stream read the database from asgiref's worker thread; close that connection.
    await sync_to_async(connections.close_all)()
