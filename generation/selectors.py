"""Reads of generation jobs, always scoped to the creator who owns them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from library.models import Asset, Rendition

from .models import GenerationJob


def job_list(*, user: User) -> QuerySet[GenerationJob]:
    return GenerationJob.objects.filter(user=user)


def job_get(*, user: User, job_id: uuid.UUID | str) -> GenerationJob:
    """The creator's job, or 404 (another creator's job is indistinguishable from none)."""
    return get_object_or_404(GenerationJob, pk=job_id, user=user)


def job_assets(*, job: GenerationJob) -> QuerySet[Asset]:
    """The assets a job made, in the order it made them, with their renditions."""
    return (
        Asset.objects.filter(owner_id=job.user_id, source_job_id=job.pk, deleted_at__isnull=True)
        .order_by("source_item")
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("-width", "label")))
    )


def job_assets_by_job(*, jobs: Sequence[GenerationJob]) -> dict[uuid.UUID, list[Asset]]:
    """The assets of several jobs at once (two queries however many jobs), keyed by job id."""
    by_job: dict[uuid.UUID, list[Asset]] = {job.pk: [] for job in jobs}
    if not jobs:
        return by_job
    assets = (
        Asset.objects.filter(
            owner_id=jobs[0].user_id, source_job_id__in=list(by_job), deleted_at__isnull=True
        )
        .order_by("source_item")
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("-width", "label")))
    )
    for asset in assets:
        by_job[asset.source_job_id].append(asset)  # type: ignore[index]
    return by_job
