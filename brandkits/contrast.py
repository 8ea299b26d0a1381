"""Contrast of every text-on-background pair the render engine uses, for the kit editor."""

from __future__ import annotations

from dataclasses import dataclass

from . import colors

# (text role, background role): the engine sets text in the kit's text colour on its
# background and on panels/badges filled with the primary and secondary colours, and headlines
# in the accent colour on the background.
ENGINE_PAIRS = (
    ("text", "background"),
    ("text", "primary"),
    ("text", "secondary"),
    ("accent", "background"),
)
AA_NORMAL = 4.5


@dataclass(frozen=True)
class ContrastRow:
    text_role: str
    background_role: str
    text: str
    background: str
    ratio: float
    grade: str
    passes: bool
    suggestion: str | None  # the nearest text colour that passes, when this pair fails


def contrast_report(palette: dict[str, str]) -> list[ContrastRow]:
    rows = []
    for text_role, background_role in ENGINE_PAIRS:
        text, background = palette[text_role], palette[background_role]
        ratio = colors.contrast_ratio(text, background)
        passes = ratio >= AA_NORMAL
        rows.append(
            ContrastRow(
                text_role=text_role,
                background_role=background_role,
                text=text,
                background=background,
                ratio=round(ratio, 2),
                grade=colors.contrast_grade(ratio),
                passes=passes,
                suggestion=None if passes else colors.nearest_passing(text, background, target=AA_NORMAL),
            )
        )
    return rows
