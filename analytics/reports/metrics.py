"""The seed round's key metrics, each against its six-month target.

- Monthly active users: creators active (a signed-in page view or a product event) on any of
  the 30 days ending on the range's last day.
- Paid subscribers and MRR: billing's reading of the Stripe mirror (billing.selectors.revenue)
  at the end of the range's last day.
- Assets generated: every asset_created event counted up to the range's end (and, beside it,
  those in the range).
- Free → Paid: paid subscribers as a share of every creator account (staff excluded) that
  existed at the range's end.

Each is compared with the same figure at the end of the previous period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Sum

from billing.selectors import revenue

from ..models import ActiveDay, DailyEvent, EventName
from .period import Period, change, share
from .tables import Table

MAU_DAYS = 30


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    target: float
    unit: str  # "", "$" or "%"
    definition: str


TARGETS = (
    Target("mau", "Monthly active users", 1000, "", "Creators active in the 30 days to the range's end."),
    Target("paid", "Paid subscribers", 100, "", "Creators with an active or past-due subscription."),
    Target("assets", "Assets generated", 10_000, "", "All assets generated up to the range's end."),
    Target("mrr", "MRR", 2000, "$", "Monthly recurring revenue of paying subscriptions, before discounts."),
    Target(
        "free_to_paid", "Free → Paid", 5, "%", "Paid subscribers ÷ all creator accounts at the range's end."
    ),
)


@dataclass(frozen=True)
class Metric:
    target: Target
    value: float
    previous: float
    in_range: int | None = None  # for a running total: what the range itself added

    @property
    def of_target(self) -> float | None:
        return share(self.value, self.target.target)

    @property
    def change(self) -> float | None:
        return change(self.value, self.previous)

    @property
    def bar(self) -> int:
        """How full the progress bar is, in whole per cent up to 100."""
        return min(100, round(self.of_target or 0))


@dataclass(frozen=True)
class KeyMetrics:
    period: Period
    metrics: list[Metric]

    def table(self) -> Table:
        rows = [
            (m.target.label, m.value, m.target.target, m.of_target, m.previous, m.change, m.target.definition)
            for m in self.metrics
        ]
        columns = (
            "Metric",
            "Value",
            "Six-month target",
            "Of target (%)",
            "End of previous period",
            "Change (%)",
            "Definition",
        )
        return Table("metrics", "Key metrics and targets", columns, rows, "MRR and targets in US dollars.")

    def tables(self) -> list[Table]:
        return [self.table()]


def _figures(period: Period) -> dict[str, float]:
    end = period.ends_at - dt.timedelta(microseconds=1)
    mau_start = period.end - dt.timedelta(days=MAU_DAYS - 1)
    mau = ActiveDay.objects.filter(day__gte=mau_start, day__lte=period.end).values("user").distinct().count()
    money = revenue(at=end)
    assets = DailyEvent.objects.filter(
        name=EventName.ASSET_CREATED, detail="", day__lte=period.end
    ).aggregate(total=Sum("events"))["total"]
    creators = get_user_model().objects.filter(is_staff=False, date_joined__lt=period.ends_at).count()
    return {
        "mau": mau,
        "paid": money.subscribers,
        "assets": assets or 0,
        "mrr": round(money.mrr_cents / 100, 2),
        "free_to_paid": share(money.subscribers, creators) or 0.0,
    }


def key_metrics(period: Period) -> KeyMetrics:
    now, before = _figures(period), _figures(period.previous())
    added = now["assets"] - before["assets"]
    return KeyMetrics(
        period,
        [Metric(t, now[t.key], before[t.key], int(added) if t.key == "assets" else None) for t in TARGETS],
    )
