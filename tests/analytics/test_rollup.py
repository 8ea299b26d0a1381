"""The roll-up: buffered lines into rows and daily figures, safely; the purge; privacy of
what is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import DataError, OperationalError, transaction
from django.utils import timezone

from analytics import services, tasks
from analytics.models import (
    ActiveDay,
    DailyEvent,
    DailyTraffic,
    Dimension,
    Journey,
    PageView,
    ProductEvent,
)
from aurastream import events
from tests.factories import UserFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def view(at: dt.datetime, visitor: str = "v1", path: str = "/", **fields) -> events.Line:
    return events.new_line(events.PAGE_VIEW, at=at, v=visitor, path=path, dev="desktop", si=False, **fields)


def product(name: str, user_id: int, at: dt.datetime, **properties) -> events.Line:
    return events.new_line(events.PRODUCT_EVENT, at=at, n=name, u=user_id, p=properties)


@pytest.mark.django_db
def test_rolling_up_the_same_lines_twice_counts_them_once():
    now = timezone.now()
    lines = [view(now, "a"), view(now, "a", "/pricing/"), view(now, "b", ref="twitch.tv")]
    for line in lines:
        events.push(line)
    assert services.rollup() == 3
    services.lines_store(lines)  # a crash after the commit re-offers the same batch
    total = DailyTraffic.objects.get(dimension=Dimension.TOTAL)
    assert (total.views, total.visitors) == (3, 2)
    assert DailyTraffic.objects.get(dimension=Dimension.REFERRER).value == "twitch.tv"
    assert PageView.objects.count() == 3


@pytest.mark.django_db
def test_lines_taken_but_not_stored_are_offered_again():
    events.push(view(timezone.now()))
    source = events.buffer()
    first = source.take(10)  # the roll-up dies here, before its commit
    assert len(first) == 1
    events.push(view(timezone.now(), "late"))
    assert source.take(10) == first  # the held lines come back first
    source.done()
    assert services.rollup() == 1  # then the rest


@pytest.mark.django_db
def test_a_database_outage_keeps_the_lines_in_the_buffer(monkeypatch):
    events.push(view(timezone.now()))

    def broken(days):
        raise OperationalError("database went away")

    monkeypatch.setattr(services, "traffic_recount", broken)
    with pytest.raises(OperationalError):
        services.rollup()
    assert PageView.objects.count() == 0
    monkeypatch.undo()
    assert services.rollup() == 1
    assert PageView.objects.count() == 1


@pytest.mark.django_db
def test_a_line_the_database_refuses_is_set_aside_and_the_rest_stored(monkeypatch):
    now = timezone.now()
    for path in ("/", "/refused/", "/pricing/"):
        events.push(view(now, path=path))
    storing = services._page_view

    def refusing(line, at):
        if line["path"] == "/refused/":
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return storing(line, at)

    monkeypatch.setattr(services, "_page_view", refusing)
    assert services.rollup() == 3
    assert set(PageView.objects.values_list("path", flat=True)) == {"/", "/pricing/"}
    assert services.rollup() == 0  # nothing left behind to block the next run


@pytest.mark.django_db
def test_control_characters_never_reach_the_database(client):
    client.get("/?utm_source=%00tw%01itch&utm_campaign=%3DHYPERLINK(1)", HTTP_USER_AGENT=FIREFOX)
    client.get("/", HTTP_USER_AGENT=FIREFOX, HTTP_REFERER="http://@=1+1/")
    services.lines_store([{**view(timezone.now(), path="/\x00x"), "utm_medium": "a\x00b"}])
    services.rollup()
    rows = list(PageView.objects.values("utm_source", "utm_medium", "utm_campaign", "referrer", "path"))
    assert {
        "utm_source": "twitch",
        "utm_medium": "",
        "utm_campaign": "=HYPERLINK(1)",
        "referrer": "",
        "path": "/",
    } in rows
    assert not any("\x00" in str(value) for row in rows for value in row.values())


@pytest.mark.django_db
def test_journeys_keep_first_times_and_the_latest_cancellation():
    user = UserFactory()
    # Early in a day, so every event below (the latest 5 hours on) falls on that same day.
    day = (timezone.now() - dt.timedelta(days=3)).replace(hour=6, minute=0, second=0, microsecond=0)
    lines = [
        product(events.SIGNUP, user.pk, day, method="email"),
        product(events.ASSET_CREATED, user.pk, day + dt.timedelta(hours=2), asset_type="twitch.emote"),
        product(events.ASSET_CREATED, user.pk, day + dt.timedelta(hours=1), asset_type="youtube.thumbnail"),
        product(events.SUBSCRIPTION_CANCELLED, user.pk, day + dt.timedelta(days=1), plan="pro"),
        product(events.SUBSCRIPTION_CANCELLED, user.pk, day + dt.timedelta(days=2), plan="pro"),
    ]
    services.lines_store(lines)
    services.lines_store([product(events.ASSET_CREATED, user.pk, day + dt.timedelta(hours=5))])
    journey = Journey.objects.get(user=user)
    assert journey.signed_up_at == day
    assert journey.first_asset_at == day + dt.timedelta(hours=1)
    assert journey.cancelled_at == day + dt.timedelta(days=2)
    assets = DailyEvent.objects.filter(name=events.ASSET_CREATED, day=timezone.localdate(day))
    assert {row.detail: row.events for row in assets} == {"": 3, "twitch.emote": 1, "youtube.thumbnail": 1}
    assert ActiveDay.objects.filter(user=user).count() == 1  # a cancellation (Stripe) is no activity


@pytest.mark.django_db
def test_events_of_a_deleted_account_are_kept_without_it():
    gone = UserFactory()
    line = product(events.SIGNUP, gone.pk, timezone.now())
    gone.delete()
    services.lines_store([line])
    assert ProductEvent.objects.get().user_id is None
    assert not Journey.objects.exists()
    assert DailyEvent.objects.get(detail="").events == 1


@pytest.mark.django_db
def test_lines_older_than_the_raw_window_are_dropped(settings):
    old = timezone.now() - dt.timedelta(days=settings.ANALYTICS_RAW_DAYS + 1)
    services.lines_store([view(old), {"k": "pv", "id": "x", "at": "not a time"}])
    assert not PageView.objects.exists()
    assert not DailyTraffic.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_transaction_records_no_event(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signup = transaction.atomic()
        signup.__enter__()
        events.record(events.SIGNUP, user=user)
        signup.__exit__(ValueError, ValueError("the signup failed"), None)  # rolled back
    with django_capture_on_commit_callbacks(execute=True):
        events.record(events.SIGNUP, user=user, method="email")
    services.rollup()
    assert ProductEvent.objects.count() == 1


def test_an_unknown_event_name_is_refused():
    with pytest.raises(ValueError, match="unknown product event"):
        events.record("sign_up", user=1)


@pytest.mark.django_db
def test_the_purge_removes_raw_events_past_the_window_and_keeps_daily_figures(settings):
    now = timezone.now()
    services.lines_store([view(now - dt.timedelta(days=29)), view(now - dt.timedelta(days=1))])
    user = UserFactory()
    services.lines_store([product(events.SIGNUP, user.pk, now - dt.timedelta(days=20))])
    later = now + dt.timedelta(days=12)  # 41 and 13 days old then; the event 32
    assert services.purge(now=later) == 2
    assert PageView.objects.count() == 1
    assert not ProductEvent.objects.exists()
    assert DailyTraffic.objects.filter(dimension=Dimension.TOTAL).count() == 2
    assert DailyEvent.objects.exists()
    assert Journey.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_purge_task_runs_on_the_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["analytics-purge"]["task"] == "analytics.purge"
    assert schedule["analytics-rollup"]["task"] == "analytics.rollup"
    old, recent = (timezone.now() - dt.timedelta(days=days) for days in (31, 29))
    for index, at in enumerate((old, recent)):
        PageView.objects.create(event_id=f"e{index}", at=at, visitor="v", path="/", device="desktop")
    assert tasks.purge.delay().get() == 1
    assert PageView.objects.get().at == recent


@pytest.mark.django_db
def test_no_analytics_column_holds_an_address_an_agent_or_an_email(client):
    """Every analytics table, after real requests and events: nothing that identifies a person."""
    user = UserFactory(email="private.person@example.com")
    address, agent = "198.51.100.23", FIREFOX + " PrivateAgent/7"
    client.get(
        "/?utm_source=newsletter", HTTP_USER_AGENT=agent, REMOTE_ADDR=address, HTTP_REFERER="https://x.com/a"
    )
    client.force_login(user)
    client.get("/dashboard/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    services.lines_store([product(events.SIGNUP, user.pk, timezone.now(), method="email")])
    services.rollup()
    assert PageView.objects.count() == 2
    forbidden = ("ip", "address", "user_agent", "agent", "ua", "email", "cookie", "url")
    for model in apps.get_app_config("analytics").get_models():
        for field in model._meta.concrete_fields:
            assert field.name not in forbidden, f"{model.__name__}.{field.name}"
        for row in model.objects.values():
            text = " ".join(str(value) for value in row.values())
            for secret in (address, "PrivateAgent", "private.person", "x.com/a"):
                assert secret not in text, f"{model.__name__} holds {secret!r}: {row}"


@pytest.mark.django_db
def test_a_second_roll_up_while_one_runs_does_nothing():
    events.push(view(timezone.now()))
    with events.exclusive() as first:
        assert first
        assert services.rollup() == 0  # another process is rolling up
    assert services.rollup() == 1
