"""The server-drawn SVG charts: accessible, escaped, and drawing every figure they are given."""

from __future__ import annotations

import datetime as dt
import re

from analytics import charts


def test_a_line_chart_draws_a_point_a_day_and_the_previous_period_dashed():
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(30)]
    svg = charts.line_chart(
        "visits",
        "Visitors by day",
        days,
        [charts.Series("Visitors", list(range(30))), charts.Series("Before", [5] * 30, dashed=True)],
    )
    assert svg.startswith('<svg class="chart chart-line"')
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-visits-title chart-visits-desc"' in svg
    assert '<title id="chart-visits-title">Visitors by day</title>' in svg
    assert svg.count("<circle") == 30  # a dot a day on the solid line only
    assert 'data-points="30"' in svg
    assert svg.count("<polyline") == 2
    assert 'class="chart-line chart-previous" fill="none"' in svg
    assert 'stroke-dasharray="6 4"' in svg
    assert "style=" not in svg  # colours come from the stylesheet (the page's CSP)
    assert "<title>29 Mar 2026: 28 visitors</title>" in svg


def test_the_axis_ends_at_a_round_number_above_the_highest_value():
    assert charts.nice_max(0) == 1
    assert charts.nice_max(7) == 7.5
    assert charts.nice_max(650) == 750
    assert charts.nice_max(1000) == 1000
    assert charts.nice_max(1001) == 1500


def test_bar_labels_are_escaped_and_long_ones_shortened():
    svg = charts.bar_chart("pages", "Top pages", [("<script>alert(1)</script>", [3]), ("/", [1])], ["Views"])
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg  # whole in its <title>
    assert svg.count('<rect class="chart-bar chart-s1"') == 2
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar chart-s1"[^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 3 * widths[1]


def test_bars_with_two_series_have_a_legend_and_a_bar_each():
    svg = charts.bar_chart(
        "latency", "Latency", [("gemini", [2.0, 9.5]), ("local", [0.4, None])], ["p50", "p95"], " s"
    )
    assert svg.count('class="chart-bar chart-s2"') == 2  # the legend's swatch and gemini's bar
    assert "9.5 s" in svg
    assert "–" in svg


def test_a_funnel_much_wider_at_the_top_is_drawn_broken():
    steps = [("Visitors", 10_000, None), ("Signed up", 200, 2.0), ("Paid", 20, 10.0)]
    svg = charts.funnel_chart("funnel", "Funnel", steps)
    assert 'class="chart-break"' in svg
    assert "drawn to the scale of signed up" in svg
    assert "10,000" in svg
    assert "200 · 2 %" in svg
    assert "20 · 10 %" in svg
    even = charts.funnel_chart("funnel", "Funnel", [("Visitors", 100, None), ("Signed up", 50, 50.0)])
    assert "chart-break" not in even
