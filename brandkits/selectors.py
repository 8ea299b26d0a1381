"""Reads of brand kits, always for their owner."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import BrandFont, BrandKit, BrandLogo, CreatorMedia


def brand_kit_list(*, user: User) -> QuerySet[BrandKit]:
    return BrandKit.objects.filter(owner=user).prefetch_related("logos")


def brand_kit_get(*, user: User, kit_id: int | str) -> BrandKit:
    """The creator's kit, or 404: another creator's kit is indistinguishable from none."""
    return get_object_or_404(BrandKit, pk=kit_id, owner=user)


def brand_kit_default(*, user: User) -> BrandKit | None:
    return BrandKit.objects.filter(owner=user).order_by("-is_default", "-updated_at").first()


def brand_logo_get(*, user: User, kit_id: int | str, role: str) -> BrandLogo:
    return get_object_or_404(
        BrandLogo, kit_id=kit_id, kit__owner=user, kit__deleted_at__isnull=True, role=role
    )


def brand_font_list(*, user: User) -> QuerySet[BrandFont]:
    return BrandFont.objects.filter(owner=user)


def brand_font_get(*, user: User, font_id: int | str) -> BrandFont:
    return get_object_or_404(BrandFont, pk=font_id, owner=user)


def media_list(*, user: User) -> QuerySet[CreatorMedia]:
    return CreatorMedia.objects.filter(owner=user)


def media_get(*, user: User, media_id: int | str) -> CreatorMedia:
    """The creator's image, or 404: another creator's is indistinguishable from none."""
    return get_object_or_404(CreatorMedia, pk=media_id, owner=user)


def media_get_for_undo(*, user: User, media_id: int | str) -> CreatorMedia:
    """The creator's image, deleted or not (for undoing its delete), or 404."""
    return get_object_or_404(CreatorMedia.all_objects, pk=media_id, owner=user)
