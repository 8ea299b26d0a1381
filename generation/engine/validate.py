"""Validation: the checks creators otherwise do by hand, reported in plain language.

Per file (``file_checks``): exact pixel size, byte cap, format, transparency. Per asset: text
and logo inside the safe zone and clear of the platform's UI, overlay holes really transparent,
a real cut-out for chat assets, and legibility at the size the platform shows it
(``legibility``).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from platforms.types import PlatformSpec

from . import geometry as geo
from . import layout
from .canvas import Composition
from .checks import CHAT_FAMILIES, verdict
from .legibility import check_legibility
from .types import Check

# --- asset-level checks --------------------------------------------------------------------


def check_placements(spec: PlatformSpec, composition: Composition) -> list[Check]:
    checks: list[Check] = []
    safe = layout.safe_rect(spec)
    problems: list[str] = []
    for placement in composition.placements:
        rect = placement.rect
        name = {"logo": "logo", "reference": f"{placement.label.replace('_', ' ')} image"}.get(
            placement.kind, f"{placement.label} text"
        )
        if spec.family not in CHAT_FAMILIES and not geo.contains(safe, rect):
            problems.append(f"The {name} reaches outside the safe area, where some screens crop it.")
        for area in spec.keep_clear:
            if geo.intersects(rect, area):
                problems.append(
                    f"The {name} overlaps an area the platform covers with its own buttons or labels."
                )
        for hole in spec.transparent_areas:
            if geo.intersects(rect, hole):
                problems.append(f"The {name} overlaps a transparent area (webcam or game capture).")
        if spec.circle:
            m = spec.master
            radius = min(m.width, m.height) / 2
            if not geo.inside_circle(rect, m.width / 2, m.height / 2, radius):
                problems.append(f"The {name} gets cut off by the circle crop.")
    if composition.placements:
        checks.append(
            verdict(
                "safe_zone",
                not problems,
                "Text and logo sit inside the safe area.",
                " ".join(dict.fromkeys(problems)),
                severity="warning",
                value=float(len(problems)),
                limit=0.0,
            )
        )
    return checks


def check_holes(spec: PlatformSpec, composition: Composition) -> list[Check]:
    if not spec.transparent_areas:
        return []
    if composition.image.mode != "RGBA":
        return [verdict("transparent_areas", False, "The overlay has no transparency.")]
    alpha = np.asarray(composition.image.getchannel("A"))
    k = composition.scale
    worst = 0
    for hole in spec.transparent_areas:
        r = geo.scale(hole, k)
        worst = max(worst, int(alpha[r.y : r.y + r.height, r.x : r.x + r.width].max(initial=0)))
    return [
        verdict(
            "transparent_areas",
            worst == 0,
            "Webcam and game areas are fully transparent.",
            "Part of the webcam or game area is not transparent.",
            value=float(worst),
            limit=0.0,
        )
    ]


def check_cutout(spec: PlatformSpec, composition: Composition) -> list[Check]:
    """Chat assets need a real transparent background, not a square of colour."""
    if spec.family not in CHAT_FAMILIES:
        return []
    alpha = np.asarray(composition.image.getchannel("A"))
    share = int(np.count_nonzero(alpha < 16)) / alpha.size
    return [
        verdict(
            "cutout",
            share >= 0.05,
            "The background is cut out.",
            "The art fills the whole square: it will show as a box in chat.",
            severity="warning",
            value=round(share, 3),
            limit=0.05,
        )
    ]


def check_asset(
    spec: PlatformSpec,
    composition: Composition,
    previews: dict[tuple[int, int], Image.Image] | None = None,
) -> tuple[Check, ...]:
    return tuple(
        [
            *composition.notes,
            *check_placements(spec, composition),
            *check_holes(spec, composition),
            *check_cutout(spec, composition),
            *check_legibility(spec, composition, previews),
        ]
    )
