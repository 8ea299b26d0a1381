"""``{% upgrade_button plan %}``: the way out of a plan limit, wherever one is hit."""

from __future__ import annotations

from typing import Any

from django import template

from billing.payments import payments_configured
from billing.plans import Plan

register = template.Library()


@register.inclusion_tag("billing/partials/_upgrade_button.html", takes_context=True)
def upgrade_button(
    context: template.Context, plan: Plan | None, css: str = "btn-secondary btn-sm", *, in_form: bool = False
) -> dict[str, Any]:
    """Straight to checkout for ``plan`` when this server takes payments; else the plans page.

    ``in_form``: the button sits inside another form (forms cannot nest), so it submits that
    form to checkout instead, carrying the plan in its own name and value.
    """
    return {
        "plan": plan,
        "css": css,
        "in_form": in_form,
        "checkout": plan is not None and payments_configured(),
        "csrf_token": context.get("csrf_token"),
    }
