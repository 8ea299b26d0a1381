"""The date range a report covers, and the one before it to compare with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

PRESETS = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included, in the site's time zone."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("a period starts before it ends")

    @classmethod
    def last(cls, days: int, *, today: dt.date | None = None) -> Period:
        """The ``days`` days ending today."""
        end = today or timezone.localdate()
        return cls(end - dt.timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=offset) for offset in range(self.days)]

    @property
    def starts_at(self) -> dt.datetime:
        """The first moment of ``start`` (aware)."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment after ``end`` (aware): ranges are ``[starts_at, ends_at)``."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    def __str__(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"


def change(current: float | None, previous: float | None) -> float | None:
    """The relative change from ``previous`` to ``current``, in per cent (None: no base)."""
    if current is None or not previous:
        return None
    return round((current - previous) / previous * 100, 1)


def share(part: float, whole: float) -> float | None:
    """``part`` of ``whole`` in per cent, one decimal (None when ``whole`` is 0)."""
    return round(part / whole * 100, 1) if whole else None
