"""The creator's live event socket: only theirs, only from our own pages."""

from __future__ import annotations

import asyncio

import channels.consumer
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections

from accounts import services
from aurastream.asgi import application
from aurastream.sockets import close_database_connections

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1")


@pytest.fixture(autouse=True)
async def _close_socket_thread_connections():
    """Session lookups run on the sockets' database threads; close their connections after
    each test (and the test's own, in asgiref's thread)."""
    yield
    await sync_to_async(connections.close_all)()
    await sync_to_async(close_database_connections)()


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
    assert await socket.receive_json_from(timeout=5) == {"kind": "ready"}  # events flow from here

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


async def test_events_reach_the_tab_without_waiting_for_the_database_thread(client, user, monkeypatch):
    """channels would close old database connections before every event, on daphne's one
    thread-sensitive thread (shared by every socket of the process); the sockets skip it, so a
    busy thread there (5 s here) delays no event."""

    async def queued_behind_a_burst() -> None:
        await asyncio.sleep(5)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", queued_behind_a_burst)
    cookie = await session_cookie(client, user)
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[ORIGIN, cookie, (b"host", b"127.0.0.1")]
    )
    connected, _ = await socket.connect(timeout=2)
    assert connected
    assert await socket.receive_json_from(timeout=2) == {"kind": "ready"}

    await sync_to_async(services.user_notify)(user_id=user.pk, kind="success", message="Ready")

    assert await socket.receive_json_from(timeout=2) == {"kind": "success", "message": "Ready"}
    await socket.disconnect()


async def test_anonymous_sockets_are_closed_as_not_authenticated(client, user):
    signed_out = await session_cookie(client, user)
    await sync_to_async(client.logout)()  # the cookie's session no longer exists
    codes = []
    for headers in ([ORIGIN, (b"host", b"127.0.0.1")], [ORIGIN, (b"host", b"127.0.0.1"), signed_out]):
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
        connected, _ = await socket.connect()
        # Accepted, then closed with 4401: the page stops reconnecting (a refused handshake
        # would look like an outage to it, and it would retry forever).
        assert connected
        output = await socket.receive_output(timeout=5)
        codes.append((output["type"], output.get("code")))
        await socket.disconnect()

    assert codes == [("websocket.close", 4401)] * 2


async def test_sockets_from_another_site_are_refused(client, user):
    cookie = await session_cookie(client, user)
    socket = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"https://evil.example"), cookie]
    )

    connected, _ = await socket.connect()

    assert not connected
