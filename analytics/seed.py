"""Demo figures for the staff dashboard (``manage.py seed_analytics``): some days of traffic,
creators who signed up and came back, their generation jobs and coach sessions, and a few
Stripe subscriptions in the local dj-stripe mirror. Deterministic for a given seed.

The creators it makes have addresses at ``SEED_DOMAIN`` and no usable password; running it
again removes them (with their jobs, sessions, journeys and subscriptions) and rewrites the
daily figures of the days it covers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from djstripe.models import Customer, Subscription

from aurastream.db import system_work
from coach.models import CoachMessage, CoachSession
from generation.items import JobItem
from generation.models import GenerationJob
from workspaces.models import InWorkspace, fill_workspaces

from .models import ActiveDay, DailyEvent, DailyTraffic, Dimension, EventName, Journey

SEED_DOMAIN = "seed.aurastream.invalid"
CUSTOMER_PREFIX = "cus_seed_"
PAGES = {
    "/": 30, "/pricing/": 12, "/dashboard/": 15, "/generate/": 12, "/library/": 10,
    "/coach/": 8, "/quick/": 6, "/brand-kits/": 4, "/share/<str:token>/": 3,
}  # fmt: skip
REFERRERS = {
    "google.com": 30,
    "x.com": 10,
    "reddit.com": 8,
    "youtube.com": 7,
    "twitch.tv": 6,
    "discord.com": 4,
}
SOURCES = {"twitter": 5, "newsletter": 3, "youtube": 2}
CAMPAIGNS = {"launch-week": (10, 24, 12), "creator-spotlight": (30, 90, 3), "holiday-emotes": (60, 80, 6)}
DEVICES = {"desktop": 62, "mobile": 33, "tablet": 5}
SPECS = {
    "youtube.thumbnail": 30, "twitch.emote": 18, "twitch.sub_badge": 8, "twitch.panel": 6,
    "stream.starting_soon": 8, "stream.overlay": 6, "twitch.offline_banner": 5, "youtube.channel_banner": 5,
    "discord.server_icon": 4, "kick.emote": 3,
}  # fmt: skip
FAILURES = {
    "The image service took too long to answer. Nothing was charged; please try again.": 5,
    "The image service declined this prompt. Try describing it differently.": 3,
    "We couldn't reach the image service. Nothing was charged; please try again.": 2,
    "The finished image was over the platform's file size limit.": 1,
}
PLANS = {"pro": 999, "studio": 2999}


@dataclass
class Creator:
    id: int
    joined: dt.datetime
    journey: Journey
    plan: str = "free"
    active: set[dt.date] = field(default_factory=set)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _split(total: int, weights: Mapping[str, float], rng: random.Random) -> dict[str, int]:
    """``total`` shared out by ``weights``, with a little noise (the parts add up to at most it)."""
    scale = sum(weights.values())
    return {key: int(total * weight / scale * rng.uniform(0.8, 1.2)) for key, weight in weights.items()}


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.time(rng.randint(7, 23), rng.randint(0, 59), rng.randint(0, 59))
    return timezone.make_aware(dt.datetime.combine(day, moment))


def seed_analytics(*, days: int, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    """Fill ``days`` days ending ``today`` with demo figures; what was made, by kind."""
    rng = random.Random(seed)  # noqa: S311  demo figures, repeatable by design: no secret here
    today = today or timezone.localdate()
    dates = [today - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    with system_work(), transaction.atomic():
        seed_clear(dates[0], today)
        visitors = _traffic(dates, rng)
        creators = _creators(dates, visitors, rng)
        jobs = _jobs(dates, creators, rng)
        sessions = _coach(dates, creators, rng)
        subscriptions = _subscriptions(creators, today, rng)
        _daily_events(creators, jobs, sessions)
    return {
        "days": days,
        "visitors": sum(visitors.values()),
        "creators": len(creators),
        "jobs": len(jobs),
        "coach_sessions": len(sessions),
        "subscriptions": subscriptions,
    }


def seed_clear(first: dt.date, last: dt.date) -> None:
    """Remove an earlier run's creators (and all that hangs on them) and the days' figures."""
    Customer.objects.filter(id__startswith=CUSTOMER_PREFIX).delete()
    get_user_model().objects.filter(email__endswith=f"@{SEED_DOMAIN}").delete()
    DailyTraffic.objects.filter(day__gte=first, day__lte=last).delete()
    DailyEvent.objects.filter(day__gte=first, day__lte=last).delete()


def _traffic(dates: list[dt.date], rng: random.Random) -> dict[dt.date, int]:
    rows, visitors_of = [], {}
    for index, day in enumerate(dates):
        growth = 0.6 + 0.8 * index / max(1, len(dates) - 1)
        weekday = 0.8 if day.weekday() >= 5 else 1.0
        visitors = max(5, int(140 * growth * weekday * rng.uniform(0.85, 1.15)))
        views = int(visitors * rng.uniform(2.2, 3.4))
        visitors_of[day] = visitors
        rows.append(
            DailyTraffic(day=day, dimension=Dimension.TOTAL, value="", views=views, visitors=visitors)
        )
        campaigns = {name: weight for name, (start, end, weight) in CAMPAIGNS.items() if start <= index < end}
        splits = {
            Dimension.PAGE: (_split(views, PAGES, rng), 1.6),
            Dimension.REFERRER: (_split(int(views * 0.55), REFERRERS, rng), 2.2),
            Dimension.UTM_SOURCE: (_split(int(views * 0.12), SOURCES, rng), 2.4),
            Dimension.UTM_CAMPAIGN: (
                _split(int(views * 0.02 * sum(campaigns.values())), campaigns, rng),
                2.4,
            ),
            Dimension.DEVICE: (_split(views, DEVICES, rng), views / visitors),
            Dimension.AUDIENCE: (_split(views, {"signed in": 35, "signed out": 65}, rng), 2.0),
        }
        for dimension, (parts, per_visitor) in splits.items():
            for value, count in parts.items():
                if count:
                    seen = min(visitors, max(1, round(count / per_visitor)))
                    rows.append(
                        DailyTraffic(day=day, dimension=dimension, value=value, views=count, visitors=seen)
                    )
    DailyTraffic.objects.bulk_create(rows)
    return visitors_of


def _creators(dates: list[dt.date], visitors: dict[dt.date, int], rng: random.Random) -> list[Creator]:
    User = get_user_model()
    users: list[Any] = []  # the User model's instances (get_user_model() is untyped)
    for day in dates:
        for _ in range(max(0, round(visitors[day] * 0.025 * rng.uniform(0.5, 1.5)))):
            number = len(users) + 1
            user = User(email=f"creator-{number:04d}@{SEED_DOMAIN}", display_name=f"Demo creator {number}")
            user.date_joined = _at(day, rng)
            user.set_unusable_password()
            users.append(user)
    User.objects.bulk_create(users)
    ids = dict(User.objects.filter(email__endswith=f"@{SEED_DOMAIN}").values_list("email", "pk"))
    creators = []
    last = timezone.make_aware(dt.datetime.combine(dates[-1], dt.time.max))
    for user in users:
        journey = _journey(ids[user.email], user.date_joined, last, rng)
        creator = Creator(ids[user.email], user.date_joined, journey)
        if journey.paid_at:
            creator.plan = "studio" if rng.random() < 0.2 else "pro"
        creator.active = _active_days(creator, dates[-1], rng)
        creators.append(creator)
    Journey.objects.bulk_create([creator.journey for creator in creators])
    ActiveDay.objects.bulk_create(
        [ActiveDay(user_id=creator.id, day=day) for creator in creators for day in sorted(creator.active)]
    )
    return creators


def _journey(user_id: int, joined: dt.datetime, last: dt.datetime, rng: random.Random) -> Journey:
    def later(after: dt.datetime | None, chance: float, hours: float) -> dt.datetime | None:
        if after is None or rng.random() > chance:
            return None
        when = after + dt.timedelta(hours=rng.expovariate(1 / hours))
        return when if when <= last else None

    journey = Journey(user_id=user_id, signed_up_at=joined)
    journey.verified_at = later(joined, 0.8, 0.5)
    journey.first_brand_kit_at = later(journey.verified_at, 0.62, 6)
    journey.first_asset_at = later(journey.first_brand_kit_at or journey.verified_at, 0.7, 12)
    journey.first_coach_at = later(journey.verified_at, 0.35, 30)
    journey.checkout_started_at = later(journey.first_asset_at, 0.16, 96)
    journey.paid_at = later(journey.checkout_started_at, 0.7, 1)
    return journey


def _active_days(creator: Creator, today: dt.date, rng: random.Random) -> set[dt.date]:
    joined = timezone.localdate(creator.joined)
    days = {joined}
    stickiness = 0.9 if creator.journey.paid_at else 0.55 if creator.journey.first_asset_at else 0.3
    for week in range(1, (today - joined).days // 7 + 2):
        if rng.random() < stickiness * 0.82**week + 0.06:
            for _ in range(rng.randint(1, 4)):
                day = joined + dt.timedelta(days=7 * week + rng.randint(-3, 3))
                if joined < day <= today:
                    days.add(day)
    return days


def _jobs(dates: list[dt.date], creators: list[Creator], rng: random.Random) -> list[GenerationJob]:
    makers = [creator for creator in creators if creator.journey.first_asset_at]
    jobs = []
    for day in dates:
        present = [
            c for c in makers if day in c.active and timezone.localdate(c.journey.first_asset_at) <= day
        ]
        for creator in present:
            for _ in range(rng.randint(1, 4 if creator.plan != "free" else 2)):
                jobs.append(_job(creator, _at(day, rng), rng))
    for job in jobs[-3:]:  # the latest are still on their way
        job.status, job.started_at, job.finished_at, job.error = (
            GenerationJob.Status.RUNNING,
            job.created_at,
            None,
            "",
        )
    _bulk_create_dated(GenerationJob, jobs)
    return jobs


def _job(creator: Creator, created: dt.datetime, rng: random.Random) -> GenerationJob:
    spec = _weighted(rng, SPECS)
    provider = "gemini" if rng.random() < 0.7 else "local"
    count = rng.choice((1, 1, 1, 2, 4)) if rng.random() > 0.08 else 5
    items = [JobItem(spec=spec, prompt="demo", seed=rng.randint(1, 10**6)).to_json() for _ in range(count)]
    roll = rng.random()
    status = GenerationJob.Status
    outcome = status.SUCCEEDED if roll < 0.9 else status.FAILED if roll < 0.97 else status.CANCELED
    queued = rng.lognormvariate(0.7, 0.9)
    per_item = rng.lognormvariate(2.3, 0.45) if provider == "gemini" else rng.lognormvariate(0.9, 0.3)
    started = created + dt.timedelta(seconds=queued)
    finished = started + dt.timedelta(seconds=per_item * count)
    return GenerationJob(
        user_id=creator.id,
        status=outcome,
        stage="done" if outcome == status.SUCCEEDED else "rendering",
        progress=100 if outcome == status.SUCCEEDED else 40,
        error=_weighted(rng, FAILURES) if outcome == status.FAILED else "",
        spec_key=spec,
        prompt="demo",
        seed=rng.randint(1, 10**6),
        items=items,
        variants=min(4, count),
        provider=provider,
        model="gemini-2.5-flash-image" if provider == "gemini" else "local",
        cost=count,
        created_at=created,
        started_at=started,
        finished_at=finished,
    )


def _coach(dates: list[dt.date], creators: list[Creator], rng: random.Random) -> list[CoachSession]:
    coached = [creator for creator in creators if creator.journey.first_coach_at]
    sessions, messages = [], []
    for day in dates:
        for creator in coached:
            started = timezone.localdate(creator.journey.first_coach_at)
            if day in creator.active and started <= day and rng.random() < 0.5:
                sessions.append(
                    CoachSession(user_id=creator.id, title="Demo idea", seed=1, created_at=_at(day, rng))
                )
    _bulk_create_dated(CoachSession, sessions)
    for session in sessions:
        for turn in range(rng.randint(1, 6)):
            at = session.created_at + dt.timedelta(minutes=2 * turn)
            messages.append(CoachMessage(session=session, role="user", content="demo", created_at=at))
            replied = at + dt.timedelta(seconds=20)
            messages.append(CoachMessage(session=session, role="coach", content="demo", created_at=replied))
    _bulk_create_dated(CoachMessage, messages)
    return sessions


def _bulk_create_dated(model: type[Model], rows: Sequence[Model]) -> None:
    """Create ``rows`` with the ``created_at`` they were given (an auto_now_add field: saving
    stamps "now" on each, so the times are put back and written again)."""
    created = [row.created_at for row in rows]  # type: ignore[attr-defined]  # every seeded model has one
    if issubclass(model, InWorkspace):
        fill_workspaces(rows)  # type: ignore[arg-type]  # rows of that model
    model.objects.bulk_create(rows, batch_size=500)  # type: ignore[attr-defined]  # a concrete model
    for row, at in zip(rows, created, strict=True):
        row.created_at = at  # type: ignore[attr-defined]  # as above
    model.objects.bulk_update(rows, ["created_at"], batch_size=500)  # type: ignore[attr-defined]  # as above


def _subscriptions(creators: list[Creator], today: dt.date, rng: random.Random) -> int:
    """A subscription in the local Stripe mirror for each creator who paid (a few since ended)."""
    prices = {"pro": settings.STRIPE_PRICE_PRO or "price_seed_pro", "studio": settings.STRIPE_PRICE_STUDIO}
    customers, subscriptions = [], []
    for creator in creators:
        paid_at = creator.journey.paid_at
        if paid_at is None:
            continue
        customer = Customer(id=f"{CUSTOMER_PREFIX}{creator.id}", subscriber_id=creator.id, livemode=False)
        ended = paid_at + dt.timedelta(days=rng.randint(10, 40)) if rng.random() < 0.12 else None
        ended = ended if ended and timezone.localdate(ended) <= today else None
        price = {
            "id": prices[creator.plan] or f"price_seed_{creator.plan}",
            "object": "price",
            "unit_amount": PLANS[creator.plan],
            "currency": "usd",
            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
        }
        data = {
            "id": f"sub_seed_{creator.id}",
            "object": "subscription",
            "status": "canceled" if ended else "active",
            "start_date": int(paid_at.timestamp()),
            "ended_at": int(ended.timestamp()) if ended else None,
            "items": {
                "object": "list",
                "data": [{"object": "subscription_item", "price": price, "quantity": 1}],
            },
        }
        customers.append(customer)
        subscriptions.append(
            Subscription(id=data["id"], customer=customer, livemode=False, created=paid_at, stripe_data=data)
        )
    Customer.objects.bulk_create(customers)
    Subscription.objects.bulk_create(subscriptions)
    return len(subscriptions)


def _daily_events(creators: list[Creator], jobs: list[GenerationJob], sessions: list[CoachSession]) -> None:
    """The product events' daily figures, as the roll-up would have counted them: each day's
    total and, for the events split by a property (analytics.services.DETAIL_OF), by it."""
    counted: dict[tuple[dt.date, str], Counter[tuple[str, int]]] = defaultdict(Counter)
    plan_of = {creator.id: creator.plan for creator in creators}
    steps: dict[str, tuple[str, Callable[[Creator], str]]] = {
        EventName.SIGNUP: ("signed_up_at", lambda creator: rng_method(creator.id)),
        EventName.EMAIL_VERIFIED: ("verified_at", lambda creator: ""),
        EventName.BRAND_KIT_CREATED: ("first_brand_kit_at", lambda creator: ""),
        EventName.CHECKOUT_STARTED: ("checkout_started_at", lambda creator: creator.plan),
        EventName.SUBSCRIPTION_STARTED: ("paid_at", lambda creator: creator.plan),
    }
    for creator in creators:
        for event, (step, detail_of) in steps.items():
            at = getattr(creator.journey, step)
            if at is not None:
                counted[(timezone.localdate(at), event)][(detail_of(creator), creator.id)] += 1
    for job in jobs:
        if job.status == GenerationJob.Status.SUCCEEDED:
            day, asset_type = timezone.localdate(job.created_at), job.spec_key.split(".")[-1]
            counted[(day, EventName.ASSET_CREATED)][(asset_type, job.user_id)] += len(job.items)
    for session in sessions:
        day = timezone.localdate(session.created_at)
        counted[(day, EventName.COACH_SESSION)][(plan_of[session.user_id], session.user_id)] += 1
    rows = []
    for (day, event), by_detail in counted.items():
        for detail in ["", *sorted({detail for detail, _ in by_detail} - {""})]:
            kept = {key: n for key, n in by_detail.items() if not detail or key[0] == detail}
            users = {user for _, user in kept}
            rows.append(
                DailyEvent(day=day, name=event, detail=detail, events=sum(kept.values()), users=len(users))
            )
    DailyEvent.objects.bulk_create(rows)


def rng_method(user_id: int) -> str:
    """How a demo creator signed up (most by email, some through a platform)."""
    return ("email", "email", "email", "google", "twitch", "discord")[user_id % 6]


def seed_allowed() -> bool:
    """Demo data has no place in production (the command asks for --force there)."""
    return not str(getattr(settings, "SETTINGS_MODULE", "")).endswith("production")
