"""The dashboard tells the truth: recent work, what is running, plan usage and a getting-started
checklist computed from what the creator has really done, which gets out of the way once done."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brandkits import services as brandkit_services
from generation.models import GenerationJob
from tests.factories import (
    BrandLogoFactory,
    CoachSessionFactory,
    GenerationJobFactory,
    UserFactory,
    make_assets,
)

pytestmark = pytest.mark.django_db


def words(response) -> str:
    """The main landmark's words, as a creator reads them."""
    page = response.content.decode().split('id="main"', 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def main(response) -> str:
    return response.content.decode().split('id="main"', 1)[-1].split("</main>", 1)[0]


def checklist(response) -> str:
    match = re.search(r'<section[^>]*aria-labelledby="checklist-title".*?</section>', main(response), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))) if match else ""


# --- Greeting -----------------------------------------------------------------------------------


def test_the_first_visit_after_signing_up_says_welcome_and_never_the_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "newcomer1205@example.com",
                "password1": "glowing-neon-77",
                "password2": "glowing-neon-77",
            },
        )

    first = client.get("/dashboard/")
    later = client.get("/dashboard/")

    assert first.status_code == 200
    assert "Welcome" in words(first)
    assert "Welcome back" not in words(first)
    assert "Welcome back" in words(later)
    for response in (first, later):
        assert "newcomer1205" not in main(response)


def test_a_returning_creator_is_greeted_by_their_display_name(client):
    creator = UserFactory(display_name="Pixel Pilot")
    client.force_login(creator)

    assert "Welcome back, Pixel Pilot" in words(client.get("/dashboard/"))


def test_without_a_display_name_the_greeting_names_no_one(client):
    creator = UserFactory(email="quietfox@example.com", display_name="")
    client.force_login(creator)

    text = words(client.get("/dashboard/"))

    assert "Welcome back" in text
    assert "Welcome back," not in text
    assert "quietfox" not in text


# --- Recent work -------------------------------------------------------------------------------


def test_a_new_creator_sees_nothing_generated_and_every_step_to_do(auth_client, user):
    response = auth_client.get("/dashboard/")

    text = words(response)
    assert "Nothing generated yet" in text
    steps = checklist(response)
    assert "Make your first brand kit" in steps
    assert "Generate your first asset" in steps
    for done in ("Brand kit made", "Logo added", "First asset generated"):
        assert done not in steps


def test_assets_in_the_library_show_as_recent_work_and_tick_the_first_asset(auth_client, user):
    assets = make_assets(user, 10, title="Hype emote")
    GenerationJobFactory(user=user)

    response = auth_client.get("/dashboard/")

    text = words(response)
    page = main(response)
    assert "Nothing generated yet" not in text
    assert "10 assets" in text
    # The eight newest, each a link to its page.
    shown = [asset for asset in assets if f'href="/library/assets/{asset.pk}/"' in page]
    assert len(shown) == 8
    assert "First asset generated (done)" in checklist(response)
    assert "Generate your first asset" not in checklist(response)


def test_another_creators_work_is_not_shown(auth_client, user, other_user):
    theirs = make_assets(other_user, 2)
    GenerationJobFactory(user=other_user, status=GenerationJob.Status.RUNNING)
    CoachSessionFactory(user=other_user, title="Their secret plan", seed=1)

    response = auth_client.get("/dashboard/")

    page = main(response)
    assert "Nothing generated yet" in words(response)
    for asset in theirs:
        assert str(asset.pk) not in page
    assert "Their secret plan" not in page
    assert "/create/jobs/" not in page


def test_recent_jobs_link_to_their_pages(auth_client, user):
    done = GenerationJobFactory(user=user, text="GG EZ")
    failed = GenerationJobFactory(user=user, status=GenerationJob.Status.FAILED, error="Refused", text="Nope")

    page = main(auth_client.get("/dashboard/"))

    assert f'href="/create/jobs/{done.pk}/"' in page
    assert f'href="/create/jobs/{failed.pk}/"' in page


# --- Continue where you left off -----------------------------------------------------------------


def test_a_running_job_and_an_open_coach_session_are_there_to_continue(auth_client, user):
    running = GenerationJobFactory(user=user, status=GenerationJob.Status.RUNNING, text="Boss rush")
    session = CoachSessionFactory(user=user, title="Spooky season emotes", seed=1)

    response = auth_client.get("/dashboard/")

    text = words(response)
    page = main(response)
    assert "Continue where you left off" in text
    assert f'href="/create/jobs/{running.pk}/"' in page
    assert "Boss rush" in text
    assert f'href="/coach/{session.pk}/"' in page
    assert "Spooky season emotes" in text


def test_nothing_to_continue_says_nothing(auth_client, user):
    GenerationJobFactory(user=user)

    assert "Continue where you left off" not in words(auth_client.get("/dashboard/"))


# --- Brand kit and the checklist -------------------------------------------------------------------


def test_uploading_a_logo_moves_the_next_step_on(auth_client, user):
    kit = brandkit_services.brand_kit_create(owner=user, name="Neon")
    before = auth_client.get("/dashboard/")
    BrandLogoFactory(kit=kit)
    after = auth_client.get("/dashboard/")

    assert "Next: add your logo" in words(before)
    assert "Add your logo" in checklist(before)
    assert "Next: add your logo" not in words(after)
    assert "Logo added (done)" in checklist(after)


def test_the_checklist_gets_out_of_the_way_once_everything_is_done(client):
    creator = UserFactory(display_name="Pixel Pilot")
    kit = brandkit_services.brand_kit_create(owner=creator, name="Neon")
    BrandLogoFactory(kit=kit)
    make_assets(creator, 1)
    GenerationJobFactory(user=creator)
    client.force_login(creator)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert checklist(response) == ""
    assert 'id="checklist-title"' not in main(response)
    assert "Generate your first asset" not in words(response)


def test_plan_usage_is_on_the_dashboard(auth_client, user):
    text = words(auth_client.get("/dashboard/"))

    assert "Free plan" in text
    assert "3 of 3 generations left" in text


# --- Bounded -------------------------------------------------------------------------------------


def test_the_dashboard_costs_the_same_queries_for_one_asset_or_forty(client):
    def queries_for(count: int) -> int:
        creator = UserFactory()
        make_assets(creator, count)
        for _ in range(min(count, 6)):
            GenerationJobFactory(user=creator, text=uuid.uuid4().hex[:8])
        CoachSessionFactory(user=creator, title="Ideas", seed=1)
        client.force_login(creator)
        client.get("/dashboard/")  # warm caches (plan, sessions)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/").status_code == 200
        return len(captured)

    assert queries_for(40) == queries_for(1)
