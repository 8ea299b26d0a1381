"""Keeping the record of where an asset was published (the platform calls are the
connections app's; this is the asset's own history)."""

from __future__ import annotations

from django.db import transaction

from ..models import Asset, Publication, Rendition


@transaction.atomic
def asset_publication_record(
    *,
    asset: Asset,
    rendition: Rendition,
    platform: str,
    platform_label: str,
    kind: str,
    channel: str,
    target_id: str = "",
    target_title: str = "",
    target_url: str = "",
    result_url: str = "",
) -> Publication:
    """Record that ``rendition`` of ``asset`` is now live on ``platform`` (as ``kind``)."""
    return Publication.objects.create(
        asset=asset,
        rendition_label=rendition.label,
        platform=platform,
        platform_label=platform_label,
        kind=kind,
        channel=channel[:100],
        target_id=target_id[:64],
        target_title=target_title[:200],
        target_url=target_url[:300],
        result_url=result_url[:500],
    )
