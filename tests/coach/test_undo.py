"""Deleting a coach session can be undone within the undo window: it and its conversation leave
every list and page, come back whole, and are purged after the window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from aurastream.celery import app
from coach import services, tasks
from coach.consumers import session_snapshot
from coach.engine.local import respond
from coach.models import CoachMessage, CoachSession
from tests.factories import READY_BRIEF, PlanGrantFactory

pytestmark = pytest.mark.django_db


def too_late() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LIBRARY_UNDO_SECONDS + 1)


def talked(user, title: str = "Crown cat") -> CoachSession:
    """A session with one message answered and a ready brief."""
    PlanGrantFactory(user=user, plan="pro")
    session = services.session_create(user=user, title=title)
    prepared = services.reply_prepare(user_id=user.pk, session_id=session.pk, text="a cat emote with a crown")
    services.reply_finish(prepared=prepared, reply=respond(prepared.request), tokens=5)
    CoachSession.objects.filter(pk=session.pk).update(brief=READY_BRIEF.to_json(), brief_ready=True)
    return CoachSession.objects.get(pk=session.pk)


def test_a_deleted_session_leaves_every_list_and_page_and_undo_brings_it_back_whole(auth_client, user):
    session = talked(user)
    said = list(session.messages.values_list("role", "content"))

    response = auth_client.post(f"/coach/{session.pk}/delete/")

    assert response.status_code == 302
    page = auth_client.get("/coach/").content.decode()
    assert "Deleted “Crown cat”." in page
    assert f'action="/coach/{session.pk}/restore/"' in page
    assert f"/coach/{session.pk}/" not in page.replace(f"/coach/{session.pk}/restore/", "")
    assert auth_client.get(f"/coach/{session.pk}/").status_code == 404
    assert auth_client.post(f"/coach/{session.pk}/generate/").status_code == 404
    assert auth_client.get(f"/api/v1/coach/sessions/{session.pk}/").status_code == 404
    assert session_snapshot(user.pk, session.pk) is None  # the chat socket finds nothing
    with pytest.raises(CoachSession.DoesNotExist):
        services.reply_prepare(user_id=user.pk, session_id=session.pk, text="still there?")
    assert "Crown cat" not in {item["title"] for item in auth_client.get("/palette/").json()["items"]}
    assert "Deleted “Crown cat”" not in auth_client.get("/coach/").content.decode()  # offered once

    restored = auth_client.post(f"/coach/{session.pk}/restore/", follow=True)

    assert "Restored “Crown cat”." in restored.content.decode()
    assert f"/coach/{session.pk}/" in restored.content.decode()
    chat = auth_client.get(f"/coach/{session.pk}/")
    assert chat.status_code == 200
    assert "a cat emote with a crown" in chat.content.decode()
    session = CoachSession.objects.get(pk=session.pk)
    assert list(session.messages.values_list("role", "content")) == said
    assert session.brief_ready


def test_another_creators_session_is_a_404_for_delete_and_undo(client, user, other_user):
    mine = services.session_create(user=user)
    services.session_delete(session=mine)
    theirs = services.session_create(user=other_user)

    client.force_login(other_user)
    assert client.post(f"/coach/{mine.pk}/restore/").status_code == 404
    assert CoachSession.all_objects.get(pk=mine.pk).deleted_at is not None
    client.force_login(user)
    assert client.post(f"/coach/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/coach/{theirs.pk}/restore/").status_code == 404
    assert CoachSession.objects.filter(pk=theirs.pk).exists()


def test_the_purge_removes_sessions_and_messages_after_the_window(
    auth_client, user, django_capture_on_commit_callbacks, as_the_worker
):
    assert "coach.purge_deleted" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "coach.purge_deleted" in app.tasks
    session = talked(user)
    services.session_delete(session=session)

    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
    assert CoachSession.all_objects.filter(pk=session.pk).exists()  # still restorable

    CoachSession.all_objects.filter(pk=session.pk).update(deleted_at=too_late())
    late = auth_client.post(f"/coach/{session.pk}/restore/", follow=True)
    assert "Too late to undo" in late.content.decode()
    with as_the_worker(), django_capture_on_commit_callbacks(execute=True):
        tasks.purge_deleted.delay()
        tasks.purge_deleted.delay()  # a second run finds nothing left

    assert not CoachSession.all_objects.filter(pk=session.pk).exists()
    assert not CoachMessage.objects.filter(session_id=session.pk).exists()
    assert auth_client.post(f"/coach/{session.pk}/restore/").status_code == 404


def test_a_reply_finishing_after_its_session_was_purged_crashes_nothing(user):
    PlanGrantFactory(user=user, plan="pro")
    session = services.session_create(user=user)
    prepared = services.reply_prepare(user_id=user.pk, session_id=session.pk, text="a fox emote")
    services.session_delete(session=session)
    CoachSession.all_objects.filter(pk=session.pk).update(deleted_at=too_late())
    assert services.sessions_purge() == 1

    services.reply_progress(prepared=prepared, content="Love it", tokens=2, brief=READY_BRIEF)
    done = services.reply_finish(prepared=prepared, reply=respond(prepared.request), tokens=5)
    failed = services.reply_fail(prepared=prepared, content="Love it", tokens=2, error="Cut off.")

    assert (done["id"], done["status"]) == (prepared.reply_id, "complete")
    assert (failed["id"], failed["status"]) == (prepared.reply_id, "failed")
    assert not CoachMessage.objects.filter(pk=prepared.reply_id).exists()


def test_the_api_deletes_a_session_and_restores_it(api_client, user, other_user):
    session = talked(user)
    url = f"/api/v1/coach/sessions/{session.pk}/"

    api_client.force_login(other_user)
    assert api_client.delete(url).status_code == 404
    api_client.force_login(user)
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404
    assert api_client.get("/api/v1/coach/sessions/").json() == []
    api_client.force_login(other_user)
    assert api_client.post(f"{url}restore/").status_code == 404

    api_client.force_login(user)
    restored = api_client.post(f"{url}restore/")

    assert restored.status_code == 200
    assert restored.json()["title"] == "Crown cat"
    assert len(restored.json()["messages"]) == 2
    services.session_delete(session=CoachSession.objects.get(pk=session.pk))
    CoachSession.all_objects.filter(pk=session.pk).update(deleted_at=too_late())
    assert api_client.post(f"{url}restore/").status_code == 404
