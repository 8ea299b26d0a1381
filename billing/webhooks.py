"""Stripe webhook handlers: keep each creator's plan in step with Stripe.

dj-stripe receives the webhook at ``/stripe/webhook/<uuid>/``, verifies its signature against
the endpoint's secret, stores the Event once (a redelivered event id is not processed again)
and syncs the object it names by re-fetching it from Stripe. These handlers run after that,
inside the same transaction, so an error answers Stripe with a 500 and Stripe retries.

Every handler reads Stripe's current state rather than trusting the event's copy, so events
arriving late or out of order still end in the right plan.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

import stripe
from allauth.utils import build_absolute_uri
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from djstripe.event_handlers import djstripe_receiver
from djstripe.models import Event, Subscription

from accounts.emails import email_build
from accounts.models import EmailKind, Notification, User
from accounts.services import account_email_send, email_enqueue, notify
from aurastream import events
from aurastream.db import acting_user
from webhooks.services import event_emit
from workspaces.models import Workspace

from . import payments, standing_cache
from .models import PaymentIssue
from .plans import Plan
from .subscriptions import IN_GOOD_STANDING, grace_days, subscription_period, subscription_price_id

logger = logging.getLogger(__name__)

# The events a Stripe webhook endpoint for AuraStream subscribes to.
ENABLED_EVENTS = [
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.resumed",
    "invoice.paid",
    "invoice.payment_failed",
]


def invoice_subscription_id(invoice: dict[str, Any]) -> str:
    """The subscription an invoice bills (under ``parent`` since Stripe API 2025-03-31)."""
    details = ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    found = details or invoice.get("subscription") or ""
    return str(found.get("id", "")) if isinstance(found, dict) else str(found)


def _gone(error: stripe.InvalidRequestError) -> bool:
    return error.code == "resource_missing" or error.http_status == 404


def acknowledge_gone(handler: Callable[..., None]) -> Callable[..., None]:
    """An invoice handler that answers Stripe 200 when the invoice or its subscription no
    longer exists there (deleted, or from another account): it will never come back, so a 500
    would only make Stripe retry for days and disable the endpoint. Nothing is changed."""

    @functools.wraps(handler)
    def wrapped(sender: object, event: Event, **kwargs: Any) -> None:
        try:
            handler(sender, event, **kwargs)
        except stripe.InvalidRequestError as error:
            if not _gone(error):
                raise
            logger.warning("Skipping %s event %s: %s", event.type, event.id, error.user_message or error)

    return wrapped


def _subscriber(subscription: Subscription) -> User | None:
    return subscription.customer.subscriber if subscription.customer_id else None


def _issues_resolve(subscription_id: str) -> int:
    issues = PaymentIssue.objects.filter(subscription_id=subscription_id, resolved_at__isnull=True)
    standing_cache.forget(issues.values_list("user_id", flat=True))  # an update sends no signal
    return issues.update(resolved_at=timezone.now())


@djstripe_receiver("checkout.session.completed")
def checkout_session_completed(sender: object, event: Event, **kwargs: Any) -> None:
    """A creator paid in Checkout: bring their new subscription in at once."""
    session = event.data["object"]
    subscription_id = session.get("subscription")
    if session.get("mode") != "subscription" or not subscription_id:
        return
    subscription = payments.subscription_sync(str(subscription_id))
    logger.info(
        "Checkout completed: subscription %s (%s) for customer %s",
        subscription.id,
        subscription_price_id(subscription.stripe_data),
        subscription.customer_id,
    )


@djstripe_receiver(
    [
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.resumed",
    ]
)
def subscription_changed(sender: object, event: Event, **kwargs: Any) -> None:
    """dj-stripe has re-fetched the subscription; a paid-up one clears any payment issue."""
    subscription = Subscription.objects.filter(id=event.data["object"].get("id")).first()
    if subscription is not None and subscription.stripe_data.get("status") in IN_GOOD_STANDING:
        _issues_resolve(subscription.id)
    if subscription is not None:
        _plan_change_tell(event, subscription)
        _webhook_emit(subscription)


def _webhook_emit(subscription: Subscription) -> None:
    """``subscription.changed`` with the plan it gives and Stripe's status, to the webhook
    endpoints of every workspace the subscriber owns (a workspace's plan is its owner's)."""
    user = _subscriber(subscription)
    if user is None:
        return
    data = subscription.stripe_data
    plan = payments.plan_for_price(subscription_price_id(data))
    change = {
        "subscription": {
            "plan": plan.code if plan else None,
            "status": data.get("status"),
            "cancel_at_period_end": bool(data.get("cancel_at_period_end")),
        }
    }
    for workspace_id in Workspace.objects.filter(owner=user).values_list("pk", flat=True):
        event_emit(workspace_id=workspace_id, type="subscription.changed", data=change)


def _plan_change(event: Event, data: dict[str, Any]) -> str:
    """What the creator is told an event did to their plan: "started", "changed", "cancelled",
    "ended", or "" (nothing worth an email). Read against Stripe's current copy of the
    subscription, so a late or reordered event never announces a state that no longer holds
    (a "created" arriving after the subscription ended says nothing)."""
    status = data.get("status")
    previous = (event.data or {}).get("previous_attributes") or {}
    if event.type == "customer.subscription.deleted":
        return "ended" if status == "canceled" else ""
    if status not in IN_GOOD_STANDING:
        return ""
    if event.type == "customer.subscription.created":
        return "" if data.get("cancel_at_period_end") else "started"
    if event.type != "customer.subscription.updated":
        return ""
    if "cancel_at_period_end" in previous and data.get("cancel_at_period_end"):
        return "cancelled"
    if "items" in previous or "plan" in previous:
        before = payments.plan_for_price(subscription_price_id(previous))
        after = payments.plan_for_price(subscription_price_id(data))
        if after is not None and before != after:
            return "changed"
    return ""


def _plan_change_record(
    event: Event, subscription: Subscription, *, user: User, change: str, plan: Plan
) -> None:
    """The product event of a plan change. Keyed, so a redelivered or reprocessed event is
    counted once: a start or change by Stripe's event id; a cancellation by the subscription
    and the end of its period, so cancelling at the period's end and that end arriving (or a
    cancel, resume and cancel again within the period) are one cancellation."""
    if change in ("cancelled", "ended"):
        _start, period_end = subscription_period(subscription.stripe_data)
        key = f"{subscription.id}:{int(period_end.timestamp()) if period_end else ''}"
        events.record(events.SUBSCRIPTION_CANCELLED, user=user, key=key, plan=plan.code)
        return
    properties: dict[str, Any] = {"plan": plan.code}
    if change == "changed":
        previous = (event.data or {}).get("previous_attributes") or {}
        before = payments.plan_for_price(subscription_price_id(previous))
        properties["previous_plan"] = before.code if before else ""
    events.record(events.SUBSCRIPTION_STARTED, user=user, key=str(event.id), **properties)


def _plan_change_tell(event: Event, subscription: Subscription) -> None:
    """Plan started, changed or cancelled: counted (a product event) and told (a
    non-transactional email the creator may switch off). Each event is processed once
    (dj-stripe), so each change is told once."""
    user = _subscriber(subscription)
    change = _plan_change(event, subscription.stripe_data)
    plan = payments.plan_for_price(subscription_price_id(subscription.stripe_data))
    if user is None or not change or plan is None:
        return
    _plan_change_record(event, subscription, user=user, change=change, plan=plan)
    _start, period_end = subscription_period(subscription.stripe_data)
    account_email_send(
        user=user,
        template="billing/email/plan_changed",
        context={
            "change": change,
            "plan_name": plan.name,
            "period_end": period_end,
            "billing_url": build_absolute_uri(None, reverse("billing:billing")),
            "pricing_url": build_absolute_uri(None, reverse("billing:pricing")),
        },
        kind=EmailKind.PLAN,
    )


@djstripe_receiver(["invoice.paid", "invoice.payment_succeeded"])
@acknowledge_gone
def invoice_paid(sender: object, event: Event, **kwargs: Any) -> None:
    """A renewal was paid: the grace period is over and the subscription is current again."""
    subscription_id = invoice_subscription_id(event.data["object"])
    if not subscription_id:
        return
    payments.subscription_sync(subscription_id)
    _issues_resolve(subscription_id)


@djstripe_receiver("invoice.payment_failed")
@acknowledge_gone
def invoice_payment_failed(sender: object, event: Event, **kwargs: Any) -> None:
    """A renewal payment failed: start the grace period and tell the creator, once per invoice."""
    invoice_id = str(event.data["object"].get("id", ""))
    subscription_id = invoice_subscription_id(event.data["object"])
    if not invoice_id or not subscription_id:
        return
    # Stripe's current word on the invoice: a retry may have paid it since this event was sent.
    invoice = stripe.Invoice.retrieve(invoice_id, api_key=event.default_api_key)
    subscription = payments.subscription_sync(subscription_id)
    user = _subscriber(subscription)
    if invoice.status != "open" or user is None:
        return
    started_at = event.created or timezone.now()
    issue, created = PaymentIssue.objects.get_or_create(
        invoice_id=invoice_id,
        defaults={
            "user": user,
            "subscription_id": subscription_id,
            "started_at": started_at,
            "grace_ends_at": started_at + grace_days(),
        },
    )
    if created:
        issue.notified_at = timezone.now()
        issue.save(update_fields=["notified_at"])
        email_enqueue(
            message=_payment_failed_email(user, issue=issue, invoice=invoice, subscription=subscription)
        )
        notify(
            user_id=user.pk,
            kind=Notification.Kind.PAYMENT_ISSUE,
            message="Your last payment didn't go through. Update your card to keep your plan.",
            link=reverse("billing:billing"),
        )


def _payment_failed_email(
    user: User, *, issue: PaymentIssue, invoice: Any, subscription: Subscription
) -> EmailMultiAlternatives:
    plan = payments.plan_for_price(subscription_price_id(subscription.stripe_data))
    context = {
        "user": user,
        "plan_name": plan.name if plan else "paid",
        "amount": (invoice.get("amount_due") or 0) / 100,
        "currency": str(invoice.get("currency") or "usd").upper(),
        "grace_ends_at": issue.grace_ends_at,
        "billing_url": build_absolute_uri(None, reverse("billing:billing")),
    }
    # Transactional (kind None): sent even to a creator who switched every other email off.
    message = email_build(user=user, template="billing/email/payment_failed", context=context, kind=None)
    assert message is not None  # only opted-out kinds give None
    return message


FUTURE_TOLERANCE_S = 120


def refuse_future_signatures(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Stripe's signature check only bounds how old a signed timestamp may be; one dated more
    than two minutes ahead (clock skew aside) is no delivery of Stripe's, and is refused."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Stripe-Signature", "")
        stamps = [part[2:] for part in header.split(",") if part.strip().startswith("t=")]
        if stamps:
            try:
                signed_at = int(stamps[0].strip())
            except ValueError:
                return HttpResponseBadRequest("Malformed Stripe-Signature timestamp.")
            if signed_at > time.time() + FUTURE_TOLERANCE_S:
                return HttpResponseBadRequest("The signature is dated in the future.")
        return view(request, *args, **kwargs)

    return wrapped


def system_work_keeping_the_log(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run Stripe's webhook as system work (its endpoint, events and everything they touch
    are system-only rows) in one transaction that commits its delivery log even when
    processing fails: dj-stripe rolls the processing back to a savepoint and re-raises, so the
    error is raised again only once the log is committed (Django answers 500; Stripe retries).
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        failure: Exception | None = None
        with acting_user(None):
            try:
                response = view(request, *args, **kwargs)
            except Exception as error:  # raised again below, after the commit
                failure = error
        if failure is not None:
            raise failure
        return response

    return wrapped
