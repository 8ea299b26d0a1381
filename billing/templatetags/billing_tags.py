"""Billing's pieces of other apps' pages.

``{% upgrade_button plan %}``: the way out of a plan limit, wherever one is hit.
``{% plan_cards %}``: the three plans, the signed-in creator's marked (landing page, /pricing/).
``{% plan_card %}``: the creator's plan and what is left of its allowance (the dashboard).
Pages outside billing ask for these by tag, so no other app or kernel page imports billing.
"""

from __future__ import annotations

from typing import Any

from django import template

from billing.entitlements import generation_allowance, plan_for
from billing.payments import payments_configured
from billing.plans import PLANS, Plan

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


@register.inclusion_tag("billing/partials/_plans.html", takes_context=True)
def plan_cards(context: template.Context, heading_level: int = 3) -> dict[str, Any]:
    """The plan cards for whoever is looking: signed out, each leads to signup."""
    user = context["request"].user
    return {
        "plans": PLANS.values(),
        "current_plan": plan_for(user.pk) if user.is_authenticated else None,
        "heading_level": heading_level,
    }


@register.inclusion_tag("billing/partials/_plan_card.html", takes_context=True)
def plan_card(context: template.Context) -> dict[str, Any]:
    """The signed-in creator's plan card: its name, generations left and when they reset."""
    return {"allowance": generation_allowance(context["request"].user)}
