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
from billing.models import PlanGrant
from brandkits.models import BrandKit
from coach import services as coach
from coach.models import CoachMessage
from tests.factories import UserFactory

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
        PlanGrant.objects.create(user=user, plan="pro", starts_at="2026-01-01T00:00Z")
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
        PlanGrant.objects.create(user=user, plan="pro", starts_at="2026-01-01T00:00Z")
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
