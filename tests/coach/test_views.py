"""The coach's pages: the session list, starting, renaming and deleting sessions, the chat page,
and generating from a finished brief. The chat itself is the websocket's (test_consumer.py)."""

from __future__ import annotations

import uuid

import pytest

from billing.models import UsageEntry
from brandkits.models import BrandKit
from coach import services
from coach.engine.types import Brief
from coach.models import CoachMessage, CoachSession
from generation.models import GenerationJob
from tests.factories import READY_BRIEF, BrandKitFactory, CoachMessageFactory, PlanGrantFactory

pytestmark = pytest.mark.django_db


def kit_for(user, name: str = "Neon Nights") -> BrandKit:
    return BrandKitFactory(owner=user, name=name, is_default=True)


def ready_session(user) -> CoachSession:
    session = services.session_create(user=user)
    session.brief = READY_BRIEF.to_json()
    session.brief_ready = True
    session.save()
    return session


def test_the_list_shows_the_form_and_each_session(auth_client, user):
    PlanGrantFactory(user=user, plan="pro")
    kit = kit_for(user)
    session = services.session_create(user=user, brand_kit_id=kit.pk, spec_key="twitch.emote")
    CoachMessageFactory(session=session, role="user", content="a cat emote")
    CoachMessageFactory(session=session, role="coach", content="Love it.")
    services.session_update(session=session, title="Crown cat")
    ready = ready_session(user)

    response = auth_client.get("/coach/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="/coach/new/"' in page
    assert f'value="{kit.pk}"' in page
    assert 'value="twitch.emote"' in page
    assert "Crown cat" in page
    assert "Kit: Neon Nights" in page
    assert "2 messages" in page
    assert "Twitch emote" in page
    assert f"/coach/{session.pk}/rename/" in page
    assert f"/coach/{ready.pk}/delete/" in page
    assert page.count("Ready to generate") == 1
    assert 'aria-current="page">Coach<' in page


def test_the_list_needs_a_signed_in_creator(client):
    response = client.get("/coach/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_starting_a_session_opens_its_chat(auth_client, user):
    kit = kit_for(user)

    response = auth_client.post("/coach/new/", {"brand_kit": str(kit.pk), "spec_key": "youtube.thumbnail"})

    session = CoachSession.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/coach/{session.pk}/"
    assert session.brand_kit == kit
    assert (session.brief["platform"], session.brief["asset_type"]) == ("youtube", "thumbnail")
    page = auth_client.get(response["Location"]).content.decode()
    assert f'data-socket-path="/ws/coach/{session.pk}/"' in page
    assert 'maxlength="2000"' in page
    assert 'aria-live="polite"' in page
    assert "js/coach.js" in page
    assert "YouTube" in page
    assert "Generate from this brief" in page
    assert "data-generate disabled" in page


def test_starting_a_session_without_choices_uses_the_default_kit(auth_client, user):
    kit = kit_for(user)

    response = auth_client.post("/coach/new/", {"brand_kit": "", "spec_key": ""})

    assert response.status_code == 302
    assert CoachSession.objects.get(user=user).brand_kit == kit


def test_an_unknown_target_or_someone_elses_kit_is_refused(auth_client, user, other_user):
    others_kit = kit_for(other_user)

    bad_target = auth_client.post("/coach/new/", {"spec_key": "myspace.banner"})
    bad_kit = auth_client.post("/coach/new/", {"brand_kit": str(others_kit.pk)})

    assert bad_target.status_code == 400
    assert "Select a valid choice" in bad_target.content.decode()
    assert bad_kit.status_code == 400
    assert not CoachSession.objects.exists()


def test_a_free_creator_who_used_the_trial_sees_the_upgrade_prompt(auth_client, user):
    auth_client.post("/coach/new/", {})
    assert CoachSession.objects.filter(user=user).count() == 1

    page = auth_client.get("/coach/").content.decode()

    assert "used it. Upgrade to Pro" in page
    assert "/pricing/" in page
    assert 'action="/coach/new/"' not in page


def test_a_free_creators_second_session_is_refused_and_nothing_is_stored(auth_client, user):
    auth_client.post("/coach/new/", {})

    response = auth_client.post("/coach/new/", {})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Prompt Coach trial session, and you have used it" in page
    assert "/pricing/" in page
    assert CoachSession.objects.filter(user=user).count() == 1
    assert UsageEntry.objects.filter(user=user, kind=UsageEntry.Kind.COACH_SESSION).count() == 1


def test_deleting_the_trial_session_does_not_give_it_back(auth_client, user):
    auth_client.post("/coach/new/", {})
    session = CoachSession.objects.get(user=user)

    auth_client.post(f"/coach/{session.pk}/delete/")
    response = auth_client.post("/coach/new/", {})

    assert response.status_code == 403
    assert not CoachSession.objects.exists()


def test_renaming_a_session(auth_client, user):
    session = services.session_create(user=user)

    response = auth_client.post(f"/coach/{session.pk}/rename/", {"title": "  Crown   cat emote "})

    assert response.status_code == 302
    assert response["Location"] == "/coach/"
    session.refresh_from_db()
    assert session.title == "Crown cat emote"
    assert "Renamed to “Crown cat emote”." in auth_client.get("/coach/").content.decode()


def test_an_empty_or_missing_name_is_explained_not_saved(auth_client, user):
    session = services.session_create(user=user, title="Crown cat")

    auth_client.post(f"/coach/{session.pk}/rename/", {"title": "   "})
    page = auth_client.get("/coach/").content.decode()
    response = auth_client.post(f"/coach/{session.pk}/rename/", {})

    assert "Give the session a name." in page
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Crown cat"


def test_deleting_a_session_hides_it_and_its_messages(auth_client, user):
    session = services.session_create(user=user, title="Crown cat")
    CoachMessageFactory(session=session, role="user", content="a cat emote")

    response = auth_client.post(f"/coach/{session.pk}/delete/")

    assert response.status_code == 302
    assert not CoachSession.objects.exists()
    assert "Deleted “Crown cat”." in auth_client.get("/coach/").content.decode()  # with Undo: test_undo.py
    assert auth_client.get(f"/coach/{session.pk}/").status_code == 404


def test_actions_are_post_only(auth_client, user):
    session = services.session_create(user=user)

    for path in ("new/", f"{session.pk}/rename/", f"{session.pk}/delete/", f"{session.pk}/generate/"):
        assert auth_client.get(f"/coach/{path}").status_code == 405
    assert CoachSession.objects.filter(pk=session.pk).exists()


def test_another_creators_session_is_404_everywhere(client, user, other_user):
    session = ready_session(user)
    client.force_login(other_user)

    assert client.get(f"/coach/{session.pk}/").status_code == 404
    for action in ("rename", "delete", "generate"):
        assert client.post(f"/coach/{session.pk}/{action}/", {"title": "Mine now"}).status_code == 404
    session.refresh_from_db()
    assert session.title == ""
    assert not GenerationJob.objects.exists()
    assert f"/coach/{session.pk}/" not in client.get("/coach/").content.decode()


def test_an_unknown_or_malformed_session_id_is_404(auth_client):
    assert auth_client.get(f"/coach/{uuid.uuid4()}/").status_code == 404
    assert auth_client.get("/coach/not-a-uuid/").status_code == 404


def test_the_chat_page_shows_the_saved_conversation_and_brief(auth_client, user):
    session = ready_session(user)
    CoachMessageFactory(session=session, role="user", content="<b>a cat</b> emote")
    CoachMessageFactory(
        session=session,
        role="coach",
        content="Half a thought",
        status=CoachMessage.Status.FAILED,
        error="The coach could not be reached. Please try again.",
    )

    page = auth_client.get(f"/coach/{session.pk}/").content.decode()

    assert "&lt;b&gt;a cat&lt;/b&gt; emote" in page
    assert "Half a thought" in page
    assert "The coach could not be reached." in page
    assert "Twitch" in page
    assert "a cat wearing a crown" in page
    assert "#FF2E88" in page
    assert "data-generate disabled" not in page
    assert 'id="coach-targets"' in page


def test_the_brief_panel_names_the_layout_and_where_the_colours_come_from(auth_client, user):
    session = services.session_create(user=user)
    session.brief = Brief(
        platform="youtube",
        asset_type="thumbnail",
        subject="me vs my brother",
        colors=("#008080", "#8E24AA"),
        layout="versus",
    ).to_json()
    session.save()

    page = auth_client.get(f"/coach/{session.pk}/").content.decode()

    assert 'data-brief-field="layout"' in page
    assert ">versus split<" in page
    assert "Teal and purple from your words, fonts and logo from your kit" in page
    # An old brief (stored before layouts) shows the field as not decided, and the kit's colours.
    session.brief = {"platform": "youtube", "asset_type": "thumbnail", "subject": "me"}
    session.save()
    page = auth_client.get(f"/coach/{session.pk}/").content.decode()
    assert 'data-brief-field="layout"' in page
    assert "Colours, fonts and logo from your kit" in page


def test_generating_from_a_ready_brief_starts_one_job_and_opens_it(
    auth_client, user, django_capture_on_commit_callbacks
):
    PlanGrantFactory(user=user, plan="pro")
    kit = kit_for(user)
    session = ready_session(user)
    session.brand_kit = kit
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        first = auth_client.post(f"/coach/{session.pk}/generate/", {"idempotency_key": "page-load-1"})
        second = auth_client.post(f"/coach/{session.pk}/generate/", {"idempotency_key": "page-load-1"})

    job = GenerationJob.objects.get()
    assert first.status_code == 302
    assert first["Location"] == f"/create/jobs/{job.pk}/"
    assert second["Location"] == first["Location"]
    assert job.spec_key == "twitch.emote"
    assert job.text == "GG"
    assert job.prompt == "a cat wearing a crown"
    assert job.items[0]["style"] == "neon"
    assert job.items[0]["colours"] == ["#FF2E88", "#22D3EE"]
    assert job.brand_kit_id == kit.pk
    assert auth_client.get(first["Location"]).status_code == 200


def test_generating_from_an_unready_brief_says_what_is_missing(auth_client, user):
    session = services.session_create(user=user)

    response = auth_client.post(f"/coach/{session.pk}/generate/", {"idempotency_key": "k"})

    assert response.status_code == 400
    assert "ready yet: tell the coach what to make" in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_generating_without_generations_left_shows_the_upgrade_link(
    auth_client, user, django_capture_on_commit_callbacks
):
    session = ready_session(user)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):  # the Free plan's month
            auth_client.post(f"/coach/{session.pk}/generate/", {"idempotency_key": f"k{n}"})

    response = auth_client.post(f"/coach/{session.pk}/generate/", {"idempotency_key": "k4"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "used all 3 generations" in page
    assert "/pricing/" in page
    assert GenerationJob.objects.count() == 3


def test_the_dashboard_links_to_the_coach(auth_client):
    page = auth_client.get("/dashboard/").content.decode()

    assert 'href="/coach/"' in page
    assert "Talk it through with the Coach" in page
