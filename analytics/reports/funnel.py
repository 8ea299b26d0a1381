"""The activation funnel: visitors → signups → verified → brand kit → first asset → paid.

Visitors are the range's signed-out visitors (summed daily visitors); every later step counts the creators who
signed up in the range and have reached that step and every step before it by now (a creator
who signed up last week and paid today counts as paid; one who generated an asset without a
brand kit stops at "verified"), so no step is larger than the one before."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from ..models import DailyTraffic, Dimension, Journey
from .period import Period, share
from .tables import Table

# Journey field → the step's name (signed_up_at: all of the range's signups).
STEPS = (
    ("signed_up_at", "Signed up"),
    ("verified_at", "Verified email"),
    ("first_brand_kit_at", "Created a brand kit"),
    ("first_asset_at", "Generated a first asset"),
    ("paid_at", "Paid"),
)


@dataclass(frozen=True)
class Step:
    label: str
    count: int
    previous_count: int
    conversion: float | None  # of the step before, in per cent (None for the first)


@dataclass(frozen=True)
class Funnel:
    period: Period
    steps: list[Step]

    @property
    def overall(self) -> float | None:
        """Visitors who became paying creators, in per cent."""
        return share(self.steps[-1].count, self.steps[0].count)

    @property
    def signup_to_paid(self) -> float | None:
        return share(self.steps[-1].count, self.steps[1].count)

    def table(self) -> Table:
        return Table(
            "funnel",
            "Activation funnel",
            ("Step", "Creators", "Conversion from the step before (%)", "Previous period"),
            [(step.label, step.count, step.conversion, step.previous_count) for step in self.steps],
            note=(
                "Signed-out visitors in the range; then the range's signups who reached each step "
                "and all before it."
            ),
        )

    def tables(self) -> list[Table]:
        return [self.table()]


def _counts(period: Period) -> list[int]:
    # Visitors who weren't signed in: the people who could still sign up.
    visitors = DailyTraffic.objects.filter(
        dimension=Dimension.AUDIENCE, value="signed out", day__gte=period.start, day__lte=period.end
    ).aggregate(total=Sum("visitors"))["total"]
    signups = Journey.objects.filter(signed_up_at__gte=period.starts_at, signed_up_at__lt=period.ends_at)
    fields = [field for field, _ in STEPS]
    reached = signups.aggregate(
        **{
            f"reached_{field}": Count(
                "pk", filter=Q(**{f"{earlier}__isnull": False for earlier in fields[: index + 1]})
            )
            for index, field in enumerate(fields)
        }
    )
    return [visitors or 0, *(reached[f"reached_{field}"] for field in fields)]


def funnel(period: Period) -> Funnel:
    current, previous = _counts(period), _counts(period.previous())
    labels = ["Visitors", *(label for _, label in STEPS)]
    steps = [
        Step(label, count, before, share(count, current[index - 1]) if index else None)
        for index, (label, count, before) in enumerate(zip(labels, current, previous, strict=True))
    ]
    return Funnel(period, steps)
