"""Weekly signup cohorts and how many of each came back, week after week.

A cohort is the creators whose signup fell in one week (Monday to Sunday, site time). Week 0
is that week, week 1 the next, and so on; a creator counts in week n when they were active
(analytics.models.ActiveDay) on any day of it. Weeks that haven't begun are left blank."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from ..models import ActiveDay, Journey
from .period import Period, share
from .tables import Table

MAX_WEEKS = 13  # week 0 and the twelve after it


@dataclass(frozen=True)
class Cohort:
    week: dt.date  # the Monday it began
    size: int
    retention: list[float | None]  # % of the cohort active in week 0, 1, …; None: not reached yet


@dataclass(frozen=True)
class Cohorts:
    period: Period
    weeks: int  # columns shown
    cohorts: list[Cohort]

    def table(self) -> Table:
        columns = ("Signup week", "Creators", *(f"Week {n} (%)" for n in range(self.weeks)))
        rows = [(c.week, c.size, *c.retention[: self.weeks]) for c in self.cohorts]
        note = "Share of each week's signups active in that week and each week after it."
        return Table("cohorts", "Weekly signup cohorts: retention", columns, rows, note)

    def tables(self) -> list[Table]:
        return [self.table()]


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def cohorts(period: Period, *, today: dt.date | None = None) -> Cohorts:
    """The cohorts of the weeks that began in the range (and the week the range starts in),
    each with its retention up to this week (two queries)."""
    today = today or timezone.localdate()
    first = monday(period.start)
    starts_at = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    journeys = Journey.objects.filter(signed_up_at__gte=starts_at, signed_up_at__lt=period.ends_at)
    members: dict[dt.date, set[int]] = defaultdict(set)
    week_of: dict[int, dt.date] = {}
    for user_id, signed_up_at in journeys.values_list("user_id", "signed_up_at"):
        week = monday(timezone.localdate(signed_up_at))
        members[week].add(user_id)
        week_of[user_id] = week
    active: dict[dt.date, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    days = ActiveDay.objects.filter(user_id__in=list(week_of), day__gte=first)
    for user_id, day in days.values_list("user_id", "day"):
        week = week_of[user_id]
        offset = (day - week).days // 7
        if 0 <= offset < MAX_WEEKS:
            active[week][offset].add(user_id)
    reached = min(MAX_WEEKS, (monday(today) - first).days // 7 + 1)
    rows = []
    for week in sorted(members):
        size = len(members[week])
        weeks_so_far = (monday(today) - week).days // 7 + 1
        retention = [
            share(len(active[week][n]), size) if n < weeks_so_far else None for n in range(MAX_WEEKS)
        ]
        rows.append(Cohort(week, size, retention))
    return Cohorts(period, max(1, reached), rows)
