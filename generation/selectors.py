"""Reads of generation jobs: lists show the current workspace's, one is found in any workspace the
creator belongs to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, UUIDField
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from library.models import VIDEO_FORMAT, Asset, Rendition
from workspaces.access import member_workspaces
from workspaces.current import in_current

from .models import GenerationJob


def job_list(*, user: User) -> QuerySet[GenerationJob]:
    return GenerationJob.objects.filter(in_current(user.pk))


# The columns a job list shows; the recipe (items, brand snapshot) can be tens of kilobytes a job.
SUMMARY_FIELDS = (
    "id", "user_id", "status", "stage", "progress", "notice", "error", "spec_key", "prompt", "text", "pack",
    "template", "variants", "cost", "created_at", "finished_at", "workspace_id",
)  # fmt: skip
# A thumbnail is the smallest file at least this wide (else the largest), as in the library grid.
THUMBNAIL_MIN_WIDTH = 128


def job_summaries(*, user: User) -> QuerySet[GenerationJob]:
    """The creator's jobs, newest first, for a list: the columns it shows, how many assets each
    has in the library (``asset_count``) and its first one (``first_asset_id``, None until it
    stores one). One query however many jobs (the two are correlated subqueries on the assets'
    job index); ``job_thumbnails`` adds one more for a page's thumbnails."""
    jobs = GenerationJob.objects.filter(in_current(user.pk))
    return with_made_assets(jobs.only(*SUMMARY_FIELDS)).order_by("-created_at", "-id")


def with_made_assets(jobs: QuerySet[GenerationJob]) -> QuerySet[GenerationJob]:
    """``jobs`` with ``asset_count`` and ``first_asset_id`` (see ``job_summaries``)."""
    made = Asset.objects.filter(
        workspace_id=OuterRef("workspace_id"), source_job_id=OuterRef("pk"), deleted_at__isnull=True
    )
    count = made.order_by().values("source_job_id").annotate(n=Count("pk")).values("n")
    return jobs.annotate(
        asset_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        first_asset_id=Subquery(made.order_by("source_item").values("pk")[:1], output_field=UUIDField()),
    )


def job_thumbnails(*, jobs: Sequence[GenerationJob]) -> dict[uuid.UUID, tuple[uuid.UUID, str]]:
    """The file each job's thumbnail shows, as (asset id, rendition label) by job id: its first
    asset's smallest file at least THUMBNAIL_MIN_WIDTH wide, else its largest. ``jobs`` come
    from ``job_summaries`` (or staff's list, with the same ``first_asset_id``); one query for
    all of them (none when none has an asset yet).

    A query of its own rather than a third subquery: the files' row-level security policy
    looks through their assets, which the planner prices per job, enough to make PostgreSQL
    JIT-compile (some 80 ms) a page of 100."""
    first_assets: dict[uuid.UUID, uuid.UUID] = {}
    for job in jobs:
        asset_id = getattr(job, "first_asset_id", None)
        if asset_id is not None:
            first_assets[asset_id] = job.pk
    if not first_assets:
        return {}
    files: dict[uuid.UUID, list[tuple[str, int]]] = {}
    rows = (
        Rendition.objects.filter(
            asset_id__in=list(first_assets), asset__workspace_id__in={job.workspace_id for job in jobs}
        )
        .exclude(format=VIDEO_FORMAT)  # an alert's WebM is no thumbnail
        .order_by("asset_id", "-width", "label")
        .values_list("asset_id", "label", "width")
    )
    for asset_id, label, width in rows:
        files.setdefault(asset_id, []).append((label, width))
    thumbnails = {}
    for asset_id, renditions in files.items():  # largest first
        large_enough = [label for label, width in renditions if width >= THUMBNAIL_MIN_WIDTH]
        label = large_enough[-1] if large_enough else renditions[0][0]
        thumbnails[first_assets[asset_id]] = (asset_id, label)
    return thumbnails


def job_get(*, user: User, job_id: uuid.UUID | str) -> GenerationJob:
    """A job of one of the creator's workspaces, or 404 (anyone else's is indistinguishable
    from none)."""
    return get_object_or_404(GenerationJob, pk=job_id, workspace__in=member_workspaces(user))


def job_assets(*, job: GenerationJob) -> QuerySet[Asset]:
    """The assets a job made, in the order it made them, with their renditions."""
    return (
        Asset.objects.filter(workspace_id=job.workspace_id, source_job_id=job.pk, deleted_at__isnull=True)
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
            workspace_id__in={job.workspace_id for job in jobs},
            source_job_id__in=list(by_job),
            deleted_at__isnull=True,
        )
        .order_by("source_item")
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("-width", "label")))
    )
    for asset in assets:
        by_job[asset.source_job_id].append(asset)  # type: ignore[index]  # filtered on source_job, never None
    return by_job
