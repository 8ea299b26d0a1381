"""The staff dashboard, put together: every report for a range, the charts drawn from them,
and the one table a CSV export asks for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from . import charts
from .models import Dimension
from .reports.coach import CoachUsage, coach_usage
from .reports.cohorts import Cohorts, cohorts
from .reports.funnel import Funnel, funnel
from .reports.health import Health, health
from .reports.metrics import KeyMetrics, key_metrics
from .reports.period import Period
from .reports.tables import Table
from .reports.traffic import BREAKDOWNS, Traffic, traffic


@dataclass(frozen=True)
class Dashboard:
    period: Period
    metrics: KeyMetrics
    traffic: Traffic
    funnel: Funnel
    cohorts: Cohorts
    health: Health
    coach: CoachUsage

    def tables(self) -> dict[str, Table]:
        reports = (self.metrics, self.traffic, self.funnel, self.cohorts, self.health, self.coach)
        return {table.name: table for report in reports for table in report.tables()}


def dashboard_build(period: Period) -> Dashboard:
    return Dashboard(
        period,
        key_metrics(period),
        traffic(period),
        funnel(period),
        cohorts(period),
        health(period),
        coach_usage(period),
    )


# The traffic breakdowns drawn as bars (the others are tables only).
CHARTED = (Dimension.PAGE, Dimension.REFERRER, Dimension.UTM_CAMPAIGN)
# Which report holds each exported table (an export runs only that report).
REPORT_OF: dict[str, Callable[[Period], KeyMetrics | Traffic | Funnel | Cohorts | Health | CoachUsage]] = {
    "metrics": key_metrics,
    "traffic_daily": traffic,
    "top_pages": traffic,
    "referrers": traffic,
    "utm_sources": traffic,
    "utm_campaigns": traffic,
    "devices": traffic,
    "funnel": funnel,
    "cohorts": cohorts,
    "jobs_by_status": health,
    "failures": health,
    "latency_by_provider": health,
    "latency_by_asset_type": health,
    "provider_cost": health,
    "coach_daily": coach_usage,
    "coach_by_plan": coach_usage,
}


def table_get(name: str, period: Period) -> Table | None:
    """The table called ``name`` for ``period`` (None: no such table)."""
    report = REPORT_OF.get(name)
    if report is None:
        return None
    return next((table for table in report(period).tables() if table.name == name), None)


def charts_draw(board: Dashboard) -> dict[str, SafeString]:
    """Every chart on the page, by the name of the table it draws."""
    days = board.traffic.days
    dates = [day.day for day in days]
    drawn = {
        "traffic_daily": charts.line_chart(
            "traffic_daily",
            "Visitors by day, against the previous period",
            dates,
            [
                charts.Series("Visitors", [d.visitors for d in days]),
                charts.Series("Page views", [d.views for d in days]),
                charts.Series("Visitors, previous period", [d.previous_visitors for d in days], dashed=True),
            ],
        ),
        "funnel": charts.funnel_chart(
            "funnel", "Activation funnel", [(s.label, s.count, s.conversion) for s in board.funnel.steps]
        ),
        "coach_daily": charts.line_chart(
            "coach_daily",
            "Coach use by day",
            [day.day for day in board.coach.days],
            [
                charts.Series("Sessions", [d.sessions for d in board.coach.days]),
                charts.Series("Creator messages", [d.messages for d in board.coach.days]),
            ],
        ),
    }
    for breakdown in board.traffic.breakdowns:
        name, title = BREAKDOWNS[Dimension(breakdown.dimension)]
        if breakdown.dimension in CHARTED:
            rows = [(value, [float(views)]) for value, views, _ in breakdown.rows]
            drawn[name] = charts.bar_chart(name, title, rows, ["Page views"])
    for name, title, counts in (
        ("jobs_by_status", "Jobs by status", board.health.statuses),
        ("failures", "Failures by reason", board.health.failures),
    ):
        drawn[name] = charts.bar_chart(name, title, [(label, [float(n)]) for label, n in counts], ["Jobs"])
    for name, title, latencies in (
        ("latency_by_provider", "Latency by provider", board.health.by_provider),
        ("latency_by_asset_type", "Latency by asset type", board.health.by_asset_type),
    ):
        latency_rows = [(lat.group, [lat.wait_p50, lat.wait_p95]) for lat in latencies]
        drawn[name] = charts.bar_chart(
            name, f"{title}: the creator's wait", latency_rows, ["p50", "p95"], " s"
        )
    return drawn
