"""Input no one should send is answered with a clear 4xx and changes nothing: NUL characters and
unpaired surrogates in text, JSON nested absurdly deep, frames that are not JSON."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import AsyncClient
from rest_framework.test import APIClient

from aurastream.api.tokens import BoundRefreshToken
from aurastream.asgi import application
from brandkits.models import BrandKit
from coach import services as coach
from coach.models import CoachMessage
from tests.factories import PlanGrantFactory, UserFactory

BAD_TEXT = {"NUL": "neon\x00cats", "lone surrogate": "neon \ud83d cats"}


def as_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=True)  # \u0000 and \ud83d travel escaped, as clients send them


@pytest.mark.django_db
@pytest.mark.parametrize("kind", BAD_TEXT)
def test_bad_text_in_a_brand_kit_is_a_400_and_nothing_is_stored(kind):
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    bad = BAD_TEXT[kind]

    for body in (
        {"name": "Kit", "keywords": [bad]},
        {"name": "Kit", "socials": {"twitch": bad}},
        {"name": bad},
    ):
        response = client.post("/api/v1/brand-kits/", as_json(body), content_type="application/json")
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "parse_error"
        assert "may not contain" in error["message"]
    assert not BrandKit.objects.exists()


@pytest.mark.django_db
def test_json_nested_fifty_thousand_deep_is_a_400_on_any_endpoint():
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    body = "[" * 50_000 + "]" * 50_000
    for url in ("/api/v1/brand-kits/", "/api/v1/generations/", "/api/v1/coach/sessions/"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        assert "nested" in response.json()["error"]["message"]
    modest = {"a": [[[[{"b": "c"}]]]]}
    response = client.post("/api/v1/brand-kits/", as_json(modest), content_type="application/json")
    assert response.status_code == 400  # refused by the serializer, for its own reasons
    assert response.json()["error"]["code"] != "parse_error"


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("kind", BAD_TEXT)
async def test_bad_text_in_a_coach_message_is_refused_over_the_api(kind):
    def setup():
        user = UserFactory()
        PlanGrantFactory(user=user, plan="pro", starts_at="2026-01-01T00:00Z")
        return coach.session_create(user=user), str(BoundRefreshToken.for_user(user).access_token)

    session, token = await sync_to_async(setup)()
    response = await AsyncClient().post(
        f"/api/v1/coach/sessions/{session.pk}/messages/",
        as_json({"text": BAD_TEXT[kind]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "plain text" in json.loads(response.content)["error"]["message"]
    assert not await sync_to_async(CoachMessage.objects.exists)()
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_coach_socket_answers_bad_frames_with_an_error_and_stays_open(client):
    def setup():
        user = UserFactory()
        PlanGrantFactory(user=user, plan="pro", starts_at="2026-01-01T00:00Z")
        client.force_login(user)
        return coach.session_create(user=user)

    session = await sync_to_async(setup)()
    cookie = (
        b"cookie",
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode(),
    )
    socket = WebsocketCommunicator(
        application,
        f"/ws/coach/{session.pk}/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), cookie],
    )
    connected, _ = await socket.connect()
    assert connected
    await socket.receive_json_from()  # the session snapshot

    for frame in ("hello", "[" * 50_000, as_json({"type": "message", "text": "neon\x00cats"})):
        await socket.send_to(text_data=frame)
        event = await socket.receive_json_from()
        assert event["type"] == "error", event
        assert event["message"]
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from())["type"] == "error"
    assert not await sync_to_async(CoachMessage.objects.exists)()
    await socket.disconnect()
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db
def test_a_starter_kit_on_a_platform_without_one_is_a_400_naming_the_ones_that_have_it(client):
    from generation.models import GenerationJob

    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    body = {"platform": "stream", "asset_type": "overlay", "prompt": "x", "pack": "starter_kit"}
    response = api.post("/api/v1/generations/", body, format="json")
    assert response.status_code == 400, response.content
    message = json.dumps(response.json())
    assert "Stream scenes has no starter kit" in message
    assert "Twitch" in message

    client.force_login(user)
    page = client.post(
        "/create/", {"spec_key": "stream.overlay", "prompt": "x", "pack": "starter_kit", "variants": 1}
    )
    assert page.status_code in (200, 400)
    assert "has no starter kit" in page.content.decode()
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db
def test_removing_the_background_of_a_logo_without_a_flat_one_explains_and_changes_nothing(client):
    import io

    import numpy as np
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from brandkits import services as kits
    from brandkits.models import BrandLogo

    user = UserFactory()
    kit = kits.brand_kit_create(owner=user, name="Kit")
    noise = np.random.default_rng(7).integers(0, 255, (120, 160, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    logo = kits.brand_logo_upload(
        kit=kit,
        role="primary",
        upload=SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png"),
    )
    before = logo.trimmed.read()
    client.force_login(user)

    response = client.post(f"/brand/{kit.pk}/logos/primary/remove-background/")

    assert response.status_code == 400
    assert "does not sit on one flat background colour" in response.content.decode()
    assert BrandLogo.objects.get(kit=kit, role="primary").trimmed.read() == before


@pytest.mark.django_db
def test_an_idempotency_key_is_bound_to_its_request_and_never_cut():
    from generation.models import GenerationJob

    user = UserFactory()
    api = APIClient()
    # A real token: it makes the creator the acting user, as row-level security needs.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {BoundRefreshToken.for_user(user).access_token}")
    body = {"platform": "twitch", "asset_type": "emote", "prompt": "a cat", "text": "GG"}

    first = api.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = api.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    other = api.post(
        "/api/v1/generations/", {**body, "prompt": "a dog"}, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "different request" in error["message"]
    assert GenerationJob.objects.count() == 1

    # Two long keys that share their first 100 characters are two keys.
    long_a, long_b = "k" * 150 + "a", "k" * 150 + "b"
    a = api.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY=long_a)
    b = api.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY=long_b)
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]
    too_long = api.post("/api/v1/generations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert too_long.status_code == 400
    assert "at most 255" in json.dumps(too_long.json())
    assert GenerationJob.objects.count() == 3


@pytest.mark.django_db
def test_names_are_saved_without_text_direction_controls(client):
    from brandkits import services as kits

    user = UserFactory()
    kit = kits.brand_kit_create(owner=user, name="Night\u202eOwl gnp.exe", channel_name="Nova\u2066X\u2069")
    kit.refresh_from_db()
    assert kit.name == "NightOwl gnp.exe"
    assert kit.channel_name == "NovaX"

    client.force_login(user)
    client.post("/profile/", {"display_name": "Evil\u202eemaN", "timezone": "UTC"})
    user.refresh_from_db()
    assert user.display_name == "EvilemaN"


@pytest.mark.django_db
def test_a_refused_creator_image_is_explained_as_an_image_not_a_logo():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from brandkits.services import media_upload

    user = UserFactory()
    svg = SimpleUploadedFile(
        "face.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/svg+xml"
    )
    with pytest.raises(ValidationError) as refused:
        media_upload(owner=user, upload=svg, name="Face", role="face")
    message = " ".join(refused.value.messages)
    assert "SVG images are not accepted" in message
    assert "logo" not in message
