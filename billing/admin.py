from django.contrib import admin

from .models import PlanGrant, UsageEntry


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
