from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from workspaces.models import InWorkspace

from .plans import PLANS

PLAN_CHOICES = [(plan.code, plan.name) for plan in PLANS.values()]


class PlanGrant(models.Model):
    """A plan given to a creator by staff (a comped account), optionally until a date.

    Until Stripe subscriptions land, grants are the only way off the Free plan.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_grants")
    plan = models.CharField(max_length=20, choices=PLAN_CHOICES)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end date.")
    reason = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="plan_grant_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_plan_display()} for {self.user}"


class UsageEntry(InWorkspace):
    """One line of the usage ledger: generations reserved, charged or released, and coach
    sessions started (charged at once; they count against the Free plan's one trial).

    A job reserves its cost when it is accepted, is charged once when it succeeds and
    releases the reservation when it fails or is canceled. `reference` names the job, so every
    transition is idempotent.
    """

    class State(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        CHARGED = "charged", "Charged"
        RELEASED = "released", "Released"

    class Kind(models.TextChoices):
        GENERATION = "generation", "Generation"
        COACH_SESSION = "coach_session", "Coach session"
        REFINE = "refine", "Refine"

    MADE_BY = "user"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usage_entries")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERATION)
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.RESERVED)
    period_start = models.DateField(help_text="First day of the billing period the usage counts in.")
    reference = models.CharField(max_length=80, help_text="What used it, e.g. generation:<job id>.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "usage entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference"], name="usage_entry_unique_reference"),
        ]
        indexes = [models.Index(fields=["user", "kind", "period_start", "state"])]

    def __str__(self) -> str:
        return f"{self.quantity} {self.kind} {self.state} ({self.reference})"


class PaymentIssue(models.Model):
    """A subscription renewal whose payment failed.

    While Stripe retries the card the creator keeps their paid plan until ``grace_ends_at``;
    after that they are on Free until a payment succeeds (``resolved_at``). One row per Stripe
    invoice, so however often Stripe reports the failure, the grace starts once and the creator
    is emailed once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_issues"
    )
    subscription_id = models.CharField(max_length=255, help_text="The Stripe subscription (sub_…).")
    invoice_id = models.CharField(max_length=255, unique=True, help_text="The unpaid Stripe invoice (in_…).")
    started_at = models.DateTimeField(help_text="When Stripe first reported the failed payment.")
    grace_ends_at = models.DateTimeField(help_text="The paid plan ends here unless a payment succeeds.")
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="A payment succeeded.")
    notified_at = models.DateTimeField(null=True, blank=True, help_text="The creator was emailed.")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["subscription_id", "resolved_at"])]

    def __str__(self) -> str:
        return f"Failed payment {self.invoice_id} for {self.user}"
