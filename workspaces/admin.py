from __future__ import annotations

from django.contrib import admin

from .models import Invitation, Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("joined_at",)


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    """Staff see every workspace, its owner and members."""

    list_display = ("name", "kind", "owner", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "owner__email", "memberships__user__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at",)
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations and what became of them; the link's token is never stored, only its hash."""

    list_display = ("email", "workspace", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("email", "workspace__name")
    readonly_fields = ("token_hash", "created_at", "accepted_at", "accepted_by", "invited_by")
    raw_id_fields = ("workspace",)
