"""Refine instructions in plain words, turned into changes the engine can make exactly.

"Almost — make it brighter": the creator taps a chip or types a sentence. ``interpret`` reads
it against the asset's current ``Tweaks`` and returns the new ones, the changes it applied (in
words, for the page) and whatever it could not turn into a change. The local engine applies
the tweaks deterministically; an image model also gets the instruction itself, with the
previous image, and may do more.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from .types import Tweaks

BRIGHTNESS_STEP = 1.18
CONTRAST_STEP = 1.25
TEXT_STEP = 1.22
DARKER_STEP = 0.78
GLOW_STEP = 1.0
# How far repeated instructions may push a value.
LIMITS = {
    "brightness": (0.35, 2.2),
    "contrast": (0.5, 2.5),
    "text_scale": (0.6, 1.9),
    "glow": (0.0, 3.0),
}


@dataclass(frozen=True)
class Chip:
    key: str
    label: str
    instruction: str


# The quick chips on every result, in the order the page shows them.
CHIPS = (
    Chip("brighter", "Brighter", "brighter"),
    Chip("contrast", "More contrast", "more contrast"),
    Chip("bigger-text", "Bigger text", "bigger text"),
    Chip("accent", "Swap to accent colour", "swap to accent colour"),
    Chip("darker-background", "Darker background", "darker background"),
    Chip("logo-left", "Move logo left", "move logo left"),
    Chip("glow", "More glow", "more glow"),
)


@dataclass(frozen=True)
class Interpretation:
    tweaks: Tweaks
    applied: tuple[str, ...]  # what changed, in words ("Brighter")
    not_understood: str  # the part of the instruction no rule matched ("" when all did)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    label: str
    field: str
    step: float | bool | str


def _rule(pattern: str, label: str, field: str, step: float | bool | str) -> _Rule:
    return _Rule(re.compile(pattern), label, field, step)


# Order matters: the more specific phrase first ("darker background" before "darker").
RULES = (
    _rule(
        r"\b(?:darker|darken|dimmer|dim)\s+(?:the\s+)?(?:background|backdrop|bg)\b",
        "Darker background",
        "brightness",
        DARKER_STEP,
    ),
    _rule(r"\b(?:less|lower)\s+contrast\b", "Less contrast", "contrast", 1 / CONTRAST_STEP),
    _rule(
        r"\b(?:more|higher|increase|boost)\s+(?:the\s+)?contrast\b|\bcontrast(?:ier)?\b|\bpunchier\b",
        "More contrast",
        "contrast",
        CONTRAST_STEP,
    ),
    _rule(
        r"\b(?:smaller|less big)\s+(?:the\s+)?(?:text|title|headline|words|font|letters)\b",
        "Smaller text",
        "text_scale",
        1 / TEXT_STEP,
    ),
    _rule(
        r"\b(?:bigger|larger|huge|bolder|enlarge|increase)\s+(?:the\s+)?(?:text|title|headline|words|font|letters)\b|\b(?:text|title|headline)\s+(?:bigger|larger)\b",
        "Bigger text",
        "text_scale",
        TEXT_STEP,
    ),
    _rule(r"\baccent\b", "Swapped to your accent colour", "accent_art", True),
    _rule(
        r"\b(?:move|put|place)\s+(?:the\s+)?logo\s+(?:to\s+the\s+)?left\b|\blogo\s+(?:on\s+the\s+)?left\b",
        "Logo on the left",
        "logo_side",
        "left",
    ),
    _rule(
        r"\b(?:move|put|place)\s+(?:the\s+)?logo\s+(?:to\s+the\s+)?right\b|\blogo\s+(?:on\s+the\s+)?right\b",
        "Logo on the right",
        "logo_side",
        "right",
    ),
    _rule(r"\b(?:more\s+)?glow(?:ing|y)?\b|\bneon\s+glow\b", "More glow", "glow", GLOW_STEP),
    _rule(r"\b(?:darker|darken|dimmer|moodier)\b", "Darker", "brightness", DARKER_STEP),
    _rule(
        r"\b(?:brighter|brighten|lighter|lighten|more\s+light|sunnier)\b",
        "Brighter",
        "brightness",
        BRIGHTNESS_STEP,
    ),
)
_FILLER = re.compile(
    r"\b(?:and|please|make|it|the|a|an|bit|little|more|much|too|so|also|then|with|just|slightly|way|lot|"
    r"swap|switch|to|use|color|colors|can|you|could|i|want|its|is)\b|[,.;:!?&+'-]+"
)


def _apply(tweaks: Tweaks, rule: _Rule) -> Tweaks:
    current = getattr(tweaks, rule.field)
    changes: dict[str, Any]
    if isinstance(rule.step, (bool, str)):
        changes = {rule.field: rule.step}
    else:
        # Glow adds up from nothing; the others are factors.
        value = current + rule.step if rule.field == "glow" else current * rule.step
        low, high = LIMITS[rule.field]
        changes = {rule.field: round(min(high, max(low, value)), 4)}
    return dataclasses.replace(tweaks, **changes)


def interpret(instruction: str, current: Tweaks | None = None) -> Interpretation:
    """The tweaks ``instruction`` asks for on top of ``current``; each rule applies once."""
    tweaks = current or Tweaks()
    text = " ".join(instruction.lower().replace("colour", "color").split())
    applied: list[str] = []
    remaining = text
    for rule in RULES:
        if rule.pattern.search(remaining):
            tweaks = _apply(tweaks, rule)
            applied.append(rule.label)
            remaining = rule.pattern.sub(" ", remaining)
    leftover = " ".join(_FILLER.sub(" ", remaining).split())
    return Interpretation(tweaks=tweaks, applied=tuple(applied), not_understood=leftover)
