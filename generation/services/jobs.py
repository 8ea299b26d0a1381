"""Accepting jobs: validate, reserve the cost, store the recipe, queue it after commit; and the
jobs made again from one (regenerate, remix, retry) and canceling."""

from __future__ import annotations

import dataclasses
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from aurastream.outages import require_broker
from billing import entitlements
from billing.services import MotionNotAllowed, refine_reserve, usage_release, usage_reserve
from brandkits.models import BrandKit
from platforms import spec_get
from workspaces.access import require_acting
from workspaces.current import billing_account_id, workspace_id_for

from ..brand import brand_default_for, brand_from_json, brand_from_kit, brand_to_json
from ..engine.layout import understood
from ..engine.types import BrandSnapshot
from ..items import JobItem
from ..models import GenerationJob
from . import dispatch
from .finishing import delete_outputs
from .making import brief_for
from .media import media_json
from .provider import image_provider
from .requests import JobRequest, job_items, request_fingerprint, request_of, request_validate

MAX_IDEMPOTENCY_KEY = 255
KEY_REUSED = "idempotency_key_reused"


def job_create(
    *, user: User, request: JobRequest, idempotency_key: str = "", workspace_id: int | None = None
) -> tuple[GenerationJob, bool]:
    """Accept a job in a workspace (the creator's current one by default; its editors
    generate, its owner's plan pays): validate, reserve its cost, store the recipe, queue it
    after commit. Returns (job, created); the same Idempotency-Key returns the first job
    without reserving or queuing again. Raises ValidationError for bad input and
    billing.services.QuotaExceeded when the plan has no room (MotionNotAllowed when it has no
    animated assets); either way nothing is stored."""
    idempotency_key = idempotency_key.strip()
    if len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationError(
            {"idempotency_key": f"An Idempotency-Key is at most {MAX_IDEMPOTENCY_KEY} characters."}
        )
    workspace_id = workspace_id if workspace_id is not None else workspace_id_for(user.pk)
    require_acting(workspace_id)
    account = billing_account_id(user.pk, workspace_id)
    fingerprint = request_fingerprint(request) if idempotency_key else ""
    if idempotency_key:
        existing = GenerationJob.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_request(existing, fingerprint), False
    request_validate(request)
    _motion_allowed(account, request)
    # With the job queue down nothing is accepted (or reserved): the creator is told that
    # generation is paused rather than left with a job that can't start.
    require_broker()
    job = _job_new(
        user,
        request,
        workspace_id=workspace_id,
        account=account,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    try:
        with transaction.atomic():
            if idempotency_key:
                # Requests with the same key queue here, one after another: the first one's job
                # is then found and returned (200) before anything looks at the quota, which
                # that job may just have used up.
                User.objects.select_for_update().filter(pk=user.pk).first()
                existing = GenerationJob.objects.filter(user=user, idempotency_key=idempotency_key).first()
                if existing is not None:
                    return _same_request(existing, fingerprint), False
            if request.refine_of is not None:
                refine_reserve(user=account, reference=job.usage_reference, workspace_id=workspace_id)
            else:
                usage_reserve(
                    user=account, quantity=job.cost, reference=job.usage_reference, workspace_id=workspace_id
                )
            job.save(force_insert=True)
            transaction.on_commit(lambda: dispatch.enqueue(job))
    except IntegrityError:
        # A concurrent request with the same Idempotency-Key won the race.
        if idempotency_key:
            winner = GenerationJob.objects.get(user=user, idempotency_key=idempotency_key)
            return _same_request(winner, fingerprint), False
        raise
    return job, True


def _motion_allowed(user: User | int, request: JobRequest) -> None:
    """Animated assets are a paid feature: raises MotionNotAllowed on a plan without them."""
    if not any(spec_get(item.spec).animated for item in job_items(request)):
        return
    allowance = entitlements.motion_allowance(user)
    if not allowance.may_animate:
        raise MotionNotAllowed(allowance)


def _job_new(
    user: User,
    request: JobRequest,
    *,
    workspace_id: int,
    account: int,
    idempotency_key: str,
    fingerprint: str,
) -> GenerationJob:
    """The job row a valid request becomes (not saved yet): its items with the creator's images
    and what the engine understood, the brand snapshot, provider and queue (``account``: whose
    plan pays, the workspace's owner)."""
    items = job_items(request)
    if request.refine_item is None:
        attached = media_json(user=user, media_ids=request.media_ids, workspace_id=workspace_id)
        items = [dataclasses.replace(item, media=attached) for item in items]
    provider = image_provider()
    kit = brand_kit_for(user, request.brand_kit_id, workspace_id=workspace_id)
    if request.brand_snapshot is not None:
        brand = brand_from_json(request.brand_snapshot)
    else:
        brand = brand_from_kit(kit) if kit is not None else brand_default_for(user)
    items = [_with_reading(item, brand) for item in items]
    return GenerationJob(
        id=uuid.uuid4(),
        user=user,
        workspace_id=workspace_id,
        spec_key=request.spec_key,
        prompt=request.prompt.strip(),
        negative_prompt=request.negative_prompt.strip(),
        text=request.text.strip(),
        subtext=request.subtext.strip(),
        template=request.template,
        refine_of=request.refine_of,
        instruction=request.instruction[:300],
        variants=request.variants,
        pack=request.pack,
        seed=items[0].seed,
        items=[item.to_json() for item in items],
        brand_snapshot=brand_to_json(brand),
        brand_kit_id=kit.pk if kit is not None else None,
        provider=provider.name,
        model=provider.model,
        queue="priority" if entitlements.uses_priority_queue(account) else "default",
        cost=len(items),
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
        # Sent to the broker when the transaction commits; if that fails, the sweep sends it.
        dispatched_at=timezone.now(),
        dispatches=1,
    )


def _with_reading(item: JobItem, brand: BrandSnapshot) -> JobItem:
    """The item with what the engine understood of it, kept to show beside the result."""
    if item.reading is not None:
        return item  # a refine keeps the reading (and so the composition) it was made with
    spec = spec_get(item.spec)
    brief = brief_for(dataclasses.replace(item, media=()))
    pictures = len(item.media)  # counted, not read: the layout depends on them
    return dataclasses.replace(
        item, reading=understood(spec, brief, brand, item.seed, pictures=pictures).to_json()
    )


def _same_request(job: GenerationJob, fingerprint: str) -> GenerationJob:
    """The job a key already started, if it was started by this same request."""
    if job.idempotency_fingerprint and fingerprint and job.idempotency_fingerprint != fingerprint:
        raise ValidationError(
            {
                "idempotency_key": ValidationError(
                    "This Idempotency-Key was already used for a different request: "
                    "use a new key for a new request.",
                    code=KEY_REUSED,
                )
            }
        )
    return job


def brand_kit_for(
    user: User, brand_kit_id: int | None, *, workspace_id: int | None = None
) -> BrandKit | None:
    """The kit a job uses: the one chosen (of the job's workspace, else ValidationError) or the
    workspace's default."""
    workspace_id = workspace_id if workspace_id is not None else workspace_id_for(user.pk)
    kits = BrandKit.objects.filter(workspace_id=workspace_id)
    if brand_kit_id is None:
        return kits.order_by("-is_default", "-updated_at").first()
    kit = kits.filter(pk=brand_kit_id).first()
    if kit is None:
        raise ValidationError({"brand_kit": "Choose a brand kit of the workspace you're working in."})
    return kit


def job_regenerate_with_current_kit(
    *, job: GenerationJob, user: User | None = None
) -> tuple[GenerationJob, bool]:
    """The same recipe and seed, with the brand kit as it is now (the old assets stay), in the
    job's workspace, made by ``user`` (the job's maker by default)."""
    return job_create(
        user=user or job.user, request=request_of(job, seed=job.seed), workspace_id=job.workspace_id
    )


def job_remix(*, job: GenerationJob, user: User | None = None) -> tuple[GenerationJob, bool]:
    """The same request with a new seed, in the job's workspace."""
    return job_create(
        user=user or job.user, request=request_of(job, seed=None), workspace_id=job.workspace_id
    )


def job_retry(*, job: GenerationJob) -> GenerationJob:
    """Run a failed or canceled job's exact recipe again, as a new job (staff action)."""
    new_job, _ = job_create(
        user=job.user, request=request_of(job, seed=job.seed), workspace_id=job.workspace_id
    )
    return new_job


@transaction.atomic
def job_cancel(*, job: GenerationJob) -> GenerationJob:
    """Stop a queued or running job. The reservation is released; finished jobs are kept."""
    require_acting(job.workspace_id)
    job = GenerationJob.objects.select_for_update().get(pk=job.pk)
    if job.is_finished:
        return job
    job.status = GenerationJob.Status.CANCELED
    job.finished_at = timezone.now()
    job.error = ""
    job.save(update_fields=["status", "finished_at", "error", "updated_at"])
    usage_release(reference=job.usage_reference)
    transaction.on_commit(lambda: delete_outputs(job))
    return job
