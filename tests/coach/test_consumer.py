"""The coach's websocket, through the real ASGI stack and channel layer (channels-redis when
REDIS_URL is set, as in CI): tokens in order, the reply and brief saved, only the owner, and
accepted at once even when the database is busy."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Any

import channels.consumer
import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from aurastream.asgi import application
from aurastream.sockets import close_database_connections, database_sync_to_async, database_threads
from coach import services
from coach.engine.local import LocalCoach
from coach.models import CoachMessage, CoachSession
from coach.providers import coach_provider
from tests.factories import PlanGrantFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1")
HOST = (b"host", b"127.0.0.1")
IDEA = 'A hype Twitch emote of a cat wearing a crown, neon style, with the text "GG"'


@pytest.fixture(autouse=True)
async def _clean_layer_and_connections():
    await sync_to_async(cache.clear)()
    yield
    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        await layer.flush()
    await sync_to_async(connections.close_all)()
    await sync_to_async(close_database_connections)()


@pytest.fixture
def paced(settings):
    """A coach that takes a moment per word, so a test can act while it is still typing."""
    settings.COACH_PROVIDER_OPTIONS = {"token_delay_s": 0.01}
    coach_provider.cache_clear()
    yield
    coach_provider.cache_clear()


async def cookie_for(client, user) -> tuple[bytes, bytes]:
    await sync_to_async(client.force_login)(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def new_session(user) -> CoachSession:
    await sync_to_async(PlanGrantFactory)(user=user, plan="pro", starts_at="2026-01-01T00:00Z")
    return await sync_to_async(services.session_create)(user=user)


async def open_socket(client, user, session: CoachSession) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(
        application, f"/ws/coach/{session.pk}/", headers=[ORIGIN, HOST, await cookie_for(client, user)]
    )
    connected, code = await socket.connect()
    assert connected, code
    return socket


async def close_code(socket: WebsocketCommunicator) -> int:
    """The code of the close the server sends first: nothing may come before it."""
    output = await socket.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return int(output["code"])


async def receive_until(socket: WebsocketCommunicator, kind: str, timeout: float = 5) -> list[dict[str, Any]]:
    """Every event up to and including the first of ``kind``."""
    events = []
    while True:
        event = await socket.receive_json_from(timeout=timeout)
        events.append(event)
        if event["type"] == kind:
            return events


async def test_the_reply_streams_in_order_and_is_saved_with_the_brief(client, user, paced):
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    history = await socket.receive_json_from()
    assert history["type"] == "history"
    assert history["messages"] == []

    await socket.send_json_to({"type": "message", "text": IDEA})
    events = await receive_until(socket, "done")

    kinds = [event["type"] for event in events]
    assert kinds[:2] == ["message", "reply_start"]
    assert events[0]["message"]["content"] == IDEA
    tokens = [event for event in events if event["type"] == "token"]
    assert len(tokens) > 3  # streamed in pieces, not as one block
    seqs = [event["seq"] for event in tokens]
    assert seqs[0] == 1
    assert seqs == sorted(set(seqs))  # in order, none repeated
    done = events[-1]
    assert "".join(event["text"] for event in tokens) == done["message"]["content"]
    brief = {field["name"]: field["value"] for field in done["brief"]["fields"]}
    assert brief["platform"] == "twitch"
    assert brief["asset_type"] == "emote"
    assert brief["text"] == "GG"
    assert "cat" in brief["subject"]

    saved = await sync_to_async(list)(CoachMessage.objects.filter(session=session).order_by("id"))
    assert [(m.role, m.status) for m in saved] == [("user", "complete"), ("coach", "complete")]
    assert saved[1].content == done["message"]["content"]
    assert saved[1].tokens == seqs[-1]
    await sync_to_async(session.refresh_from_db)()
    assert session.brief["asset_type"] == "emote"
    assert session.reply_started_at is None
    await socket.disconnect()


async def test_every_tab_of_the_session_hears_the_whole_exchange_event_by_event(client, user, paced):
    """Events travel in groups (the message with reply_start, an announced brief with the
    first token); each tab still gets each event as a frame of its own, in order."""
    session = await new_session(user)
    tabs = [await open_socket(client, user, session) for _ in range(2)]
    for tab in tabs:
        assert (await tab.receive_json_from())["type"] == "history"

    await tabs[0].send_json_to({"type": "message", "text": IDEA})
    heard = [await receive_until(tab, "done") for tab in tabs]

    assert heard[0] == heard[1]
    kinds = [event["type"] for event in heard[0]]
    assert kinds[:4] == ["message", "reply_start", "brief", "token"]
    assert kinds[-1] == "done"
    assert set(kinds[4:-1]) <= {"token"}
    assert heard[1][0]["message"]["content"] == IDEA  # the other tab shows what was sent
    for tab in tabs:
        await tab.disconnect()


class SlowToStartCoach(LocalCoach):
    """A provider that thinks before its first event, as a remote model does."""

    async def stream(self, request):
        await asyncio.sleep(0.5)
        async for event in super().stream(request):
            yield event


@pytest.fixture
def slow_to_start(settings):
    settings.COACH_PROVIDER = "tests.coach.test_consumer.SlowToStartCoach"
    coach_provider.cache_clear()
    yield
    coach_provider.cache_clear()


async def test_the_message_shows_in_every_tab_while_a_slow_coach_is_still_thinking(
    client, user, slow_to_start
):
    session = await new_session(user)
    tabs = [await open_socket(client, user, session) for _ in range(2)]
    for tab in tabs:
        await tab.receive_json_from()

    await tabs[0].send_json_to({"type": "message", "text": IDEA})
    # Well before the coach's first event: the message and the reply's start, and nothing else.
    opening = [[await tab.receive_json_from(timeout=0.4) for _ in range(2)] for tab in tabs]
    assert [[event["type"] for event in events] for events in opening] == [["message", "reply_start"]] * 2
    assert await tabs[1].receive_nothing(timeout=0.05)

    for tab in tabs:
        assert [event["type"] for event in await receive_until(tab, "done")][-1] == "done"
        await tab.disconnect()


async def test_another_creators_session_is_refused_like_a_missing_one(client, user, other_user):
    session = await new_session(user)
    cookie = await cookie_for(client, other_user)
    codes = []
    for session_id in (session.pk, uuid.uuid4()):
        socket = WebsocketCommunicator(
            application, f"/ws/coach/{session_id}/", headers=[ORIGIN, HOST, cookie]
        )
        connected, _ = await socket.connect()
        assert connected  # accepted first, so the page is told why, and stops reconnecting
        codes.append(await close_code(socket))  # nothing of the session is sent before
        await socket.disconnect()

    assert codes == [4404, 4404]


async def test_a_signed_out_socket_is_closed_as_not_authenticated(user):
    session = await new_session(user)
    unknown_session = (b"cookie", f"{settings.SESSION_COOKIE_NAME}=not-a-session-key".encode())
    codes = []
    for headers in ([ORIGIN, HOST], [ORIGIN, HOST, unknown_session]):
        socket = WebsocketCommunicator(application, f"/ws/coach/{session.pk}/", headers=headers)
        connected, _ = await socket.connect()
        assert connected
        codes.append(await close_code(socket))
        await socket.disconnect()

    assert codes == [4401, 4401]


async def test_a_burst_of_sockets_is_accepted_while_the_database_is_busy(client, user):
    """Every page reconnecting at once: the handshakes don't queue behind the database (daphne
    drops a socket not accepted within seconds); the histories follow once it is free."""
    session = await new_session(user)
    cookie = await cookie_for(client, user)
    # Occupy every database thread the sockets use.
    release = threading.Event()
    held = [
        asyncio.ensure_future(database_sync_to_async(release.wait)(10)) for _ in range(database_threads())
    ]
    sockets = [
        WebsocketCommunicator(application, f"/ws/coach/{session.pk}/", headers=[ORIGIN, HOST, cookie])
        for _ in range(50)
    ]
    try:
        started = time.monotonic()
        results = await asyncio.gather(*(socket.connect(timeout=5) for socket in sockets))
        accepted_in = time.monotonic() - started
        nothing_yet = await sockets[0].receive_nothing(timeout=0.1)
    finally:
        release.set()
        await asyncio.gather(*held)

    assert all(connected for connected, _ in results)
    assert accepted_in < 3
    assert nothing_yet  # the history needs the database
    histories = await asyncio.gather(*(socket.receive_json_from(timeout=10) for socket in sockets))
    assert {history["type"] for history in histories} == {"history"}
    assert {history["session"]["id"] for history in histories} == {str(session.pk)}
    await asyncio.gather(*(socket.disconnect() for socket in sockets))


async def test_a_message_sent_before_the_history_is_answered_after_it(client, user):
    session = await new_session(user)
    socket = await open_socket(client, user, session)

    await socket.send_json_to({"type": "message", "text": IDEA})  # the moment the socket opens
    events = await receive_until(socket, "done")

    assert events[0]["type"] == "history"
    assert events[0]["messages"] == []
    assert [event["type"] for event in events[1:3]] == ["message", "reply_start"]
    await socket.disconnect()


async def test_a_socket_from_another_site_is_refused(client, user):
    session = await new_session(user)
    socket = WebsocketCommunicator(
        application,
        f"/ws/coach/{session.pk}/",
        headers=[(b"origin", b"https://evil.example"), HOST, await cookie_for(client, user)],
    )

    connected, _ = await socket.connect()

    assert not connected


async def test_one_reply_at_a_time_per_session(client, user, paced):
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()

    await socket.send_json_to({"type": "message", "text": IDEA})
    await receive_until(socket, "token")
    await socket.send_json_to({"type": "message", "text": "make it blue"})
    events = await receive_until(socket, "error")

    assert events[-1]["code"] == "busy"
    assert "still answering" in events[-1]["message"]
    await receive_until(socket, "done")
    assert await sync_to_async(CoachMessage.objects.filter(session=session, role="user").count)() == 1
    await socket.disconnect()


async def test_a_dropped_socket_loses_nothing_and_reconnecting_shows_the_reply(client, user, paced):
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()
    await socket.send_json_to({"type": "message", "text": IDEA})
    await receive_until(socket, "token")

    await socket.disconnect()  # mid-reply

    for _ in range(200):
        statuses = await sync_to_async(list)(
            CoachMessage.objects.filter(session=session, role="coach").values_list("status", flat=True)
        )
        if statuses == ["complete"]:
            break
        await asyncio.sleep(0.05)
    assert statuses == ["complete"]
    again = await open_socket(client, user, session)
    history = await again.receive_json_from()
    assert [m["role"] for m in history["messages"]] == ["user", "coach"]
    assert history["messages"][1]["content"].strip()
    assert history["streaming"] is None
    assert history["brief"]["spec_key"] == "twitch.emote"
    await again.disconnect()


async def test_reconnecting_mid_reply_resumes_the_stream(client, user, paced):
    session = await new_session(user)
    first = await open_socket(client, user, session)
    await first.receive_json_from()
    await first.send_json_to({"type": "message", "text": IDEA})
    await receive_until(first, "token")
    await first.disconnect()

    second = await open_socket(client, user, session)
    history = await second.receive_json_from()
    assert history["streaming"] is not None
    events = await receive_until(second, "done")

    assert events[-1]["message"]["id"] == history["streaming"]["id"]
    assert events[-1]["message"]["content"].startswith(history["streaming"]["content"])
    await second.disconnect()


async def test_bad_messages_are_refused_and_store_nothing(client, user):
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()

    await socket.send_json_to({"type": "message", "text": "   "})
    empty = await socket.receive_json_from()
    await socket.send_json_to({"type": "message", "text": "x" * (settings.COACH_MAX_MESSAGE_CHARS + 1)})
    long = await socket.receive_json_from()
    await socket.send_json_to({"type": "dance"})
    unknown = await socket.receive_json_from()

    assert (empty["code"], empty["message"]) == ("invalid", "Type a message for the coach.")
    assert long["code"] == "invalid"
    assert "under 2,000 characters" in long["message"]
    assert unknown["code"] == "invalid"
    assert await sync_to_async(CoachMessage.objects.filter(session=session).count)() == 0
    await socket.disconnect()


async def test_messages_over_the_rate_limit_are_refused(client, user, settings):
    settings.COACH_MESSAGES_PER_MINUTE = 2
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()

    for text in ("a twitch emote", "of a cat"):
        await socket.send_json_to({"type": "message", "text": text})
        await receive_until(socket, "done")
    await socket.send_json_to({"type": "message", "text": "neon style"})
    refused = await socket.receive_json_from()

    assert refused["code"] == "rate_limited"
    assert await sync_to_async(CoachMessage.objects.filter(session=session, role="user").count)() == 2
    await socket.disconnect()


async def test_deleting_a_session_mid_reply_crashes_nothing_and_undo_brings_the_whole_reply(
    client, user, paced
):
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()
    await socket.send_json_to({"type": "message", "text": IDEA})
    await receive_until(socket, "token")

    await sync_to_async(services.session_delete)(session=session)  # while the coach still types
    events = await receive_until(socket, "done")  # the reply finishes and is saved

    await socket.send_json_to({"type": "message", "text": "make it blue"})
    assert await close_code(socket) == 4404  # a deleted session takes no more messages
    gone = WebsocketCommunicator(
        application, f"/ws/coach/{session.pk}/", headers=[ORIGIN, HOST, await cookie_for(client, user)]
    )
    await gone.connect()
    assert await close_code(gone) == 4404
    restored = await sync_to_async(services.session_restore)(session=session)
    assert restored is not None
    assert restored.reply_started_at is None  # free for the next message
    again = await open_socket(client, user, session)
    history = await again.receive_json_from()
    assert [(m["role"], m["status"]) for m in history["messages"]] == [
        ("user", "complete"),
        ("coach", "complete"),
    ]
    assert history["messages"][1]["content"] == events[-1]["message"]["content"]
    await again.disconnect()


@pytest.fixture
def database_thread_busy(monkeypatch):
    """channels closes old database connections before every event it dispatches, on daphne's
    one thread-sensitive thread, which every socket of the process shares: here that thread
    takes 5 s to get to it, as under a burst."""

    async def queued_behind_the_burst() -> None:
        await asyncio.sleep(5)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", queued_behind_the_burst)


async def test_session_events_reach_the_page_while_the_database_thread_is_busy(
    client, user, database_thread_busy
):
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()

    token = {"type": "token", "seq": 1}
    await get_channel_layer().group_send(f"coach.{session.pk}", {"type": "coach.event", "payloads": [token]})

    assert await socket.receive_json_from(timeout=2) == token
    await socket.send_json_to({"type": "message", "text": IDEA})  # and the page's frames too
    assert (await socket.receive_json_from(timeout=2))["type"] == "message"
    await receive_until(socket, "done")
    await socket.disconnect()


async def test_the_first_token_goes_out_before_the_brief_is_saved(client, user, settings):
    """The brief the coach announces first is saved with a later write (here the finish), so
    the first token never waits for the database; the page ends with it saved all the same."""
    settings.COACH_PROVIDER_OPTIONS = {"token_delay_s": 0.03}
    coach_provider.cache_clear()
    session = await new_session(user)
    socket = await open_socket(client, user, session)
    await socket.receive_json_from()

    await socket.send_json_to({"type": "message", "text": IDEA})
    events = await receive_until(socket, "token")
    stored = await sync_to_async(CoachSession.objects.values_list("brief", flat=True).get)(pk=session.pk)
    done = await receive_until(socket, "done")
    coach_provider.cache_clear()

    assert [event["type"] for event in events] == ["message", "reply_start", "brief", "token"]
    assert events[2]["brief"]["spec_key"] == "twitch.emote"  # the page shows it at once
    assert stored.get("asset_type", "") == ""  # not yet written when the first token arrived
    assert done[-1]["brief"]["spec_key"] == "twitch.emote"
    await sync_to_async(session.refresh_from_db)()
    assert session.brief["asset_type"] == "emote"
    await socket.disconnect()
