"""Small filters for the analytics dashboard's figures."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def metric(value: float | None, unit: str = "") -> str:
    """A headline figure: grouped thousands, money with cents only when there are some."""
    if value is None:
        return "–"
    if unit == "$":
        return f"${value:,.2f}" if not float(value).is_integer() else f"${value:,.0f}"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text} %" if unit == "%" else text


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


@register.filter
def trend(change: float | None) -> SafeString:
    """The change against the previous period, with an arrow and words for screen readers."""
    if change is None:
        return mark_safe(  # a fixed string
            '<span class="trend trend-none"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">no comparison</span></span>'
        )
    if change == 0:
        return mark_safe('<span class="trend trend-flat">± 0 %</span>')  # a fixed string
    up = change > 0
    return format_html(
        '<span class="trend {}"><span aria-hidden="true">{}</span> {} {} %</span>',
        "trend-up" if up else "trend-down",
        "▲" if up else "▼",
        "up" if up else "down",
        f"{abs(change):.1f}",
    )


@register.filter
def heat(value: float | None) -> str:
    """A retention cell's shade, 0 (none) to 10 (everyone), or "none" for weeks not reached."""
    if value is None:
        return "none"
    return str(min(10, max(0, round(value / 10))))


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
