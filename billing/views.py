"""The pricing and billing pages. This server takes no payments yet: plans come from staff
grants, and checkout says so instead of taking payment.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from aurastream.types import AuthenticatedHttpRequest

from . import selectors
from .entitlements import plan_for
from .plans import PLANS

NOT_CONFIGURED = (
    "Billing is not configured on this server, so plans can't be bought here yet. "
    "An admin can grant a plan in the admin."
)
UNKNOWN_PLAN = "That plan does not exist. Choose Pro or Studio."


def _pricing_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    current_plan = plan_for(request.user.pk) if request.user.is_authenticated else None
    context = {"plans": PLANS.values(), "current_plan": current_plan, "error": error}
    return render(request, "billing/pricing.html", context, status=status)


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    return _pricing_page(request)


@require_GET
@login_required
def billing(request: AuthenticatedHttpRequest) -> HttpResponse:
    overview = selectors.billing_overview(user=request.user)
    return render(request, "billing/billing.html", {"overview": overview})


@require_POST
@login_required
def checkout(request: AuthenticatedHttpRequest) -> HttpResponse:
    plan = PLANS.get(request.POST.get("plan", ""))
    if plan is None or plan.is_free:
        return _pricing_page(request, error=UNKNOWN_PLAN, status=400)
    return _pricing_page(request, error=NOT_CONFIGURED, status=503)
