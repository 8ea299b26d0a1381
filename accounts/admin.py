from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import EmailOptOut, Notification, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    # Typed as any columns and filters: billing's and the kernel's user admins add their own.
    list_display: tuple[str, ...] = (
        "email", "display_name", "is_active", "is_staff", "date_joined", "last_login",
    )  # fmt: skip
    list_filter: ClassVar[tuple[Any, ...]] = (
        "is_active", "is_staff", "is_superuser", "date_joined", "last_login",
    )  # fmt: skip
    search_fields = ("email", "display_name")
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "avatar", "timezone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "message", "created_at", "read_at", "delivered_at")
    list_filter = ("kind", "created_at")
    search_fields = ("user__email", "message")
    raw_id_fields = ("user",)
    date_hierarchy = "created_at"


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
