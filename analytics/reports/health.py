"""Generation health over the range: jobs by status, why jobs failed, how long creators waited
and how long rendering took (p50/p95, by provider and by asset type), and what the providers
were asked for and what it may have cost.

Percentiles are nearest-rank (the smallest value with at least p % of the values at or below
it: always a value that was actually measured), computed here from the range's durations.

Provider calls are an estimate: one call per item of every job that started and finished
(succeeded or failed); a failed job may have stopped before its last item, and a retried
job's earlier attempts are not counted."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Func, IntegerField

import platforms
from generation.models import GenerationJob

from .period import Period
from .tables import Table

TOP_FAILURES = 8
Status = GenerationJob.Status


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank ``p``-th percentile of ``values`` (None when there are none)."""
    if not values:
        return None
    if not 0 < p <= 100:
        raise ValueError("p is a percentage above 0 and at most 100")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def cost_key(provider: str) -> str:
    """The ANALYTICS_PROVIDER_COST_USD key for a job's provider ("gemini-2.5-flash" → "gemini")."""
    prices = settings.ANALYTICS_PROVIDER_COST_USD
    if provider in prices:
        return provider
    return next((key for key in prices if provider.startswith(key)), provider)


def asset_type_label(spec_key: str) -> str:
    try:
        spec = platforms.registry().get(spec_key)
    except KeyError:
        return spec_key  # a row since removed from the registry
    return f"{spec.platform_label} · {spec.label}"


@dataclass(frozen=True)
class Latency:
    group: str
    jobs: int
    wait_p50: float | None  # seconds from asking to done (the creator's wait)
    wait_p95: float | None
    render_p50: float | None  # seconds from a worker starting it to done
    render_p95: float | None


@dataclass(frozen=True)
class ProviderUse:
    provider: str
    calls: int
    unit_cost: float | None  # US dollars a call (None: no price configured)

    @property
    def cost(self) -> float | None:
        return None if self.unit_cost is None else round(self.calls * self.unit_cost, 2)


@dataclass(frozen=True)
class Health:
    period: Period
    statuses: list[tuple[str, int]]
    failures: list[tuple[str, int]]
    by_provider: list[Latency]
    by_asset_type: list[Latency]
    providers: list[ProviderUse]

    @property
    def jobs(self) -> int:
        return sum(count for _, count in self.statuses)

    @property
    def failed(self) -> int:
        return dict(self.statuses).get(Status.FAILED.label, 0)

    @property
    def cost(self) -> float:
        return round(sum(use.cost or 0 for use in self.providers), 2)

    def tables(self) -> list[Table]:
        latency_columns = ("Jobs", "Wait p50 (s)", "Wait p95 (s)", "Render p50 (s)", "Render p95 (s)")
        latency = [
            (lat.group, lat.jobs, lat.wait_p50, lat.wait_p95, lat.render_p50, lat.render_p95)
            for lat in self.by_provider
        ]
        by_type = [
            (lat.group, lat.jobs, lat.wait_p50, lat.wait_p95, lat.render_p50, lat.render_p95)
            for lat in self.by_asset_type
        ]
        uses = [
            (use.provider, use.calls, _money(use.unit_cost, 4), _money(use.cost, 2)) for use in self.providers
        ]
        return [
            Table("jobs_by_status", "Jobs by status", ("Status", "Jobs"), list(self.statuses)),
            Table(
                "failures", "Failures by reason", ("Reason", "Jobs"), list(self.failures),
                f"The {TOP_FAILURES} most frequent reasons, as the creator read them.",
            ),
            Table("latency_by_provider", "Latency by provider", ("Provider", *latency_columns), latency,
                  "Nearest-rank percentiles of finished jobs (succeeded or failed)."),
            Table("latency_by_asset_type", "Latency by asset type", ("Asset type", *latency_columns), by_type,
                  "Nearest-rank percentiles of finished jobs (succeeded or failed)."),
            Table("provider_cost", "Provider calls and estimated cost",
                  ("Provider", "Calls (estimate)", "Cost a call (USD)", "Estimated cost (USD)"), uses,
                  "One call per item of each job that started and finished; prices from settings."),
        ]  # fmt: skip


def _money(value: float | None, places: int) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    return (end - start).total_seconds() if start and end else None


def _latencies(groups: dict[str, list[tuple[float | None, float | None]]]) -> list[Latency]:
    rows = []
    for group, durations in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        waits = [wait for wait, _ in durations if wait is not None]
        renders = [render for _, render in durations if render is not None]
        rows.append(
            Latency(
                group,
                len(durations),
                _round(percentile(waits, 50)),
                _round(percentile(waits, 95)),
                _round(percentile(renders, 50)),
                _round(percentile(renders, 95)),
            )
        )
    return rows


class JSONArrayLength(Func):
    """The length of a JSON array column, counted by the database."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def health(period: Period) -> Health:
    """The range's jobs (asked for in it), read once."""
    jobs = GenerationJob.objects.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_at)
    statuses: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    by_provider: dict[str, list[tuple[float | None, float | None]]] = defaultdict(list)
    by_type: dict[str, list[tuple[float | None, float | None]]] = defaultdict(list)
    calls: Counter[str] = Counter()
    # The items' count, not the items (each job's recipe can be kilobytes).
    jobs = jobs.annotate(item_count=JSONArrayLength("items"))
    fields: tuple[str, ...] = ("status", "error", "provider", "spec_key", "item_count", "created_at")
    fields += ("started_at", "finished_at")
    for status, error, provider, spec_key, items, created, started, finished in jobs.values_list(*fields):
        statuses[status] += 1
        if status == Status.FAILED:
            failures[error.strip() or "(no reason recorded)"] += 1
        if status in (Status.SUCCEEDED, Status.FAILED) and finished is not None:
            durations = (_seconds(created, finished), _seconds(started, finished))
            by_provider[provider].append(durations)
            by_type[spec_key].append(durations)
            if started is not None:
                calls[provider] += items or 1
    prices = settings.ANALYTICS_PROVIDER_COST_USD
    return Health(
        period,
        [(Status(value).label, statuses[value]) for value in Status.values if statuses[value]],
        failures.most_common(TOP_FAILURES),
        _latencies(by_provider),
        [replace(lat, group=asset_type_label(lat.group)) for lat in _latencies(by_type)],
        [ProviderUse(p, n, prices.get(cost_key(p))) for p, n in sorted(calls.items(), key=lambda c: -c[1])],
    )
