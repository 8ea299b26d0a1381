"""The dashboard's reports, checked against events and rows made here and figures worked out
by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from analytics import services
from analytics.models import ActiveDay, Journey
from analytics.reports.cohorts import cohorts, monday
from analytics.reports.funnel import funnel
from analytics.reports.health import health, percentile
from analytics.reports.metrics import key_metrics
from analytics.reports.period import Period
from analytics.reports.traffic import traffic
from aurastream import events
from billing import payments
from billing.selectors import item_monthly_cents, revenue
from generation.models import GenerationJob
from tests.factories import CoachMessageFactory, CoachSessionFactory, GenerationJobFactory, UserFactory

TODAY = timezone.localdate()


def at(days_ago: int, hour: int = 12) -> dt.datetime:
    day = TODAY - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def page_view(days_ago: int, visitor: str, path: str = "/", **fields) -> events.Line:
    return events.new_line(events.PAGE_VIEW, at=at(days_ago), v=visitor, path=path, dev="desktop", **fields)


def product(name: str, user, days_ago: int, **properties) -> events.Line:
    return events.new_line(events.PRODUCT_EVENT, at=at(days_ago), n=name, u=user.pk, p=properties)


# --- Periods and percentiles --------------------------------------------------------------


def test_a_period_and_the_one_before_it():
    period = Period.last(7, today=dt.date(2026, 3, 10))
    assert (period.start, period.end, period.days) == (dt.date(2026, 3, 4), dt.date(2026, 3, 10), 7)
    assert period.previous() == Period(dt.date(2026, 2, 25), dt.date(2026, 3, 3))
    with pytest.raises(ValueError, match="starts before it ends"):
        Period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("p", "expected"),
    [(5, 15), (30, 20), (40, 20), (50, 35), (95, 50), (100, 50)],
)
def test_percentiles_are_nearest_rank(p, expected):
    # Wikipedia's worked example: 15, 20, 35, 40, 50.
    assert percentile([50, 15, 40, 20, 35], p) == expected


def test_percentile_of_nothing_is_none_and_p_must_be_a_percentage():
    assert percentile([], 50) is None
    assert percentile([7.5], 95) == 7.5
    with pytest.raises(ValueError, match="percentage"):
        percentile([1, 2], 0)


# --- Traffic ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_traffic_sums_daily_visitors_and_ranks_pages_referrers_and_campaigns():
    services.lines_store(
        [
            page_view(0, "a", "/", ref="google.com"),
            page_view(0, "a", "/pricing/", ref="google.com", utm_campaign="launch"),
            page_view(0, "b", "/"),
            page_view(1, "a", "/"),  # the same hash a day later: another day's visitor
            page_view(8, "c", "/"),  # the previous week
        ]
    )
    report = traffic(Period.last(7))
    assert (report.visitors, report.views) == (3, 4)
    assert (report.previous_visitors, report.previous_views) == (1, 1)
    assert report.visitors_change == 200.0
    tables = {table.name: table for table in report.tables()}
    assert list(tables["top_pages"].rows) == [("/", 3, 3), ("/pricing/", 1, 1)]
    assert list(tables["referrers"].rows) == [("google.com", 2, 1)]
    assert list(tables["utm_campaigns"].rows) == [("launch", 1, 1)]
    assert tables["traffic_daily"].rows[-1] == (TODAY, 2, 3, 0, 0)


# --- Funnel -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_funnel_counts_each_step_of_the_ranges_signups():
    ann, bob, cy, dee = UserFactory.create_batch(4)
    lines = [page_view(2, f"v{n}") for n in range(20)]
    for user in (ann, bob, cy, dee):
        lines.append(product(events.SIGNUP, user, 2, method="email"))
    for user in (ann, bob, cy):
        lines.append(product(events.EMAIL_VERIFIED, user, 2))
    for user in (ann, bob):
        lines.append(product(events.BRAND_KIT_CREATED, user, 1))
        lines.append(product(events.ASSET_CREATED, user, 1, asset_type="thumbnail"))
    lines.append(product(events.SUBSCRIPTION_STARTED, ann, 0, plan="pro"))
    # An asset without a brand kit doesn't skip the step before it.
    lines.append(product(events.ASSET_CREATED, dee, 1, asset_type="emote"))
    services.lines_store(lines)

    report = funnel(Period.last(7))
    assert [(s.label, s.count, s.conversion) for s in report.steps] == [
        ("Visitors", 20, None),
        ("Signed up", 4, 20.0),
        ("Verified email", 3, 75.0),
        ("Created a brand kit", 2, 66.7),
        ("Generated a first asset", 2, 100.0),
        ("Paid", 1, 50.0),
    ]
    assert report.overall == 5.0
    assert report.signup_to_paid == 25.0


# --- Cohorts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_weekly_cohorts_show_the_share_active_each_week_after_signup():
    today = monday(TODAY) + dt.timedelta(days=16)  # the Wednesday two weeks after a Monday
    week = monday(TODAY)
    users = UserFactory.create_batch(4)
    for user in users:
        Journey.objects.create(
            user=user, signed_up_at=timezone.make_aware(dt.datetime.combine(week, dt.time(9)))
        )
    active = {
        users[0]: [0, 8, 15],  # weeks 0, 1, 2
        users[1]: [1, 9],  # weeks 0, 1
        users[2]: [2],  # week 0
        users[3]: [16],  # week 2 only
    }
    for user, offsets in active.items():
        for offset in offsets:
            ActiveDay.objects.create(user=user, day=week + dt.timedelta(days=offset))

    report = cohorts(Period(week, today), today=today)
    assert report.weeks == 3
    [cohort] = report.cohorts
    assert (cohort.week, cohort.size) == (week, 4)
    assert cohort.retention[:4] == [75.0, 50.0, 50.0, None]
    assert report.table().rows[0][:5] == (week, 4, 75.0, 50.0, 50.0)


# --- Generation health --------------------------------------------------------------------


def _job(
    status, *, provider="gemini", waited=None, rendered=None, items=1, error="", spec_key="twitch.emote"
):
    job = GenerationJobFactory(status=status, provider=provider, error=error, spec_key=spec_key)
    created = at(1)
    started = created + dt.timedelta(seconds=waited - rendered) if waited is not None else None
    finished = created + dt.timedelta(seconds=waited) if waited is not None else None
    GenerationJob.objects.filter(pk=job.pk).update(
        created_at=created, started_at=started, finished_at=finished, items=[{"spec": spec_key}] * items
    )
    return job


@pytest.mark.django_db
def test_generation_health_counts_statuses_failures_latency_and_provider_cost(settings):
    settings.ANALYTICS_PROVIDER_COST_USD = {"local": 0.0, "gemini": 0.04}
    succeeded, failed = GenerationJob.Status.SUCCEEDED, GenerationJob.Status.FAILED
    for waited in (10, 20, 30, 40):
        _job(succeeded, waited=waited, rendered=waited / 2, items=2)
    _job(failed, waited=100, rendered=90, error="The image service timed out.")
    _job(failed, waited=5, rendered=1, error="The image service timed out.")
    _job(failed, provider="local", waited=2, rendered=1, error="Over the size limit.")
    _job(GenerationJob.Status.QUEUED)

    report = health(Period.last(7))
    assert report.statuses == [("Queued", 1), ("Succeeded", 4), ("Failed", 3)]
    assert report.failures == [("The image service timed out.", 2), ("Over the size limit.", 1)]
    gemini = next(row for row in report.by_provider if row.group == "gemini")
    # Waits 5, 10, 20, 30, 40, 100: nearest rank p50 = the 3rd (20), p95 = the 6th (100).
    assert (gemini.jobs, gemini.wait_p50, gemini.wait_p95) == (6, 20.0, 100.0)
    # Renders 1, 5, 10, 15, 20, 90.
    assert (gemini.render_p50, gemini.render_p95) == (10.0, 90.0)
    assert report.by_asset_type[0].group == "Twitch · Emote (static)"
    calls = {use.provider: (use.calls, use.cost) for use in report.providers}
    assert calls == {"gemini": (10, 0.4), "local": (1, 0.0)}
    assert report.cost == 0.4


# --- Key metrics and revenue --------------------------------------------------------------


def test_a_price_is_brought_to_a_month():
    def item(amount, interval, count=1, quantity=1):
        recurring = {"interval": interval, "interval_count": count}
        return {"price": {"unit_amount": amount, "recurring": recurring}, "quantity": quantity}

    assert item_monthly_cents(item(999, "month")) == 999
    assert item_monthly_cents(item(999, "month", quantity=3)) == 2997
    assert item_monthly_cents(item(12000, "year")) == 1000
    assert item_monthly_cents(item(3000, "month", count=3)) == 1000
    assert item_monthly_cents(item(100, "week")) == pytest.approx(433.33, abs=0.01)
    assert item_monthly_cents({"price": {"unit_amount": 500, "recurring": None}}) == 0


@pytest.mark.django_db
def test_mrr_and_paid_subscribers_come_from_the_stripe_mirror(fake_stripe):
    pro, studio, trial, gone = UserFactory.create_batch(4)
    for user, price, status in (
        (pro, "price_pro_monthly", "active"),
        (studio, "price_studio_monthly", "past_due"),
        (trial, "price_pro_monthly", "trialing"),
        (gone, "price_pro_monthly", "canceled"),
    ):
        customer = payments.customer_for(user)
        subscription = fake_stripe.subscription(customer=customer.id, price=price, status=status)
        if status == "canceled":
            fake_stripe.update(subscription["id"], ended_at=int(timezone.now().timestamp()) - 60)
        payments.subscription_sync(subscription["id"])

    money = revenue()
    assert (money.subscribers, money.subscriptions, money.mrr_cents) == (2, 2, 999 + 2999)
    # Two days ago the canceled one still paid.
    assert revenue(at=timezone.now() - dt.timedelta(hours=12)).mrr_cents == 999 + 2999 + 999

    metrics = {m.target.key: m for m in key_metrics(Period.last(30)).metrics}
    assert metrics["paid"].value == 2
    assert metrics["mrr"].value == 39.98
    assert metrics["mrr"].of_target == 2.0
    assert metrics["free_to_paid"].value == 50.0  # 2 of 4 creators


@pytest.mark.django_db
def test_key_metrics_count_monthly_active_users_and_assets_against_the_previous_period():
    ann, bob = UserFactory.create_batch(2)
    services.lines_store(
        [
            product(events.ASSET_CREATED, ann, 2, asset_type="emote"),
            product(events.ASSET_CREATED, ann, 2, asset_type="emote"),
            product(events.ASSET_CREATED, bob, 9, asset_type="thumbnail"),
        ]
    )
    metrics = {m.target.key: m for m in key_metrics(Period.last(7)).metrics}
    assert (metrics["mau"].value, metrics["mau"].previous) == (2, 1)
    assert metrics["mau"].change == 100.0
    assert (metrics["assets"].value, metrics["assets"].previous, metrics["assets"].in_range) == (3, 1, 2)
    assert metrics["assets"].of_target == 0.0


# --- Coach --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coach_usage_by_day_and_by_plan():
    from analytics.reports.coach import coach_usage

    session = CoachSessionFactory()
    CoachMessageFactory(session=session, role="user")
    CoachMessageFactory(session=session, role="coach", content="Try neon.")
    CoachMessageFactory(session=CoachSessionFactory(), role="user")
    services.lines_store([product(events.COACH_SESSION, session.user, 0, plan="pro")])

    report = coach_usage(Period.last(7))
    assert (report.sessions, report.messages, report.replies, report.creators) == (2, 2, 1, 2)
    assert report.days[-1].sessions == 2
    assert report.by_plan == [("pro", 1, 1)]
