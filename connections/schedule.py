"""A Twitch schedule as the words a schedule banner shows, in the creator's time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from .providers import Segment

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def clock(moment: dt.datetime) -> str:
    """8 PM, 7:30 PM, 12 AM."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'AM' if moment.hour < 12 else 'PM'}"


def week_of(segments: Sequence[Segment], *, zone: ZoneInfo, now: dt.datetime) -> list[dt.datetime]:
    """The start of each stream in the seven days from ``now``, local to ``zone``, in order;
    a weekday streamed twice keeps its first time."""
    until = now + dt.timedelta(days=7)
    local = sorted(s.start.astimezone(zone) for s in segments if now <= s.start < until)
    seen: set[int] = set()
    week = []
    for start in local:
        if start.weekday() not in seen:
            seen.add(start.weekday())
            week.append(start)
    return sorted(week, key=lambda start: start.weekday())


def schedule_line(starts: Sequence[dt.datetime], *, limit: int) -> str:
    """ "Mon · Wed · Fri — 8 PM" when every stream starts at the same time, else each day with
    its time ("Mon 7 PM · Wed 8 PM"), shortened until it fits ``limit`` characters."""
    if not starts:
        return ""
    days = [DAYS[start.weekday()] for start in starts]
    times = [clock(start) for start in starts]
    if len(set(times)) == 1:
        line = f"{' · '.join(days)} — {times[0]}"
        if len(line) <= limit:
            return line
    for separator in (" · ", "·", " "):
        line = separator.join(f"{day} {time}" for day, time in zip(days, times, strict=True))
        if len(line) <= limit:
            return line
        compact = separator.join(
            f"{day} {time.replace(' ', '')}" for day, time in zip(days, times, strict=True)
        )
        if len(compact) <= limit:
            return compact
    return " · ".join(days)[:limit]
