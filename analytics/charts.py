"""Charts drawn on the server as SVG: a line chart for daily series (the previous period
dashed), horizontal bars, and the funnel. No script and no inline style: colours come from
classes in analytics/dashboard.css (the admin's own colour variables, so the light and dark
themes both work). Each chart has a <title> and <desc> and is followed on the page by the table
of its figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LINE_HEIGHT = 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 28, 28
BAR = 14  # one bar's thickness
BAR_GAP = 10  # between rows
PANEL_WIDTH = 540  # a bar chart's drawing width (half the page)
LABEL_WIDTH = 200
VALUE_WIDTH = 120
MAX_LABEL = 30  # characters of a bar's label (the whole label is in its <title>)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    dashed: bool = False  # the previous period


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    return f"{text}{unit}"


def nice_max(value: float) -> float:
    """The axis's top: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** len(str(int(value))) / 10 if value >= 1 else 1
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _svg(
    name: str, title: str, desc: str, height: int, body: list[str], kind: str, points: int, width: int = WIDTH
) -> SafeString:
    ids = f"chart-{name}-title chart-{name}-desc"
    head = (
        f'<svg class="chart chart-{kind}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ids}" data-points="{points}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-{name}-title">{escape(title)}</title>'
        f'<desc id="chart-{name}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # every text in it was escaped above


def _truncate(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def line_chart(name: str, title: str, days: Sequence[dt.date], series: Sequence[Series]) -> SafeString:
    """A daily line chart: one line per series, a dot per day on the solid ones."""
    top = nice_max(max((max(s.values, default=0) for s in series), default=0))
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, LINE_HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(1, len(days) - 1)

    def x(index: int) -> float:
        return PAD_LEFT + index * step

    def y(value: float) -> float:
        return PAD_TOP + plot_h - value / top * plot_h

    body = ['<g class="chart-grid">']
    ticks = next((n for n in (4, 5, 3, 6) if float(top / n).is_integer()), 4)
    for tick in range(ticks + 1):
        value = top * tick / ticks
        body.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
        )
        body.append(
            f'<text x="{PAD_LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{number(value)}</text>'
        )
    for index in sorted({0, len(days) - 1, *range(0, len(days), max(1, len(days) // 6))}):
        if index < len(days):
            label = days[index].strftime("%d %b")
            body.append(f'<text x="{x(index):.1f}" y="{LINE_HEIGHT - 8}" text-anchor="middle">{label}</text>')
    body.append("</g>")
    points = 0
    for number_, s in enumerate(series):
        kind = "previous" if s.dashed else f"s{number_ + 1}"
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        body.append(f'<polyline class="chart-line chart-{kind}" fill="none" points="{coords}"{dash}/>')
        if not s.dashed:
            body.append(f'<g class="chart-points chart-{kind}">')
            for i, v in enumerate(s.values):
                label = f"{days[i]:%d %b %Y}: {number(v)} {s.name.lower()}"
                body.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5"><title>{escape(label)}</title></circle>'
                )
                points += 1
            body.append("</g>")
    body.extend(_legend(series))
    desc = "; ".join(f"{s.name}: {number(sum(s.values))} in total" for s in series)
    return _svg(name, title, desc, LINE_HEIGHT, body, "line", points)


def _legend(series: Sequence[Series]) -> list[str]:
    out, left = ['<g class="chart-legend">'], PAD_LEFT
    for number_, s in enumerate(series):
        kind = "previous" if s.dashed else f"s{number_ + 1}"
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        out.append(
            f'<line class="chart-line chart-{kind}" x1="{left}" x2="{left + 18}" y1="12" y2="12"{dash}/>'
        )
        out.append(f'<text x="{left + 24}" y="16">{escape(s.name)}</text>')
        left += 34 + 7 * len(s.name)
    out.append("</g>")
    return out


def bar_chart(
    name: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str],
    unit: str = "",
    width: int = PANEL_WIDTH,
) -> SafeString:
    """Horizontal bars, one group per row and one bar per series in it (``width``: the drawing's
    width, so the labels keep their size in a half-width panel)."""
    top = nice_max(max((v or 0 for _, values in rows for v in values), default=0))
    plot_w = width - LABEL_WIDTH - VALUE_WIDTH + 50
    group = BAR * len(series) + BAR_GAP
    height = PAD_TOP + max(1, len(rows)) * group
    body = [] if len(series) < 2 else _bar_legend(series)
    points = 0
    for index, (label, values) in enumerate(rows):
        top_y = PAD_TOP + index * group
        middle = top_y + BAR * len(series) / 2 + 4
        body.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_truncate(label))}</text>"
        )
        for number_, value in enumerate(values):
            length = max(1.0, (value or 0) / top * plot_w) if value else 0
            bar_y = top_y + number_ * BAR
            if value is not None:  # no figure (no finished job): no bar, only the dash beside it
                body.append(
                    f'<rect class="chart-bar chart-s{number_ + 1}" x="{LABEL_WIDTH}" y="{bar_y}" '
                    f'width="{length:.1f}" height="{BAR - 2}" rx="2"><title>{escape(label)}, '
                    f"{escape(series[number_])}: {number(value, unit)}</title></rect>"
                )
                points += 1
            body.append(
                f'<text class="chart-value" x="{LABEL_WIDTH + length + 6:.1f}" y="{bar_y + BAR - 3}">'
                f"{number(value, unit)}</text>"
            )
    desc = f"{len(rows)} rows: " + "; ".join(
        f"{label} {number(values[0], unit)}" for label, values in rows[:5]
    )
    return _svg(name, title, desc, height, body, "bars", points, width)


def _bar_legend(series: Sequence[str]) -> list[str]:
    out, left = ['<g class="chart-legend">'], LABEL_WIDTH
    for number_, name in enumerate(series):
        out.append(
            f'<rect class="chart-bar chart-s{number_ + 1}" x="{left}" y="6" width="12" height="10" rx="2"/>'
        )
        out.append(f'<text x="{left + 18}" y="15">{escape(name)}</text>')
        left += 30 + 7 * len(name)
    out.append("</g>")
    return out


def funnel_chart(name: str, title: str, steps: Sequence[tuple[str, int, float | None]]) -> SafeString:
    """The funnel: one centred bar per step, as wide as its share of the first step, with the
    count and the conversion from the step before. When the first step (visitors) is over ten
    times the second, the bars are scaled to the second and the first is drawn broken."""
    counts = [count for _, count, _ in steps]
    broken = len(counts) > 1 and counts[0] > 10 * max(1, counts[1])
    first = max(1, counts[1] if broken else counts[0] if counts else 1)
    plot_w = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 40
    centre = LABEL_WIDTH + plot_w / 2
    row = 30
    body = []
    for index, (label, count, conversion) in enumerate(steps):
        width = plot_w if broken and index == 0 else max(3.0, count / first * plot_w)
        top_y = PAD_TOP / 2 + index * row
        body.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{top_y + 16}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        body.append(
            f'<rect class="chart-bar chart-funnel" x="{centre - width / 2:.1f}" y="{top_y}" '
            f'width="{width:.1f}" height="{row - 6}" rx="3">'
            f"<title>{escape(label)}: {number(count)}</title></rect>"
        )
        if broken and index == 0:  # the scale break: a gap across the middle of the bar
            body.append(
                f'<path class="chart-break" d="M{centre - 6:.1f},{top_y - 2} l8,0 l-4,{row - 2} l-8,0 z"/>'
            )
        rate = "" if conversion is None else f" · {number(conversion, ' %')}"
        body.append(
            f'<text class="chart-value" x="{LABEL_WIDTH + plot_w + 12}" y="{top_y + 16}">'
            f"{number(count)}{rate}</text>"
        )
    desc = " → ".join(f"{label} {number(count)}" for label, count, _ in steps)
    if broken:
        desc += f". The first bar is cut short: the others are drawn to the scale of {steps[1][0].lower()}."
    return _svg(name, title, desc, int(PAD_TOP + len(steps) * row), body, "funnel", len(steps))
