"""The pricing and billing pages, and the hand-offs to Stripe Checkout and the Customer Portal.

Without Stripe keys (the embedded default) the pages still work and checkout explains that
billing is not configured here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from aurastream.types import AuthenticatedHttpRequest

from . import payments, selectors, services
from .entitlements import plan_for
from .payments import PaymentsError
from .plans import PLANS

UNKNOWN_PLAN = "That plan does not exist. Choose Pro or Studio."


class SeeOther(HttpResponseRedirect):
    """A redirect after a POST (to Stripe's pages), always followed with a GET."""

    status_code = 303


def _pricing_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    current_plan = plan_for(request.user.pk) if request.user.is_authenticated else None
    context = {
        "plans": PLANS.values(),
        "current_plan": current_plan,
        "error": error,
        "payments_configured": payments.payments_configured(),
    }
    return render(request, "billing/pricing.html", context, status=status)


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    if request.GET.get("checkout") == "canceled":
        messages.info(request, "Checkout canceled: nothing was charged and your plan is unchanged.")
    return _pricing_page(request)


@require_GET
@login_required
def billing(request: AuthenticatedHttpRequest) -> HttpResponse:
    overview = selectors.billing_overview(user=request.user)
    context = {"overview": overview, "payments_configured": payments.payments_configured()}
    return render(request, "billing/billing.html", context)


@require_POST
@login_required
def checkout(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send the creator to Stripe Checkout for the plan they chose (or to the Customer Portal,
    if they already subscribe)."""
    plan = PLANS.get(request.POST.get("plan", ""))
    if plan is None or plan.is_free:
        return _pricing_page(request, error=UNKNOWN_PLAN, status=400)
    try:
        url = services.upgrade_start(user=request.user, plan=plan, absolute_url=request.build_absolute_uri)
    except PaymentsError as error:
        status = 503 if not payments.payments_configured() else 502
        return _pricing_page(request, error=error.message, status=status)
    return SeeOther(url)


@require_GET
@login_required
def checkout_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where Stripe Checkout returns after payment: confirm the new plan and go to billing."""
    subscription = payments.checkout_finish(user=request.user, session_id=request.GET.get("session_id", ""))
    if subscription is not None:
        plan = plan_for(request.user)
        messages.success(request, f"Welcome to {plan.name}! Your new limits apply right away.")
    else:
        messages.info(
            request, "Thanks! Stripe is confirming your payment; your plan updates here in a moment."
        )
    return redirect("billing:billing")


@require_POST
@login_required
def portal(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send the creator to Stripe's Customer Portal: cards, plan changes, cancellation, invoices."""
    try:
        url = payments.portal_start(
            user=request.user, return_url=request.build_absolute_uri(reverse("billing:billing"))
        )
    except PaymentsError as error:
        overview = selectors.billing_overview(user=request.user)
        context = {
            "overview": overview,
            "payments_configured": payments.payments_configured(),
            "error": error.message,
        }
        status = 503 if not payments.payments_configured() else 400
        return render(request, "billing/billing.html", context, status=status)
    return SeeOther(url)
