"""Contrast of every text-on-background pair the render engine uses, for the kit editor."""

from __future__ import annotations

from dataclasses import dataclass

from core import colors

# (text role, background role): the engine sets text in the kit's text colour on its
# background and on panels/badges filled with the primary and secondary colours, and headlines
# in the accent colour on the background.
ENGINE_PAIRS = (
    ("text", "background"),
    ("text", "primary"),
    ("text", "secondary"),
    ("accent", "background"),
)


@dataclass(frozen=True)
class ContrastRow:
    text_role: str
    background_role: str
    text: str
    background: str
    ratio: float
    grade: str
    passes: bool
    # The nearest text colour that passes on every background this text role is set on
    # (``shared_with``), when this pair fails; None when no colour of its hue does.
    suggestion: str | None
    shared_with: tuple[str, ...] = ()  # every background role this text role is set on

    @property
    def shared_with_words(self) -> str:
        """ "Background, Primary and Secondary" """
        names = [role.capitalize() for role in self.shared_with]
        return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def contrast_report(palette: dict[str, str]) -> list[ContrastRow]:
    """One row per engine pair. A failing row's suggestion is checked against every pair its
    text role takes part in, so one click never fixes one pair by breaking another."""
    rows = []
    for text_role, background_role in ENGINE_PAIRS:
        text, background = palette[text_role], palette[background_role]
        ratio = colors.contrast_ratio(text, background)
        passes = ratio >= colors.AA_NORMAL
        shared_with = tuple(bg_role for role, bg_role in ENGINE_PAIRS if role == text_role)
        rows.append(
            ContrastRow(
                text_role=text_role,
                background_role=background_role,
                text=text,
                background=background,
                ratio=round(ratio, 2),
                grade=colors.contrast_grade(ratio),
                passes=passes,
                suggestion=None
                if passes
                else colors.nearest_passing_all(
                    text, [palette[role] for role in shared_with], target=colors.AA_NORMAL
                ),
                shared_with=shared_with,
            )
        )
    return rows
