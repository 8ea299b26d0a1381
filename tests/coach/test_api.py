"""Coach sessions over the API, and the message stream as server-sent events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.db import connections
from django.test import AsyncClient
from django.utils import timezone

from coach import services
from coach.models import CoachMessage, CoachSession
from generation.models import GenerationJob
from tests.factories import PlanGrantFactory

IDEA = 'A hype Twitch emote of a cat wearing a crown, neon style, with the text "GG"'


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def token_for(api_client, user, password) -> str:
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json"
    )
    return response.json()["access"]


def parse_events(body: str) -> list[dict[str, Any]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if not line.startswith(":"))
        if lines:
            events.append({"event": lines["event"], **json.loads(lines["data"])})
    return events


async def read_stream(response) -> str:
    chunks = [chunk async for chunk in response.streaming_content]
    return "".join(chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in chunks)


# --- Sessions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_free_creators_second_session_is_refused_with_an_upgrade_link(api_client, user):
    api_client.force_login(user)

    first = api_client.post("/api/v1/coach/sessions/", {"title": "Emotes"}, format="json")
    api_client.delete(f"/api/v1/coach/sessions/{first.json()['id']}/")
    second = api_client.post("/api/v1/coach/sessions/", {"title": "Again"}, format="json")

    assert first.status_code == 201
    assert second.status_code == 403
    error = second.json()["error"]
    assert error["code"] == "plan_limit"
    assert "trial" in error["message"]
    assert error["upgrade_url"].endswith("/pricing/")
    assert not CoachSession.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_sessions_are_listed_renamed_and_deleted_by_their_owner_only(api_client, user, other_user):
    PlanGrantFactory(user=user, plan="pro")
    api_client.force_login(user)
    created = api_client.post(
        "/api/v1/coach/sessions/", {"platform": "youtube", "asset_type": "thumbnail"}, format="json"
    ).json()
    url = f"/api/v1/coach/sessions/{created['id']}/"

    renamed = api_client.patch(url, {"title": "  Ranked   thumbnail "}, format="json")
    listed = api_client.get("/api/v1/coach/sessions/").json()

    assert created["brief"]["spec_key"] == "youtube.thumbnail"
    assert renamed.json()["title"] == "Ranked thumbnail"
    assert [row["id"] for row in listed] == [created["id"]]
    api_client.force_login(other_user)
    assert api_client.get(url).status_code == 404
    assert api_client.patch(url, {"title": "mine"}, format="json").status_code == 404
    assert api_client.delete(url).status_code == 404
    assert api_client.post(f"{url}generate/").status_code == 404
    assert api_client.get("/api/v1/coach/sessions/").json() == []
    api_client.force_login(user)
    assert api_client.delete(url).status_code == 204
    assert not CoachSession.objects.filter(pk=created["id"]).exists()


@pytest.mark.django_db
def test_bad_session_input_is_explained(api_client, user):
    PlanGrantFactory(user=user, plan="pro")
    api_client.force_login(user)

    unknown = api_client.post(
        "/api/v1/coach/sessions/", {"platform": "myspace", "asset_type": "banner"}, format="json"
    )
    half = api_client.post("/api/v1/coach/sessions/", {"platform": "twitch"}, format="json")
    session = api_client.post("/api/v1/coach/sessions/", {}, format="json").json()
    blank = api_client.patch(f"/api/v1/coach/sessions/{session['id']}/", {"title": "  "}, format="json")

    assert unknown.status_code == 400
    assert "asset_type" in unknown.json()["error"]["fields"]
    assert half.status_code == 400
    assert blank.status_code == 400
    assert blank.json()["error"]["fields"]["title"] == ["Give the session a name."]
    assert CoachSession.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_generate_needs_a_ready_brief_then_starts_one_job(
    api_client, user, django_capture_on_commit_callbacks
):
    PlanGrantFactory(user=user, plan="pro")
    api_client.force_login(user)
    session = services.session_create(user=user)
    url = f"/api/v1/coach/sessions/{session.pk}/generate/"

    early = api_client.post(url)
    CoachSession.objects.filter(pk=session.pk).update(
        brief={"platform": "twitch", "asset_type": "emote", "subject": "a cat in a crown", "text": "GG"},
        brief_ready=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = api_client.post(url, HTTP_IDEMPOTENCY_KEY="one")
        again = api_client.post(url, HTTP_IDEMPOTENCY_KEY="one")

    assert early.status_code == 400
    assert "isn't ready" in early.json()["error"]["fields"]["non_field_errors"][0]
    assert started.status_code == 201
    assert again.json()["job"] == started.json()["job"]
    job = GenerationJob.objects.get(user=user)
    assert (job.spec_key, job.text) == ("twitch.emote", "GG")
    assert "a cat in a crown" in job.prompt


# --- The message stream -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_the_stream_answers_an_api_client_with_the_same_events(api_client, user, password):
    def setup() -> tuple[CoachSession, str]:
        PlanGrantFactory(user=user, plan="pro")
        return services.session_create(user=user), token_for(api_client, user, password)

    session, token = await sync_to_async(setup)()
    client = AsyncClient()

    response = await client.post(
        f"/api/v1/coach/sessions/{session.pk}/messages/",
        {"text": IDEA},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    events = parse_events(await read_stream(response))
    kinds = [event["event"] for event in events]
    assert kinds[:2] == ["message", "reply_start"]
    assert kinds[-1] == "done"
    tokens = [event for event in events if event["event"] == "token"]
    seqs = [event["seq"] for event in tokens]
    assert seqs[0] == 1
    assert seqs == sorted(set(seqs))
    done = events[-1]
    assert "".join(event["text"] for event in tokens) == done["message"]["content"]
    assert done["brief"]["spec_key"] == "twitch.emote"
    saved = await sync_to_async(list)(
        CoachMessage.objects.filter(session=session).values_list("role", "content")
    )
    assert saved == [("user", IDEA), ("coach", done["message"]["content"])]
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
async def test_the_stream_refuses_what_it_cannot_answer(api_client, user, other_user, password):
    def setup() -> tuple[CoachSession, CoachSession, str]:
        PlanGrantFactory(user=user, plan="pro")
        PlanGrantFactory(user=other_user, plan="pro")
        mine = services.session_create(user=user)
        busy = services.session_create(user=user)
        CoachSession.objects.filter(pk=busy.pk).update(reply_started_at=timezone.now())
        return mine, busy, token_for(api_client, user, password)

    mine, busy, token = await sync_to_async(setup)()
    bearer = {"Authorization": f"Bearer {token}"}
    client = AsyncClient()

    async def post(session_id, body: object, headers: dict[str, str] | None = None, **extra):
        return await client.post(
            f"/api/v1/coach/sessions/{session_id}/messages/",
            body,
            content_type="application/json",
            headers=headers if headers is not None else bearer,
            **extra,
        )

    anonymous = await post(mine.pk, {"text": "hi"}, headers={})
    empty = await post(mine.pk, {"text": "  "})
    not_json = await post(mine.pk, "hello")
    engaged = await post(busy.pk, {"text": "hi"})
    await sync_to_async(client.force_login)(other_user)
    foreign = await post(mine.pk, {"text": "hi"}, headers={})

    assert anonymous.status_code == 401
    assert (empty.status_code, json.loads(empty.content)["error"]["message"]) == (
        400,
        "Type a message for the coach.",
    )
    assert not_json.status_code == 400
    assert engaged.status_code == 409
    assert "still answering" in json.loads(engaged.content)["error"]["message"]
    assert foreign.status_code == 404
    assert not await sync_to_async(CoachMessage.objects.exists)()
    await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
async def test_a_browser_session_needs_a_csrf_token(user):
    def setup() -> CoachSession:
        PlanGrantFactory(user=user, plan="pro")
        return services.session_create(user=user)

    session = await sync_to_async(setup)()
    client = AsyncClient(enforce_csrf_checks=True)
    await sync_to_async(client.force_login)(user)

    response = await client.post(
        f"/api/v1/coach/sessions/{session.pk}/messages/", {"text": "hi"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert json.loads(response.content)["error"]["code"] == "csrf_failed"
    assert not await sync_to_async(CoachMessage.objects.exists)()
    await sync_to_async(connections.close_all)()
