"""Reads of the creator's library, always scoped to the owner."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Asset, Rendition


def asset_get(*, user: User, asset_id: uuid.UUID | str) -> Asset:
    return get_object_or_404(Asset, pk=asset_id, owner=user)


def rendition_get(*, user_id: int, asset_id: uuid.UUID | str, label: str) -> Rendition:
    """One file of the creator's asset, or 404 for anyone else."""
    return get_object_or_404(
        Rendition.objects.select_related("asset"), asset_id=asset_id, asset__owner_id=user_id, label=label
    )
