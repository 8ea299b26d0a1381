from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from .reports.period import DEFAULT_DAYS, MAX_DAYS, PRESETS, Period

CUSTOM = "custom"
# Nothing is older than the product; a range from before it (or the year 1) is a typo.
EARLIEST = dt.date(2020, 1, 1)


class RangeForm(forms.Form):
    """The dashboard's range: the last 7, 30 or 90 days, or from one day to another."""

    range = forms.ChoiceField(
        choices=[*((str(days), f"Last {days} days") for days in PRESETS), (CUSTOM, "Custom")], required=False
    )
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        custom = data.get("range") == CUSTOM or start or end
        if not custom or self.errors:
            return data
        if not (start and end):
            raise forms.ValidationError("A custom range needs both a start and an end date.")
        today = timezone.localdate()
        if start > end:
            raise forms.ValidationError("The start date is after the end date.")
        if start < EARLIEST:
            raise forms.ValidationError(f"The range can't start before {EARLIEST:%d %b %Y}.")
        if end > today:
            raise forms.ValidationError("The range can't end after today.")
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(f"A range covers at most {MAX_DAYS} days.")
        data["range"] = CUSTOM
        return data

    def period(self, *, today: dt.date | None = None) -> Period:
        """The range asked for; the last 30 days when nothing (or nothing valid) was asked."""
        if not self.is_bound or not self.is_valid():
            return Period.last(DEFAULT_DAYS, today=today)
        data = self.cleaned_data
        if data.get("range") == CUSTOM:
            return Period(data["start"], data["end"])
        return Period.last(int(data.get("range") or DEFAULT_DAYS), today=today)

    def preset(self) -> int | None:
        """The preset shown (the default when nothing valid was asked), None for a custom range."""
        if not self.is_bound or not self.is_valid():
            return DEFAULT_DAYS
        chosen = self.cleaned_data.get("range")
        return None if chosen == CUSTOM else int(chosen or DEFAULT_DAYS)

    def query(self) -> str:
        """The range as a query string, for the CSV links ("" for the default)."""
        if not self.is_bound or not self.is_valid():
            return ""
        data = self.cleaned_data
        if data.get("range") == CUSTOM:
            return f"range={CUSTOM}&start={data['start']:%Y-%m-%d}&end={data['end']:%Y-%m-%d}"
        return f"range={data['range']}" if data.get("range") else ""
