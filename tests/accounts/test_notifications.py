"""The creator's live event socket: only theirs, only from our own pages."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections

from accounts import services
from aurastream.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1")


@pytest.fixture(autouse=True)
async def _close_socket_thread_connections():
    """Session lookups run in asgiref's worker thread; close its connection after each test."""
    yield
    await sync_to_async(connections.close_all)()


async def session_cookie(client, user) -> tuple[bytes, bytes]:
    await sync_to_async(client.force_login)(user)
    return (
        b"cookie",
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode(),
    )


async def test_a_signed_in_creator_receives_their_own_events(client, user, other_user):
    cookie = await session_cookie(client, user)
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[ORIGIN, cookie, (b"host", b"127.0.0.1")]
    )
    connected, _ = await socket.connect()
    assert connected

    await sync_to_async(services.user_notify)(user_id=other_user.pk, kind="info", message="not yours")
    await sync_to_async(services.user_notify)(
        user_id=user.pk, kind="success", message="Your emote pack is ready"
    )

    assert await socket.receive_json_from(timeout=2) == {
        "kind": "success",
        "message": "Your emote pack is ready",
    }
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


async def test_anonymous_sockets_are_closed():
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[ORIGIN, (b"host", b"127.0.0.1")]
    )

    connected, code = await socket.connect()

    assert not connected
    assert code == 4401


async def test_sockets_from_another_site_are_refused(client, user):
    cookie = await session_cookie(client, user)
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"https://evil.example"), cookie]
    )

    connected, _ = await socket.connect()

    assert not connected
