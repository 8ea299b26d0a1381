"""A report's figures as a table: what the page shows under each chart and what its CSV
export holds, cell for cell (both write each cell with :func:`cell_text`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | dt.date | None
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?%?")


@dataclass(frozen=True)
class Table:
    name: str  # the CSV's file name: /admin/analytics/export/<name>.csv
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]] = field(default_factory=list)
    note: str = ""

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(value) for value in row] for row in self.rows]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in self.text_rows()])
        return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet won't run as a formula: text that starts like one (a visitor's UTM
    campaign "=HYPERLINK(…)") gets a leading apostrophe; numbers stay numbers."""
    if text[:1] in FORMULA_LEADS and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell_text(value: Cell) -> str:
    """One cell as text: whole numbers plain, others to one decimal, dates ISO, empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
