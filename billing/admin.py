from typing import Any

from django.contrib import admin
from django.utils import timezone

from accounts.admin import UserAdmin as AccountsUserAdmin
from accounts.models import User

from . import entitlements
from .models import PaymentIssue, PlanGrant, UsageEntry


@admin.register(PlanGrant)
class PlanGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "plan", "starts_at", "ends_at", "reason", "granted_by")
    list_filter = ("plan",)
    search_fields = ("user__email", "reason")
    autocomplete_fields = ("user",)
    readonly_fields = ("granted_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(UsageEntry)
class UsageEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "quantity", "state", "period_start", "reference", "created_at")
    list_filter = ("kind", "state", "period_start")
    search_fields = ("user__email", "reference")
    readonly_fields = [f.name for f in UsageEntry._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PaymentIssue)
class PaymentIssueAdmin(admin.ModelAdmin):
    """Failed renewals, as Stripe reported them. Read only: Stripe's events keep them."""

    list_display = ("user", "invoice_id", "started_at", "grace_ends_at", "resolved_at", "notified_at")
    list_filter = ("resolved_at",)
    search_fields = ("user__email", "invoice_id", "subscription_id")
    readonly_fields = [f.name for f in PaymentIssue._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlanGrantInline(admin.TabularInline):
    model = PlanGrant
    fk_name = "user"
    extra = 0
    fields = ("plan", "starts_at", "ends_at", "reason", "granted_by")
    readonly_fields = ("granted_by",)


class PaymentIssueInline(admin.TabularInline):
    model = PaymentIssue
    extra = 0
    fields = ("invoice_id", "started_at", "grace_ends_at", "resolved_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


# The user page shows each creator's plan, usage and comp grants.
admin.site.unregister(User)


@admin.register(User)
class CreatorAdmin(AccountsUserAdmin):
    inlines = [PlanGrantInline, PaymentIssueInline]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return (*super().get_readonly_fields(request, obj), "plan_summary")

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # the add form
            return fieldsets
        return (*fieldsets, ("Plan and usage", {"fields": ("plan_summary",)}))

    def save_formset(self, request, form, formset, change):
        for grant in formset.save(commit=False):
            if isinstance(grant, PlanGrant) and grant.pk is None:
                grant.granted_by = request.user
            grant.save()
        for gone in formset.deleted_objects:
            gone.delete()

    @admin.display(description="Plan")
    def plan_summary(self, obj: User) -> str:
        if obj.pk is None:
            return "-"
        allowance = entitlements.generation_allowance(obj)
        now = entitlements.standing(obj)
        if now.subscription is not None:
            source = f"Stripe subscription {now.subscription.id} ({now.subscription.status})"
        elif now.grant:
            source = "staff grant"
        else:
            source = "no subscription"
        limit = "unlimited" if allowance.limit is None else str(allowance.limit)
        period = f"{allowance.period.start:%d %b} to {allowance.period.end:%d %b %Y}"
        return (
            f"{allowance.plan.name}, from {source}. {allowance.used} of {limit} generations used "
            f"in the period {period} (as of {timezone.now():%d %b %Y %H:%M} UTC)."
        )
