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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .types import Tweaks

BRIGHTNESS_STEP = 1.18
CONTRAST_STEP = 1.25
TEXT_STEP = 1.22
DARKER_STEP = 0.78
GLOW_STEP = 1.0
SPEED_STEP = 1.4
AMOUNT_STEP = 1.35
# How far repeated instructions may push a value.
LIMITS = {
    "brightness": (0.35, 2.2),
    "contrast": (0.5, 2.5),
    "text_scale": (0.6, 1.9),
    "glow": (0.0, 3.0),
    "motion_speed": (0.3, 3.0),
    "motion_amount": (0.3, 2.0),
}


@dataclass(frozen=True)
class Chip:
    key: str
    label: str
    instruction: str


# The quick chips, in the order the page shows them (each result shows the ones that would
# change it: ``chips_for``).
CHIPS = (
    Chip("brighter", "Brighter", "brighter"),
    Chip("contrast", "More contrast", "more contrast"),
    Chip("bigger-text", "Bigger text", "bigger text"),
    Chip("accent", "Swap to accent colour", "swap to accent colour"),
    Chip("darker-background", "Darker background", "darker background"),
    Chip("logo-left", "Move logo left", "move logo left"),
    Chip("logo-right", "Move logo right", "move logo right"),
    Chip("glow", "More glow", "more glow"),
    # Animated assets only (``unavailable`` hides them on stills).
    Chip("faster", "Faster", "faster"),
    Chip("slower", "Slower", "slower"),
    Chip("calmer", "Less movement", "less movement"),
    Chip("livelier", "More movement", "more movement"),
)


@dataclass(frozen=True)
class Interpretation:
    tweaks: Tweaks
    applied: tuple[str, ...]  # what changed, in words ("Brighter")
    not_understood: str  # the part of the instruction no rule matched ("" when all did)
    # Asked for, understood, but nothing to change: already as far as it goes, or no logo to
    # move. In sentences ("The text is already as big as it goes.").
    already: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    label: str
    field: str
    step: float | bool | str
    already: str  # what to say when the tweak is already there


def _rule(pattern: str, label: str, field: str, step: float | bool | str, already: str) -> _Rule:
    return _Rule(re.compile(pattern), label, field, step, already)


# What an asset says when its layout has no room for a kind of change (``unavailable``).
NO_CORNER_LOGO = "This asset has no logo in a corner to move."
FIXED_TEXT = "The words on this asset keep the size its layout gives them."
STILL = "This asset doesn't move: animate it to change how it moves."
TEXT_AT_ITS_LARGEST = "The text already fills the room the layout gives it."
BIGGER_TEXT = "Bigger text"  # the change a caller may measure and ``withdraw``
FASTER, SLOWER = "Faster", "Slower"  # changes to a loop's length, which the row's limits may stop
LESS_MOVEMENT, MORE_MOVEMENT = "Less movement", "More movement"
MOTION_CHANGES = frozenset({FASTER, SLOWER, LESS_MOVEMENT, MORE_MOVEMENT})
NO_AMOUNT = "This animation has no amount of movement to change: try faster or slower, or another animation."
PACE_AT_ITS_LIMIT = (
    "It already plays at the pace this asset type allows (its loop can't be longer or shorter)."
)


_MOVES = (
    r"(?:movement|motion|moving|shake|shaking|bounce|bouncing|wobble|wiggle|spin|spinning|jiggle|sway|wave)"
)

# Order matters: the more specific phrase first ("darker background" before "darker").
RULES = (
    _rule(
        r"\b(?:faster|quicker|speed\s+(?:it\s+)?up|snappier|more\s+speed)\b",
        FASTER,
        "motion_speed",
        SPEED_STEP,
        "It already moves as fast as it goes.",
    ),
    _rule(
        r"\b(?:slower|slow\s+(?:it\s+)?down|less\s+fast|more\s+relaxed)\b",
        SLOWER,
        "motion_speed",
        1 / SPEED_STEP,
        "It already moves as slowly as it goes.",
    ),
    _rule(
        rf"\b(?:less|smaller|softer|gentler|subtler|calmer|tone\s+down(?:\s+the)?)\s+{_MOVES}\b",
        LESS_MOVEMENT,
        "motion_amount",
        1 / AMOUNT_STEP,
        "It already moves as little as it goes.",
    ),
    _rule(
        rf"\b(?:more|bigger|stronger|wilder|extra)\s+{_MOVES}\b|\b(?:bouncier|shakier)\b",
        MORE_MOVEMENT,
        "motion_amount",
        AMOUNT_STEP,
        "It already moves as much as it goes.",
    ),
    _rule(
        r"\b(?:darker|darken|dimmer|dim)\s+(?:the\s+)?(?:background|backdrop|bg)\b",
        "Darker background",
        "brightness",
        DARKER_STEP,
        "The background is already as dark as it goes.",
    ),
    _rule(
        r"\b(?:less|lower)\s+contrast\b",
        "Less contrast",
        "contrast",
        1 / CONTRAST_STEP,
        "The contrast is already as low as it goes.",
    ),
    _rule(
        r"\b(?:more|higher|increase|boost)\s+(?:the\s+)?contrast\b|\bcontrast(?:ier)?\b|\bpunchier\b",
        "More contrast",
        "contrast",
        CONTRAST_STEP,
        "The contrast is already as high as it goes.",
    ),
    _rule(
        r"\b(?:smaller|less big)\s+(?:the\s+)?(?:text|title|headline|words|font|letters)\b",
        "Smaller text",
        "text_scale",
        1 / TEXT_STEP,
        "The text is already as small as it goes.",
    ),
    _rule(
        r"\b(?:bigger|larger|huge|bolder|enlarge|increase)\s+(?:the\s+)?(?:text|title|headline|words|font|letters)\b|\b(?:text|title|headline)\s+(?:bigger|larger)\b",
        BIGGER_TEXT,
        "text_scale",
        TEXT_STEP,
        "The text is already as big as it goes.",
    ),
    _rule(
        r"\baccent\b",
        "Swapped to your accent colour",
        "accent_art",
        True,
        "The art already uses your accent colour.",
    ),
    _rule(
        r"\b(?:move|put|place)\s+(?:the\s+)?logo\s+(?:to\s+the\s+)?left\b|\blogo\s+(?:on\s+the\s+)?left\b",
        "Logo on the left",
        "logo_side",
        "left",
        "The logo is already on the left.",
    ),
    _rule(
        r"\b(?:move|put|place)\s+(?:the\s+)?logo\s+(?:to\s+the\s+)?right\b|\blogo\s+(?:on\s+the\s+)?right\b",
        "Logo on the right",
        "logo_side",
        "right",
        "The logo is already on the right.",
    ),
    _rule(
        r"\b(?:more\s+)?glow(?:ing|y)?\b|\bneon\s+glow\b",
        "More glow",
        "glow",
        GLOW_STEP,
        "The glow is already as strong as it goes.",
    ),
    _rule(
        r"\b(?:darker|darken|dimmer|moodier)\b",
        "Darker",
        "brightness",
        DARKER_STEP,
        "It is already as dark as it goes.",
    ),
    _rule(
        r"\b(?:brighter|brighten|lighter|lighten|more\s+light|sunnier)\b",
        "Brighter",
        "brightness",
        BRIGHTNESS_STEP,
        "It is already as bright as it goes.",
    ),
)
_FILLER = re.compile(
    r"\b(?:and|please|make|it|the|a|an|bit|little|more|much|too|so|also|then|with|just|slightly|way|lot|"
    r"swap|switch|to|use|color|colors|can|you|could|i|want|its|is)\b|[,.;:!?&+'-]+"
)


def _apply(tweaks: Tweaks, rule: _Rule) -> Tweaks:
    current = getattr(tweaks, rule.field)
    changes: dict[str, Any]
    if rule.field == "logo_side" and rule.step == (current or "left"):
        return tweaks  # the layout's own corner logo is on the left
    if isinstance(rule.step, (bool, str)):
        changes = {rule.field: rule.step}
    else:
        # Glow adds up from nothing; the others are factors.
        value = current + rule.step if rule.field == "glow" else current * rule.step
        low, high = LIMITS[rule.field]
        changes = {rule.field: round(min(high, max(low, value)), 4)}
    return dataclasses.replace(tweaks, **changes)


def interpret(
    instruction: str, current: Tweaks | None = None, *, unavailable: Mapping[str, str] | None = None
) -> Interpretation:
    """The tweaks ``instruction`` asks for on top of ``current``; each rule applies once.

    A rule that would change nothing (already at its limit, the logo already on that side, or
    a tweak field in ``unavailable``, which maps it to why this asset can't take it) is
    reported in ``already``, not as applied."""
    unavailable = unavailable or {}
    tweaks = current or Tweaks()
    text = " ".join(instruction.lower().replace("colour", "color").split())
    applied: list[str] = []
    already: list[str] = []
    remaining = text
    for rule in RULES:
        if rule.pattern.search(remaining):
            remaining = rule.pattern.sub(" ", remaining)
            if rule.field in unavailable:
                already.append(unavailable[rule.field])
                continue
            changed = _apply(tweaks, rule)
            if changed == tweaks:
                already.append(rule.already)
                continue
            tweaks = changed
            applied.append(rule.label)
    leftover = " ".join(_FILLER.sub(" ", remaining).split())
    return Interpretation(
        tweaks=tweaks,
        applied=tuple(applied),
        not_understood=leftover,
        already=tuple(dict.fromkeys(already)),
    )


def chips_for(
    current: Tweaks | None = None, *, unavailable: Mapping[str, str] | None = None
) -> tuple[Chip, ...]:
    """The chips that would change an asset with these tweaks (no "Move logo left" on a logo
    that is already there, no "Brighter" at the brightest, none for an ``unavailable`` field)."""
    return tuple(
        chip for chip in CHIPS if interpret(chip.instruction, current, unavailable=unavailable).changed
    )


def withdraw(meaning: Interpretation, label: str, current: Tweaks, reason: str) -> Interpretation:
    """``meaning`` without the change ``label`` (its tweak back at ``current``'s value), which
    turned out to change nothing on this asset, for ``reason``."""
    if label not in meaning.applied:
        return meaning
    rule = next(rule for rule in RULES if rule.label == label)
    return dataclasses.replace(
        meaning,
        tweaks=dataclasses.replace(meaning.tweaks, **{rule.field: getattr(current, rule.field)}),
        applied=tuple(applied for applied in meaning.applied if applied != label),
        already=tuple(dict.fromkeys((*meaning.already, reason))),
    )
