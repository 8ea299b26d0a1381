"""Visitors and page views, and where they came from, from the daily traffic roll-ups.

A range's visitors are the sum of its days' visitors: the hash's salt changes every day, so
one person on three days is three visitors (there is no way, by design, to tell)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from ..models import DailyTraffic, Dimension
from .period import Period, change
from .tables import Table

TOP = 10
# The breakdowns shown, with their table's name and title.
BREAKDOWNS = {
    Dimension.PAGE: ("top_pages", "Top pages"),
    Dimension.REFERRER: ("referrers", "Referrers"),
    Dimension.UTM_SOURCE: ("utm_sources", "UTM sources"),
    Dimension.UTM_CAMPAIGN: ("utm_campaigns", "UTM campaigns"),
    Dimension.DEVICE: ("devices", "Devices"),
}


@dataclass(frozen=True)
class Day:
    day: dt.date
    visitors: int
    views: int
    previous_visitors: int  # the same day of the previous period
    previous_views: int


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    rows: list[tuple[str, int, int]]  # value, views, visitors; most viewed first


@dataclass(frozen=True)
class Traffic:
    period: Period
    days: list[Day]
    breakdowns: list[Breakdown]

    @property
    def visitors(self) -> int:
        return sum(day.visitors for day in self.days)

    @property
    def views(self) -> int:
        return sum(day.views for day in self.days)

    @property
    def previous_visitors(self) -> int:
        return sum(day.previous_visitors for day in self.days)

    @property
    def previous_views(self) -> int:
        return sum(day.previous_views for day in self.days)

    @property
    def visitors_change(self) -> float | None:
        return change(self.visitors, self.previous_visitors)

    @property
    def views_change(self) -> float | None:
        return change(self.views, self.previous_views)

    def daily_table(self) -> Table:
        return Table(
            "traffic_daily",
            "Visitors and page views by day",
            ("Day", "Visitors", "Page views", "Visitors, previous period", "Page views, previous period"),
            [(d.day, d.visitors, d.views, d.previous_visitors, d.previous_views) for d in self.days],
        )

    def breakdown_table(self, breakdown: Breakdown) -> Table:
        name, title = BREAKDOWNS[Dimension(breakdown.dimension)]
        label = Dimension(breakdown.dimension).label
        note = f"The {TOP} with the most page views." if len(breakdown.rows) == TOP else ""
        return Table(name, title, (label, "Page views", "Visitors"), list(breakdown.rows), note)

    def tables(self) -> list[Table]:
        return [self.daily_table(), *(self.breakdown_table(b) for b in self.breakdowns)]


def traffic(period: Period) -> Traffic:
    """The range's daily totals beside the previous period's, and its top pages, referrers,
    UTM sources and campaigns and devices (one query for the days, one per breakdown)."""
    previous = period.previous()
    totals = {
        row["day"]: row
        for row in DailyTraffic.objects.filter(
            dimension=Dimension.TOTAL, day__gte=previous.start, day__lte=period.end
        ).values("day", "views", "visitors")
    }
    empty = {"views": 0, "visitors": 0}
    days = []
    for current, before in zip(period.dates(), previous.dates(), strict=True):
        now_row, then_row = totals.get(current, empty), totals.get(before, empty)
        days.append(
            Day(current, now_row["visitors"], now_row["views"], then_row["visitors"], then_row["views"])
        )
    return Traffic(period, days, [_breakdown(period, dimension) for dimension in BREAKDOWNS])


def _breakdown(period: Period, dimension: str) -> Breakdown:
    rows = (
        DailyTraffic.objects.filter(dimension=dimension, day__gte=period.start, day__lte=period.end)
        .values("value")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by("-views", "value")[:TOP]
    )
    return Breakdown(dimension, [(row["value"], row["views"], row["visitors"]) for row in rows])
