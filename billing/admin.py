from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin import UserAdmin as AccountsUserAdmin
from accounts.models import User

from . import entitlements, roster
from .models import PaymentIssue, PlanGrant, UsageEntry
from .plans import PLANS


def grant_message(grant: PlanGrant) -> str:
    """A grant as the staff actions log says it."""
    until = f"until {grant.ends_at:%d %b %Y %H:%M} UTC" if grant.ends_at else "with no end date"
    reason = f" ({grant.reason})" if grant.reason else ""
    return f"Granted {grant.get_plan_display()} to {grant.user.email}, {until}{reason}."


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

    def log_addition(self, request: HttpRequest, obj: PlanGrant, message: Any) -> Any:
        return super().log_addition(request, obj, grant_message(obj))


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


class PlanFilter(admin.SimpleListFilter):
    """Creators by the plan they are on right now (a grant or a subscription, the better one)."""

    title = "plan"
    parameter_name = "plan"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(plan.code, plan.name) for plan in PLANS.values()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User] | None:
        plan = PLANS.get(self.value() or "")
        return None if plan is None else roster.users_on_plan(queryset, plan=plan)


class CreatorChangeList(ChangeList):
    """Reads the page's plans and usage together: a few queries for the page, not per row."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        creators = list(self.result_list)
        now = roster.standings(user_ids=[creator.pk for creator in creators])
        used = roster.generations_used(standings=now)
        for creator in creators:
            # Read back by CreatorAdmin's columns (a row's own attributes, not the model's).
            creator.standing_now = now[creator.pk]
            creator.generations_used = used[creator.pk]
        self.result_list = creators


# The user page shows each creator's plan, usage and comp grants; the list their plan and usage.
admin.site.unregister(User)


@admin.register(User)
class CreatorAdmin(AccountsUserAdmin):
    inlines = [PlanGrantInline, PaymentIssueInline]
    list_display: tuple[str, ...] = (
        "email",
        "display_name",
        "plan",
        "usage",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter: ClassVar[tuple[Any, ...]] = (PlanFilter, *AccountsUserAdmin.list_filter)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return CreatorChangeList

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return (*super().get_readonly_fields(request, obj), "plan_summary")

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # the add form
            return fieldsets
        return (*fieldsets, ("Plan and usage", {"fields": ("plan_summary",)}))

    def save_formset(self, request, form, formset, change):
        for grant in formset.save(commit=False):
            added = isinstance(grant, PlanGrant) and grant.pk is None
            if added:
                grant.granted_by = request.user
            grant.save()
            if added:  # the user's own entry says a grant was added; this one says which
                self.log_addition(request, grant, grant_message(grant))
        for gone in formset.deleted_objects:
            gone.delete()

    @staticmethod
    def _standing(creator: User) -> entitlements.Standing:
        # Read for the whole page by CreatorChangeList; on its own elsewhere.
        return getattr(creator, "standing_now", None) or entitlements.standing(creator)

    @admin.display(description="Plan")
    def plan(self, creator: User) -> str:
        now = self._standing(creator)
        source = "grant" if now.grant else "Stripe" if now.subscription is not None else ""
        if not source:
            return now.plan.name
        return format_html('{} <span class="ops-quiet">{}</span>', now.plan.name, source)

    @admin.display(description="Used this period")
    def usage(self, creator: User) -> str:
        now = self._standing(creator)
        used = getattr(creator, "generations_used", None)
        if used is None:
            used = entitlements.generation_allowance(creator, now=now).used
        limit = now.plan.generations_per_month
        return f"{used} of {'unlimited' if limit is None else limit}"

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
