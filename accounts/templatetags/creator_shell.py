"""The signed-in shell's keyboard-first parts, drawn by base.html: the command palette and the
help menu in the header, and (once per page) the palette dialog, the shortcut sheet, the
onboarding tour and any milestone not yet celebrated. static/js/palette.js drives them."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import reverse

from accounts.models import SHORTCUT_LABELS, TourState
from accounts.shell import milestones_to_celebrate
from accounts.ux_services import TOUR_STEPS
from aurastream.undo import undo_take

register = template.Library()

# The two-key navigation: G then one of these keys.
GO_TO = (
    ("d", "Dashboard", "dashboard"),
    ("l", "Library", "library:list"),
    ("b", "Brand kits", "brandkits:list"),
    ("c", "Prompt Coach", "coach:list"),
    ("q", "Quick Create", "generation:quick_gallery"),
    ("n", "Create", "generation:generate"),
    ("p", "Profile", "profile"),
)


# Where each single-key shortcut goes ("refine" acts on the page instead).
SHORTCUT_PAGES = {
    "new": "generation:generate",
    "quick": "generation:quick_gallery",
    "library": "library:list",
    "brand": "brandkits:list",
    "coach": "coach:list",
}


@register.inclusion_tag("accounts/partials/_header_tools.html", takes_context=True)
def creator_header_tools(context: template.Context) -> dict[str, Any]:
    return {"user": context.get("user"), "request": context.get("request")}


@register.inclusion_tag("accounts/partials/_creator_shell.html", takes_context=True)
def creator_shell(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"signed_in": False}
    bindings = user.shortcut_bindings()
    request = context.get("request")
    return {
        "signed_in": True,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "shortcuts_json": json.dumps(
            {
                "enabled": user.shortcuts_enabled,
                "keys": bindings,
                "urls": {action: reverse(name) for action, name in SHORTCUT_PAGES.items()},
                "go": {key: reverse(name) for key, _, name in GO_TO},
            }
        ),
        "shortcut_rows": [(bindings[action], label) for action, label in SHORTCUT_LABELS.items()],
        "go_rows": GO_TO,
        "tour": tour_context(user),
        "celebrate": milestones_to_celebrate(user.pk),
        "undo": undo_take(request) if request is not None else None,
    }


def tour_context(user: Any) -> dict[str, Any] | None:
    """The tour card's step, while the tour is showing."""
    if user.tour_state != TourState.ACTIVE:
        return None
    step = min(user.tour_step, len(TOUR_STEPS) - 1)
    return {"step": TOUR_STEPS[step], "number": step + 1, "count": len(TOUR_STEPS)}
