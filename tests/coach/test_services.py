"""The coach's rules that hold however it is reached: the Free trial, what a reply saves, and the
hand-off of a brief to a generation job."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from aurastream.db import acting_user
from billing.entitlements import coach_allowance
from billing.models import UsageEntry
from billing.services import CoachLimitReached
from brandkits.models import BrandLogo
from coach import services
from coach.acceptance import message_accept
from coach.engine.local import LocalCoach, respond
from coach.engine.types import Brief
from coach.engine.wording import split_tokens
from coach.models import CoachMessage, CoachSession
from generation.engine import art
from generation.engine.reading import LAYOUTS
from generation.models import GenerationJob
from generation.services import job_create
from library.models import Asset
from tests.coach.leftovers import assert_clean, assert_clean_prompt
from tests.factories import PlanGrantFactory, UserFactory

# The coach example of issue 15, word for word.
EXAMPLE = "YouTube thumbnail of me winning a Valorant clutch, neon purple and teal, text CLUTCH KING"


@pytest.mark.django_db(transaction=True)
def test_two_tabs_starting_the_free_trial_at_once_get_one_session(user):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(":memory"):
        pytest.skip("threads need a shared database file")
    start = threading.Barrier(6)

    def attempt(_: int) -> str:
        try:
            start.wait()
            services.session_create(user=user)
            return "started"
        except CoachLimitReached:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(6)))

    assert outcomes.count("started") == 1
    assert CoachSession.objects.filter(user=user).count() == 1
    assert UsageEntry.objects.filter(user=user, kind="coach_session").count() == 1


@pytest.mark.django_db
def test_plans_decide_sessions_and_grounding(user):
    free = coach_allowance(user)
    services.session_create(user=user)
    used = coach_allowance(user)
    studio = UserFactory()
    PlanGrantFactory(user=studio, plan="studio")

    assert (free.may_start, free.grounding) == (True, False)
    assert not used.may_start
    assert "Upgrade to Pro" in used.explanation
    assert (coach_allowance(studio).may_start, coach_allowance(studio).grounding) == (True, True)
    for _ in range(3):
        services.session_create(user=studio)  # unlimited


@pytest.mark.django_db
def test_a_session_uses_the_default_kit_and_a_target_seeds_the_brief(user):
    from brandkits.services import brand_kit_create

    kit = brand_kit_create(owner=user, name="Nova", channel_name="NovaPlays")

    session = services.session_create(user=user, spec_key="youtube.thumbnail")

    assert session.brand_kit == kit
    assert Brief.from_json(session.brief) == Brief(platform="youtube", asset_type="thumbnail")


@pytest.mark.django_db
def test_a_failed_reply_keeps_what_streamed_and_frees_the_session(user):
    session = services.session_create(user=user)
    prepared = services.reply_prepare(user_id=user.pk, session_id=session.pk, text="an emote of a fox")

    services.reply_fail(prepared=prepared, content="Love it — a fox", tokens=4, error="The coach is busy.")

    reply = CoachMessage.objects.get(pk=prepared.reply_id)
    assert (reply.status, reply.content, reply.error) == ("failed", "Love it — a fox", "The coach is busy.")
    session.refresh_from_db()
    assert session.reply_started_at is None
    assert session.title == "an emote of a fox"


@pytest.mark.django_db
def test_a_reply_abandoned_by_a_dead_process_does_not_lock_the_session_forever(user, settings):
    session = services.session_create(user=user)
    services.reply_prepare(user_id=user.pk, session_id=session.pk, text="first")
    with pytest.raises(services.CoachBusy):
        services.reply_prepare(user_id=user.pk, session_id=session.pk, text="second")

    long_ago = timezone.now() - dt.timedelta(seconds=settings.COACH_REPLY_TIMEOUT_S + 1)
    CoachSession.objects.filter(pk=session.pk).update(reply_started_at=long_ago)
    CoachMessage.objects.filter(session=session, role="coach").update(content="Love a first")
    third = services.reply_prepare(user_id=user.pk, session_id=session.pk, text="third")

    # The cut-off reply is part of the conversation the coach reads, as the page shows it.
    assert [(turn.role, turn.content) for turn in third.request.history] == [
        ("user", "first"),
        ("coach", "Love a first"),
    ]

    statuses = list(
        CoachMessage.objects.filter(session=session, role="coach").values_list("status", flat=True)
    )
    assert statuses == ["interrupted", "streaming"]


# The acting user's marker (two statements on PostgreSQL, none on SQLite) and the transaction's
# own BEGIN/COMMIT (a savepoint inside a test's transaction) come with every unit of work;
# what reply_prepare itself asks is the rest.
UNIT_OF_WORK = (
    "BEGIN",
    "COMMIT",
    "SAVEPOINT",
    "RELEASE SAVEPOINT",
    "SELECT txid_current()",
    "SELECT set_config('app.user_id'",
)


def own_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(UNIT_OF_WORK)]


@pytest.mark.django_db
def test_accepting_a_message_takes_one_statement_and_keeps_every_rule(user, other_user, settings):
    from brandkits.services import brand_kit_create

    PlanGrantFactory(user=user, plan="pro")
    kit = brand_kit_create(owner=user, name="Nova", channel_name="NovaPlays")
    BrandLogo.objects.create(
        kit=kit, role="primary", original="logos/nova.png", trimmed="logos/nova.png", width=10, height=10
    )
    session = services.session_create(user=user)
    first = services.reply_prepare(user_id=user.pk, session_id=session.pk, text="a twitch emote of a fox")
    reply = respond(first.request)
    services.reply_finish(prepared=first, reply=reply, tokens=len(split_tokens(reply.text)))

    with CaptureQueriesContext(connection) as captured:
        prepared = services.reply_prepare(user_id=user.pk, session_id=session.pk, text="neon style")

    # PostgreSQL: one statement (coach.acceptance); elsewhere the ORM's four queries.
    assert len(own_queries(captured)) <= (1 if connection.vendor == "postgresql" else 4), own_queries(
        captured
    )
    assert prepared.request.brand.name == "Nova"
    assert prepared.request.brand.has_logo
    assert [turn.role for turn in prepared.request.history] == ["user", "coach"]
    assert prepared.request.brief.asset_type == "emote"
    assert prepared.title == "a twitch emote of a fox"  # named after its first message, once
    assert not prepared.request.grounding  # the offline coach never searches
    saved = CoachMessage.objects.filter(session=session).order_by("created_at", "id")
    assert [(m.role, m.status) for m in saved] == [
        ("user", "complete"),
        ("coach", "complete"),
        ("user", "complete"),
        ("coach", "streaming"),
    ]
    with pytest.raises(services.CoachBusy):
        services.reply_prepare(user_id=user.pk, session_id=session.pk, text="make it blue")
    with pytest.raises(CoachSession.DoesNotExist):
        services.reply_prepare(user_id=other_user.pk, session_id=session.pk, text="hello")
    settings.COACH_MESSAGES_PER_MINUTE = 3
    services.reply_fail(prepared=prepared, content="", tokens=0, error="Cut off.")
    with pytest.raises(services.CoachRateLimited):
        services.reply_prepare(user_id=user.pk, session_id=session.pk, text="make it blue")
    assert CoachMessage.objects.filter(session=session).count() == 4


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_accepting_binds_row_level_security_whoever_the_statement_names(user, other_user):
    """The statement names the creator itself; the database still shows it only what the
    acting user's marker allows, so it cannot be pointed at a session by its arguments alone."""
    session = services.session_create(user=user)

    with pytest.raises(CoachSession.DoesNotExist), acting_user(other_user.pk):
        message_accept(
            user_id=user.pk, session_id=session.pk, text="hello", title="hello", provider="local", model="m"
        )

    assert not CoachMessage.objects.filter(session=session).exists()
    session.refresh_from_db()
    assert (session.title, session.reply_started_at) == ("", None)


class SearchingCoach(LocalCoach):
    searches_web = True


@pytest.mark.django_db
def test_a_provider_that_searches_is_told_the_plan_allows_it(user, settings):
    settings.COACH_PROVIDER = "tests.coach.test_services.SearchingCoach"
    studio = UserFactory()
    PlanGrantFactory(user=studio, plan="studio")
    PlanGrantFactory(user=user, plan="pro")
    answers = []
    for creator in (studio, user):
        session = services.session_create(user=creator)
        prepared = services.reply_prepare(user_id=creator.pk, session_id=session.pk, text="an emote")
        answers.append(prepared.request.grounding)

    assert answers == [True, False]


# --- Hand-off to generation -----------------------------------------------------------------


def talk(user, *messages: str) -> CoachSession:
    """A session in which the creator said ``messages`` to the (offline) coach, each reply saved."""
    session = services.session_create(user=user)
    for text in messages:
        prepared = services.reply_prepare(user_id=user.pk, session_id=session.pk, text=text)
        reply = respond(prepared.request)
        services.reply_finish(prepared=prepared, reply=reply, tokens=len(split_tokens(reply.text)))
    session.refresh_from_db()
    return session


@pytest.mark.django_db
def test_the_issue_example_hands_the_job_fields_not_a_sentence(user, django_capture_on_commit_callbacks):
    session = talk(user, EXAMPLE)
    brief = Brief.from_json(session.brief)
    assert session.brief_ready
    assert_clean(brief)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_from_brief(user=user, session=session)
    job.refresh_from_db()

    assert job.status == GenerationJob.Status.SUCCEEDED
    assert job.prompt == "me winning a Valorant clutch"
    assert_clean_prompt(job.prompt)
    assert job.text == "CLUTCH KING"
    [item] = job.items
    assert (item["style"], item["colours"], item.get("layout", "")) == ("neon", ["#8E24AA", "#008080"], "")
    reading = item["reading"]
    assert [(c["word"], c["hex"]) for c in reading["colours"]] == [("purple", "#8E24AA"), ("teal", "#008080")]
    assert reading["layout"] in LAYOUTS["thumbnail"]  # no layout asked for: the seed settles one
    assert reading["text"] == "CLUTCH KING"
    assert reading["styles"][0] == "neon"
    assert not {"and", "text", "neon", "purple", "teal", "clutch", "king"} & set(reading["unused"])


@pytest.mark.django_db
def test_the_issue_example_renders_teal_and_purple(user, django_capture_on_commit_callbacks):
    brief = Brief.from_json(talk(user, EXAMPLE).brief)
    # The job the hand-off makes, with its seed pinned: the seed settles the composition when the
    # words ask for none, and this one is the big subject beside the headline.
    request = dataclasses.replace(services.brief_request(brief, brand_kit_id=None), seed=3)

    with django_capture_on_commit_callbacks(execute=True):
        job, _ = job_create(user=user, request=request)

    rendition = Asset.objects.get(source_job_id=job.pk).renditions.get()
    with Image.open(rendition.file.path) as image:
        assert image.size == (1280, 720)
        share = art.coverage(image, "#8E24AA") + art.coverage(image, "#008080")
    assert share >= 0.15, share


@pytest.mark.django_db
def test_a_versus_brief_hands_its_layout_over(user, django_capture_on_commit_callbacks):
    session = talk(user, "youtube thumbnail of me vs my brother in minecraft, neon, text WHO WINS")
    brief = Brief.from_json(session.brief)
    assert (brief.layout, brief.text) == ("versus", "WHO WINS")
    assert brief.subject == "me vs my brother in minecraft"

    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_from_brief(user=user, session=session)

    [item] = job.items
    assert (item["layout"], item["reading"]["layout"]) == ("versus", "versus")
    assert job.prompt == "me vs my brother in minecraft"


def test_the_prompt_carries_the_mood_and_styles_the_engine_has_no_key_for():
    brief = Brief(subject="a cat with a crown", style="neon, cinematic", mood="hype, funny")

    assert services.brief_prompt(brief) == "a cat with a crown, hype, funny, cinematic"
    assert services.brief_style(brief) == "neon"
    assert services.brief_style(Brief(style="cartoon")) == "comic"  # a Gemini brief's own words
    assert services.brief_style(Brief(style="cinematic")) == ""
