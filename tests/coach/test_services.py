"""The coach's rules that hold however it is reached: the Free trial, and what a reply saves."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from billing.entitlements import coach_allowance
from billing.models import PlanGrant, UsageEntry
from billing.services import CoachLimitReached
from coach import services
from coach.engine.types import Brief
from coach.models import CoachMessage, CoachSession
from tests.factories import UserFactory


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
    PlanGrant.objects.create(user=studio, plan="studio", starts_at=timezone.now())

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
    services.reply_prepare(user_id=user.pk, session_id=session.pk, text="third")

    statuses = list(
        CoachMessage.objects.filter(session=session, role="coach").values_list("status", flat=True)
    )
    assert statuses == ["interrupted", "streaming"]
