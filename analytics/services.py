"""The roll-up: buffered lines into raw rows, raw rows into daily figures, and the purge.

``rollup`` is safe to run twice and after a crash: the buffer holds its lines until the
database has them (aurastream.events.taken), each line's id is unique in the raw tables, and
a day's figures are recounted from its raw rows rather than added to.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from aurastream import events
from aurastream.db import system_work
from aurastream.outages import DATABASE_DOWN

from .models import ActiveDay, DailyEvent, DailyTraffic, Dimension, EventName, Journey, PageView, ProductEvent

logger = logging.getLogger(__name__)

# The event that marks each step of a creator's journey (the first time, but for a
# cancellation: the latest).
JOURNEY_STEPS = {
    EventName.SIGNUP: "signed_up_at",
    EventName.EMAIL_VERIFIED: "verified_at",
    EventName.BRAND_KIT_CREATED: "first_brand_kit_at",
    EventName.ASSET_CREATED: "first_asset_at",
    EventName.PACK_CREATED: "first_pack_at",
    EventName.COACH_SESSION: "first_coach_at",
    EventName.CHECKOUT_STARTED: "checkout_started_at",
    EventName.SUBSCRIPTION_STARTED: "paid_at",
    EventName.SUBSCRIPTION_CANCELLED: "cancelled_at",
}
LATEST_STEPS = {"cancelled_at"}
# The property a product event's daily figures are split by, when it has one.
DETAIL_OF = {
    EventName.ASSET_CREATED: "asset_type",
    EventName.PACK_CREATED: "pack",
    EventName.CHECKOUT_STARTED: "plan",
    EventName.SUBSCRIPTION_STARTED: "plan",
    EventName.SUBSCRIPTION_CANCELLED: "plan",
    EventName.COACH_SESSION: "plan",
    EventName.SIGNUP: "method",
}
TRAFFIC_FIELDS = {
    Dimension.PAGE: "path",
    Dimension.REFERRER: "referrer",
    Dimension.UTM_SOURCE: "utm_source",
    Dimension.UTM_MEDIUM: "utm_medium",
    Dimension.UTM_CAMPAIGN: "utm_campaign",
    Dimension.DEVICE: "device",
    Dimension.COUNTRY: "country",
    Dimension.AUDIENCE: "signed_in",
}
BATCH = 5000
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def rollup(*, batches: int = 20) -> int:
    """Move buffered lines into the database and recount the days they touched; the number of
    lines taken. Stops after ``batches`` batches (the next run takes the rest)."""
    taken = 0
    with events.exclusive() as ours:
        if not ours:
            logger.info("analytics roll-up already running elsewhere; this one does nothing")
            return 0
        for _ in range(batches):
            with events.taken(BATCH) as lines:
                if lines:
                    batch_store(lines)
            taken += len(lines)
            if len(lines) < BATCH:
                break
    return taken


def batch_store(lines: list[events.Line]) -> None:
    """Store a batch, committed before the buffer lets it go (a crash re-offers it). A database
    that is down keeps the batch for the next run; a line the database refuses (whatever it
    holds) is set aside on its own, so it can't hold up the lines behind it forever."""
    try:
        with system_work():
            lines_store(lines)
        return
    except DATABASE_DOWN:
        raise
    except Exception:
        logger.exception("analytics roll-up: a batch failed; storing its %s lines one by one", len(lines))
    for line in lines:
        try:
            with system_work():
                lines_store([line])
        except DATABASE_DOWN:
            raise
        except Exception:
            logger.exception("analytics roll-up: dropped a line the database refused")


def lines_store(lines: list[events.Line]) -> None:
    """Store one batch of buffered lines and recount what they touched (in the caller's
    transaction)."""
    # The first day whose raw rows are all still kept (a day the purge has begun on can't be
    # recounted, so a late line for it is dropped).
    first_day = timezone.localdate(timezone.now() - dt.timedelta(days=settings.ANALYTICS_RAW_DAYS))
    first_day += dt.timedelta(days=1)
    views: list[PageView] = []
    product: list[ProductEvent] = []
    active: set[tuple[int, dt.date]] = set()
    for line in lines:
        at = parse_datetime(str(line.get("at", "")))
        if at is None or timezone.localdate(at) < first_day:
            continue  # unreadable, or older than the days we still keep whole
        if line.get("k") == events.PAGE_VIEW:
            views.append(_page_view(line, at))
        elif line.get("k") == events.PRODUCT_EVENT and line.get("n") in EventName.values:
            product.append(_product_event(line, at))
        if isinstance(line.get("u"), int) and line.get("n") not in events.PASSIVE:
            active.add((line["u"], timezone.localdate(at)))
    users = _existing_users({user for user, _ in active} | {e.user_id for e in product if e.user_id})
    for event in product:
        if event.user_id not in users:
            event.user_id = None  # the account has gone since
    product = _not_stored_yet(product)
    PageView.objects.bulk_create(views, ignore_conflicts=True)
    ProductEvent.objects.bulk_create(product, ignore_conflicts=True)
    ActiveDay.objects.bulk_create(
        [ActiveDay(user_id=user, day=day) for user, day in active if user in users], ignore_conflicts=True
    )
    traffic_recount({timezone.localdate(view.at) for view in views})
    events_recount({timezone.localdate(event.at) for event in product})
    journeys_update(product)


def _page_view(line: events.Line, at: dt.datetime) -> PageView:
    return PageView(
        event_id=str(line["id"])[:32],
        at=at,
        visitor=_text(line.get("v"), 16),
        path=_text(line.get("path"), 200),
        signed_in=bool(line.get("si")),
        referrer=_text(line.get("ref"), 120),
        utm_source=_text(line.get("utm_source"), 100),
        utm_medium=_text(line.get("utm_medium"), 100),
        utm_campaign=_text(line.get("utm_campaign"), 100),
        device=_text(line.get("dev"), 10) or "desktop",
        country=_text(line.get("c"), 2),
    )


def _text(value: object, limit: int) -> str:
    """A buffered value as storable text: no control characters (PostgreSQL refuses a NUL)."""
    return UNPRINTABLE.sub("", "" if value is None else str(value))[:limit]


def _product_event(line: events.Line, at: dt.datetime) -> ProductEvent:
    given = line.get("p")
    if not isinstance(given, dict):
        given = {}
    # Our own small values; made storable all the same (no control characters, short).
    properties = {
        _text(key, 40): _text(value, 60) if isinstance(value, str) else value
        for key, value in given.items()
        if value is None or isinstance(value, str | int | float | bool)
    }
    user = line.get("u")
    return ProductEvent(
        event_id=str(line["id"])[:32],
        at=at,
        name=line["n"],
        user_id=user if isinstance(user, int) else None,
        properties=properties,
    )


def _not_stored_yet(product: list[ProductEvent]) -> list[ProductEvent]:
    """The events of a batch that no earlier line stored: a keyed event recorded again (a
    redelivered webhook, a re-offered batch) moves no journey a second time."""
    first = {event.event_id: event for event in reversed(product)}
    stored = set(ProductEvent.objects.filter(event_id__in=list(first)).values_list("event_id", flat=True))
    return [event for event in product if first[event.event_id] is event and event.event_id not in stored]


def _existing_users(ids: Iterable[int]) -> set[int]:
    return set(get_user_model().objects.filter(pk__in=list(ids)).values_list("pk", flat=True))


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def traffic_recount(days: Iterable[dt.date]) -> None:
    """Recount each day's page views and visitors, in total and by every dimension."""
    for day in sorted(days):
        start, end = _day_bounds(day)
        views = PageView.objects.filter(at__gte=start, at__lt=end)
        rows = []
        total = views.aggregate(views=Count("pk"), visitors=Count("visitor", distinct=True))
        rows.append(DailyTraffic(day=day, dimension=Dimension.TOTAL, value="", **total))
        for dimension, field in TRAFFIC_FIELDS.items():
            split = views.values(field).annotate(views=Count("pk"), visitors=Count("visitor", distinct=True))
            for row in split:
                value = row[field]
                if dimension == Dimension.AUDIENCE:
                    value = "signed in" if value else "signed out"
                elif not value:
                    continue  # direct visits, no campaign, no country: only in the total
                counts = {"views": row["views"], "visitors": row["visitors"]}
                rows.append(DailyTraffic(day=day, dimension=dimension, value=str(value), **counts))
        DailyTraffic.objects.filter(day=day).delete()
        DailyTraffic.objects.bulk_create(rows)


def events_recount(days: Iterable[dt.date]) -> None:
    """Recount each day's product events, in total and split by their detail."""
    for day in sorted(days):
        start, end = _day_bounds(day)
        raw = ProductEvent.objects.filter(at__gte=start, at__lt=end)
        rows = [
            DailyEvent(day=day, name=row["name"], events=row["events"], users=row["users"])
            for row in raw.values("name").annotate(events=Count("pk"), users=Count("user", distinct=True))
        ]
        for name, key in DETAIL_OF.items():
            split = (
                raw.filter(name=name)
                .values(f"properties__{key}")
                .annotate(events=Count("pk"), users=Count("user", distinct=True))
            )
            for row in split:
                detail = row[f"properties__{key}"]
                if detail not in (None, ""):
                    counts = {"events": row["events"], "users": row["users"]}
                    rows.append(DailyEvent(day=day, name=name, detail=str(detail)[:60], **counts))
        DailyEvent.objects.filter(day=day).delete()
        DailyEvent.objects.bulk_create(rows)


def journeys_update(product: list[ProductEvent]) -> None:
    """Move each creator's journey forward with this batch's events (first times, and the
    latest cancellation)."""
    steps: dict[int, dict[str, dt.datetime]] = {}
    for event in product:
        field = JOURNEY_STEPS.get(EventName(event.name))
        if event.user_id is None or field is None:
            continue
        seen = steps.setdefault(event.user_id, {})
        current = seen.get(field)
        later = field in LATEST_STEPS
        if current is None or (event.at > current if later else event.at < current):
            seen[field] = event.at
    if not steps:
        return
    journeys = Journey.objects.select_for_update().in_bulk(list(steps))
    for user_id, seen in steps.items():
        journey = journeys.get(user_id) or Journey(user_id=user_id)
        for field, at in seen.items():
            current = getattr(journey, field)
            later = field in LATEST_STEPS
            if current is None or (at > current if later else at < current):
                setattr(journey, field, at)
        journey.save()


def purge(*, now: dt.datetime | None = None) -> int:
    """Delete raw page views and product events older than ``ANALYTICS_RAW_DAYS`` (the daily
    figures and journeys stay); the number of rows deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.ANALYTICS_RAW_DAYS)
    views, _ = PageView.objects.filter(at__lt=cutoff).delete()
    product, _ = ProductEvent.objects.filter(at__lt=cutoff).delete()
    return views + product
