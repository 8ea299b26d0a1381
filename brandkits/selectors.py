"""Reads of brand kits, fonts and media: lists show the current workspace's, one is found in
any workspace the creator belongs to (``workspaces.access``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from workspaces.access import member_workspaces
from workspaces.current import in_current

from .models import BrandFont, BrandKit, BrandLogo, CreatorMedia


def brand_kit_list(*, user: User, workspace_id: int | None = None) -> QuerySet[BrandKit]:
    """The kits of the creator's current workspace (or of ``workspace_id``)."""
    scope = Q(workspace_id=workspace_id) if workspace_id is not None else in_current(user.pk)
    return BrandKit.objects.filter(scope).prefetch_related("logos")


def brand_kit_get(*, user: User, kit_id: int | str) -> BrandKit:
    """A kit of one of the creator's workspaces, or 404: anyone else's is indistinguishable
    from none."""
    return get_object_or_404(BrandKit, pk=kit_id, workspace__in=member_workspaces(user))


def brand_kit_default(*, user: User) -> BrandKit | None:
    return BrandKit.objects.filter(in_current(user.pk)).order_by("-is_default", "-updated_at").first()


def brand_logo_get(*, user: User, kit_id: int | str, role: str) -> BrandLogo:
    return get_object_or_404(
        BrandLogo,
        kit_id=kit_id,
        kit__workspace__in=member_workspaces(user),
        kit__deleted_at__isnull=True,
        role=role,
    )


def brand_font_list(*, user: User, workspace_id: int | None = None) -> QuerySet[BrandFont]:
    scope = Q(workspace_id=workspace_id) if workspace_id is not None else in_current(user.pk)
    return BrandFont.objects.filter(scope)


def brand_font_get(*, user: User, font_id: int | str) -> BrandFont:
    return get_object_or_404(BrandFont, pk=font_id, workspace__in=member_workspaces(user))


def media_list(*, user: User, workspace_id: int | None = None) -> QuerySet[CreatorMedia]:
    scope = Q(workspace_id=workspace_id) if workspace_id is not None else in_current(user.pk)
    return CreatorMedia.objects.filter(scope)


def media_get(*, user: User, media_id: int | str) -> CreatorMedia:
    """An image of one of the creator's workspaces, or 404."""
    return get_object_or_404(CreatorMedia, pk=media_id, workspace__in=member_workspaces(user))


def media_get_for_undo(*, user: User, media_id: int | str) -> CreatorMedia:
    """An image of one of the creator's workspaces, deleted or not (for undoing its delete)."""
    return get_object_or_404(CreatorMedia.all_objects, pk=media_id, workspace__in=member_workspaces(user))
