"""How a job ends: succeeded (charged once, milestones, its assets and pack counted, the
creator told) or failed (refunded, its outputs taken away, the creator told why)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Milestone, Notification
from accounts.services import notify
from accounts.ux_services import milestone_reach, milestones_for_asset_count
from aurastream import events
from aurastream.db import acting_user, system_work
from billing.services import usage_charge, usage_release
from library.models import Asset
from library.services import asset_discard, rendition_file_name
from platforms import spec_get
from webhooks.services import event_emit

from ..models import GenerationJob


def job_user_id(job_id: uuid.UUID) -> int:
    """Whose job this is, for the worker to act for them: finding out is system work."""
    with system_work():
        return GenerationJob.objects.values_list("user_id", flat=True).get(pk=job_id)


def output_id(job: GenerationJob, index: int) -> uuid.UUID:
    """Each output has a fixed id, so a retried job writes to the same storage names."""
    return uuid.uuid5(job.pk, f"item-{index}")


def delete_outputs(job: GenerationJob) -> None:
    """Have the library take away every asset (rows and files) a job stored, including
    half-written files."""
    for index, item in enumerate(job.item_list):
        try:
            spec = spec_get(item.spec)
        except KeyError:
            names: list[str] = []
        else:
            names = [rendition_file_name(r.label, fmt) for r in spec.renditions for fmt in spec.formats]
        asset_discard(owner_id=job.user_id, asset_id=output_id(job, index), file_names=names)


def job_succeed(*, job_id: uuid.UUID, attempt: str) -> GenerationJob:
    """Mark a made job succeeded and charge it, if it is still running and still this
    attempt's; a job canceled meanwhile loses its outputs instead."""
    job = GenerationJob.objects.select_for_update().get(pk=job_id)
    if job.status != GenerationJob.Status.RUNNING:
        transaction.on_commit(lambda: delete_outputs(job))
        return job
    if job.claimed_by != attempt:
        return job  # superseded: the attempt that holds the job finishes it
    usage_charge(reference=job.usage_reference)
    job.status = GenerationJob.Status.SUCCEEDED
    job.stage = GenerationJob.Stage.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "stage", "progress", "finished_at", "updated_at"])
    _milestones_after(job)
    _events_record(job)
    _job_notify(job)
    _webhook_emit(job)
    return job


def job_fail(*, job_id: uuid.UUID, reason: str) -> GenerationJob:
    """End a job as failed with a reason the creator can read; nothing stays charged or stored."""
    with acting_user(job_user_id(job_id)):
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        job.status = GenerationJob.Status.FAILED
        job.error = reason
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        usage_release(reference=job.usage_reference)
        transaction.on_commit(lambda: delete_outputs(job))
        _job_notify(job)
        _webhook_emit(job)
    return job


def _webhook_emit(job: GenerationJob) -> None:
    """``job.succeeded`` with the assets it made (ids and API URLs), or ``job.failed`` with
    the reason, to the workspace's webhook endpoints."""
    workspace_id = job.workspace_id
    data: dict[str, object] = {
        "id": str(job.pk),
        "status": job.status,
        "url": reverse("api-generation", args=[job.pk]),
    }
    if job.status == GenerationJob.Status.FAILED:
        event_emit(workspace_id=workspace_id, type="job.failed", data={"job": {**data, "error": job.error}})
        return
    assets = (
        Asset.objects.filter(source_job_id=job.pk).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    data["assets"] = [{"id": str(pk), "url": reverse("api-asset", args=[pk])} for pk in assets]
    event_emit(workspace_id=workspace_id, type="job.succeeded", data={"job": data})


def _milestones_after(job: GenerationJob) -> None:
    """The creator's first asset, first pack, 10 and 100 assets (each reached once)."""
    made = Asset.objects.filter(owner_id=job.user_id, deleted_at__isnull=True).count()
    milestones_for_asset_count(user_id=job.user_id, asset_count=made)
    if job.pack:
        milestone_reach(user_id=job.user_id, kind=Milestone.Kind.FIRST_PACK)


def _events_record(job: GenerationJob) -> None:
    """One product event per asset the job kept (a failed or canceled job keeps none) and one
    for the pack, keyed by what they are so nothing is counted twice."""
    kept = list(Asset.objects.filter(source_job_id=job.pk).values_list("pk", "asset_type", "platform"))
    for asset_id, asset_type, platform in kept:
        events.record(
            events.ASSET_CREATED,
            user=job.user_id,
            key=str(asset_id),
            asset_type=asset_type,
            platform=platform,
            provider=job.provider,
            refine=job.refine_of is not None,
        )
    if job.pack:
        events.record(events.PACK_CREATED, user=job.user_id, key=str(job.pk), pack=job.pack, items=len(kept))


def _job_what(job: GenerationJob) -> str:
    """What the job makes, in the creator's words: "emote pack", "YouTube thumbnail"."""
    if job.pack:
        return job.get_pack_display().lower()
    try:
        spec = spec_get(job.spec_key)
    except KeyError:
        return "asset"
    return f"{spec.platform_label} {spec.label[:1].lower()}{spec.label[1:]}"


def _job_notify(job: GenerationJob) -> None:
    """Tell the creator how the job ended (the bell, a toast on any open page). A finished pack
    or a job that took longer than NOTIFICATION_EMAIL_MIN_JOB_SECONDS is also emailed, unless a
    page of theirs was open to receive it."""
    link = reverse("generation:job", args=[job.pk])
    what = _job_what(job)
    if job.status == GenerationJob.Status.FAILED:
        notify(
            user_id=job.user_id,
            kind=Notification.Kind.JOB_FAILED,
            message=f"Your {what} couldn't be made: {job.error}",
            link=link,
        )
        return
    waited = (job.finished_at or timezone.now()) - job.created_at
    long_or_pack = bool(job.pack) or waited.total_seconds() > settings.NOTIFICATION_EMAIL_MIN_JOB_SECONDS
    if job.refine_of:
        kind, message = Notification.Kind.REFINE_DONE, f"Your refined {what} is ready."
    else:
        kind = Notification.Kind.JOB_SUCCEEDED
        count = len(job.items)
        message = f"Your {what} is ready" + (f": {count} assets in your library." if count > 1 else ".")
    notify(user_id=job.user_id, kind=kind, message=message, link=link, email_when_away=long_or_pack)
