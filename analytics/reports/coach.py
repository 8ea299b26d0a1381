"""How creators use the Prompt Coach over the range: sessions started, messages creators sent,
the coach's replies and how many creators took part, by day; and the sessions started split
by plan (the coach_session product event's daily figures)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from coach.models import CoachMessage, CoachSession

from ..models import DailyEvent, EventName
from .period import Period
from .tables import Table


@dataclass(frozen=True)
class CoachDay:
    day: dt.date
    sessions: int
    messages: int  # sent by creators
    replies: int  # the coach's answers


@dataclass(frozen=True)
class CoachUsage:
    period: Period
    days: list[CoachDay]
    creators: int  # distinct creators who started a session or wrote in one
    by_plan: list[tuple[str, int, int]]  # plan, sessions, creators (summed by day)

    @property
    def sessions(self) -> int:
        return sum(day.sessions for day in self.days)

    @property
    def messages(self) -> int:
        return sum(day.messages for day in self.days)

    @property
    def replies(self) -> int:
        return sum(day.replies for day in self.days)

    def tables(self) -> list[Table]:
        daily = [(d.day, d.sessions, d.messages, d.replies) for d in self.days]
        return [
            Table(
                "coach_daily",
                "Coach use by day",
                ("Day", "Sessions started", "Creator messages", "Replies"),
                daily,
            ),
            Table(
                "coach_by_plan",
                "Coach sessions by plan",
                ("Plan", "Sessions", "Creator-days"),
                list(self.by_plan),
                "From the coach_session event; a creator is counted once a day (two days: two).",
            ),
        ]


def coach_usage(period: Period) -> CoachUsage:
    """Five queries: sessions by day, messages by day and role, the creators who wrote, those
    who started a session, and the plan split."""
    tz = timezone.get_current_timezone()
    window = {"created_at__gte": period.starts_at, "created_at__lt": period.ends_at}
    # Sessions deleted since still count: they were started.
    sessions = CoachSession.all_objects.filter(**window)
    started = dict(
        sessions.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    messages = CoachMessage.objects.filter(**window)
    by_role: Counter[tuple[dt.date, str]] = Counter()
    for day, role, count in (
        messages.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "role")
        .annotate(n=Count("pk"))
        .values_list("day", "role", "n")
    ):
        by_role[(day, role)] = count
    writers = set(
        messages.filter(role=CoachMessage.Role.USER).values_list("session__user_id", flat=True).distinct()
    )
    creators = writers | set(sessions.values_list("user_id", flat=True).distinct())
    days = [
        CoachDay(
            day,
            started.get(day, 0),
            by_role[(day, CoachMessage.Role.USER)],
            by_role[(day, CoachMessage.Role.COACH)],
        )
        for day in period.dates()
    ]
    plans = (
        DailyEvent.objects.filter(name=EventName.COACH_SESSION, day__gte=period.start, day__lte=period.end)
        .exclude(detail="")
        .values("detail")
        .annotate(events=Sum("events"), users=Sum("users"))
        .order_by("-events", "detail")
    )
    return CoachUsage(
        period, days, len(creators), [(row["detail"], row["events"], row["users"]) for row in plans]
    )
