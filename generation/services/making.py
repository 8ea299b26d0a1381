"""Running a job (the worker): claim it, render each item with the engine, report each stage,
and hand each result to the library to store; idempotent under redelivery."""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any, NoReturn

from django.db import IntegrityError
from PIL import Image

from aurastream.db import acting_user
from billing import entitlements
from library.models import Asset, Rendition
from library.services import RenditionFile, asset_store
from platforms import spec_get
from platforms.types import PlatformSpec
from workspaces.current import billing_account_id

from ..brand import brand_from_json
from ..engine.motion.animations import ANIMATIONS
from ..engine.providers.local import LocalArtProvider
from ..engine.render import render_asset
from ..engine.types import (
    BrandSnapshot,
    Brief,
    Check,
    ImageProvider,
    ProviderError,
    RenderError,
    RenderResult,
    Stage,
)
from ..items import JobItem
from ..models import GenerationJob
from .finishing import delete_outputs, job_fail, job_succeed, job_user_id, output_id
from .media import references_from
from .provider import image_provider
from .recovery import AttemptSuperseded, Heartbeat, job_claim

logger = logging.getLogger(__name__)

ITEM_RENDER_SHARE = 0.9  # of each item's share of the progress bar; storing it takes the rest
# Made items are stored together, in one transaction (with the job's success when they are the
# last): a pack of emotes made in a fraction of a second is one commit. Items that take longer
# (an image model's seconds each) are stored once this much work is waiting, so a worker that
# dies loses at most about this much.
STORE_AFTER_SECONDS = 2.0


class JobCanceled(Exception):
    """The creator canceled the job; the worker stops between stages."""


class RetryableJobError(Exception):
    """A passing provider failure: the task may try again later."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def brief_for(item: JobItem) -> Brief:
    """The engine's brief for one recorded job item."""
    return Brief(
        prompt=item.prompt,
        text=item.text,
        subtext=item.subtext,
        negative_prompt=item.negative_prompt,
        tier=item.tier,
        tweaks=item.tweaks,
        instruction=item.instruction,
        references=references_from(item.media),
        base=item.base,
        layout=item.composition,
        style=item.style,
        colours=item.colours,
        motion=item.motion,
    )


def job_run(*, job_id: uuid.UUID, attempt: str = "") -> GenerationJob:
    """Make every item of the job, reporting each stage; idempotent under redelivery.

    ``attempt`` names this run (the Celery task id, the same across a task's own retries); a
    second delivery while a live attempt holds the job does nothing. Items already stored by
    an earlier attempt are kept; the reservation is charged once.

    Three transactions for a job made within STORE_AFTER_SECONDS: whose job it is (system
    work), the claim with what the making needs to know, and the files, their rows and the
    charge together. Progress between them goes through the heartbeat (coalesced).
    """
    attempt = attempt or uuid.uuid4().hex
    user_id = job_user_id(job_id)
    with acting_user(user_id):
        job = job_claim(job_id=job_id, user_id=user_id, attempt=attempt)
        if job is None:
            return GenerationJob.objects.get(pk=job_id)
        expires_at = entitlements.asset_expiry(billing_account_id(job.user_id, job.workspace_id))
        stored = frozenset(Asset.objects.filter(source_job_id=job.pk).values_list("source_item", flat=True))
    items = job.item_list
    with Heartbeat(job, attempt) as heartbeat:
        run = _Run(
            job=job,
            user_id=user_id,
            attempt=attempt,
            provider=image_provider(),
            brand=brand_from_json(job.brand_snapshot),
            expires_at=expires_at,
            count=len(items),
            heartbeat=heartbeat,
        )
        return _job_make(run, [(index, item) for index, item in enumerate(items) if index not in stored])


@dataclass(frozen=True)
class _Run:
    """One attempt at a job, as each item's making needs it."""

    job: GenerationJob
    user_id: int
    attempt: str
    provider: ImageProvider
    brand: BrandSnapshot
    expires_at: dt.datetime | None
    count: int  # of the job's items
    heartbeat: Heartbeat


@dataclass(frozen=True)
class _Made:
    """One rendered item, waiting to be stored."""

    index: int
    spec: PlatformSpec
    item: JobItem
    result: RenderResult


def _job_make(run: _Run, todo: list[tuple[int, JobItem]]) -> GenerationJob:
    """Render the items still to make; store them together (once they took STORE_AFTER_SECONDS
    to make, and at the end, with the job's success)."""
    job = run.job
    try:
        made: list[_Made] = []
        since = time.monotonic()
        for index, item in todo:
            made.append(_item_make(run, index, item))
            if time.monotonic() - since >= STORE_AFTER_SECONDS and index != todo[-1][0]:
                _store_made(run, made, finish=False)
                made, since = [], time.monotonic()
        return _store_made(run, made, finish=True)
    except AttemptSuperseded:
        logger.info("generation job %s: attempt %s was superseded", job.pk, run.attempt)
        with acting_user(run.user_id):
            return GenerationJob.objects.get(pk=job.pk)
    except JobCanceled:
        delete_outputs(job)
        with acting_user(run.user_id):
            return GenerationJob.objects.get(pk=job.pk)
    except ProviderError as error:
        if error.retryable:
            raise RetryableJobError(error.message) from error
        return job_fail(job_id=job.pk, reason=error.message)
    except RenderError as error:
        # The engine can't make it as asked (a design that flashes even slowed down, a file
        # that won't fit its byte cap): the same every time, so it fails with the reason.
        return job_fail(job_id=job.pk, reason=error.message)


class _Reporter:
    """Turns the engine's 0–100 for one item into the job's progress. Each item has an equal
    share of the first 95 % (saving the job to the library takes the last 5 %); rendering fills
    90 % of an item's share and storing it the rest, so the next item always starts further
    along than the last one ended. The heartbeat writes it (coalesced); a job canceled or taken
    over meanwhile stops here, between stages."""

    def __init__(self, run: _Run, index: int) -> None:
        self.run, self.index = run, index
        self.stage: Stage | None = None
        self.progress = -1

    def __call__(self, stage: Stage, pct: int) -> None:
        done = self.index + ITEM_RENDER_SHARE * min(pct, 100) / 100
        overall = max(int(done * 95 / self.run.count), self.progress)
        if stage != self.stage or overall - self.progress >= 5:
            self.stage, self.progress = stage, overall
            _job_progress(self.run, stage=stage, progress=overall)


def _item_make(run: _Run, index: int, item: JobItem) -> _Made:
    """Render one item (not stored yet)."""
    previous_image = None
    if item.refine_of is not None and not isinstance(run.provider, LocalArtProvider):
        with acting_user(run.user_id):
            previous_image = _previous_image(item.refine_of)
    spec = spec_get(item.spec)
    report = _Reporter(run, index)
    _job_progress(run, stage=GenerationJob.Stage.PROMPTING, progress=int(index * 95 / run.count))
    result = render_asset(
        spec=spec,
        brief=brief_for(item),
        brand=run.brand,
        seed=item.seed,
        provider=run.provider,
        on_progress=report,
        previous_image_png=previous_image,
    )
    return _Made(index, spec, item, result)


def _store_made(run: _Run, made: list[_Made], *, finish: bool) -> GenerationJob:
    """Hand the made items to the library in one transaction, checking first (under the job's
    row lock) that the job is still this attempt's; with ``finish``, the job succeeds and is
    charged in the same transaction."""
    if made:
        last = made[-1].index
        storing = int((last + (1 + ITEM_RENDER_SHARE) / 2) * 95 / run.count)
        _job_progress(run, stage=GenerationJob.Stage.STORING, progress=storing)
    try:
        with acting_user(run.user_id):
            job = GenerationJob.objects.select_for_update().get(pk=run.job.pk)
            if job.status != GenerationJob.Status.RUNNING or job.claimed_by != run.attempt:
                _raise_why_not_mine(job)
            for one in made:
                _store(job, one.index, one.spec, one.item, one.result, run.expires_at)
            return job_succeed(job_id=job.pk, attempt=run.attempt) if finish else job
    except IntegrityError:
        # Another attempt stored one of these items first: it has the job now.
        raise AttemptSuperseded from None


def _job_progress(run: _Run, *, stage: str, progress: int) -> None:
    """Hand the stage to the heartbeat, which writes it to the row (a sign of life too).

    Raises JobCanceled when a write found the job canceled, AttemptSuperseded when another
    attempt has taken it over.
    """
    if run.heartbeat.lost:
        with acting_user(run.user_id):
            _raise_why_not_mine(GenerationJob.objects.get(pk=run.job.pk))
    run.heartbeat.report(stage, progress)


def _raise_why_not_mine(job: GenerationJob) -> NoReturn:
    if job.status == GenerationJob.Status.CANCELED:
        raise JobCanceled
    raise AttemptSuperseded


def _previous_image(refined: uuid.UUID) -> bytes | None:
    """For a refine on an image model, the refined asset's largest file as PNG (the local engine
    redraws from the same seed instead and needs none)."""
    rendition = Rendition.objects.filter(asset_id=refined).order_by("-width").first()
    if rendition is None:
        return None
    with rendition.file.open("rb") as file, Image.open(file) as image:
        image.load()
        out = io.BytesIO()
        image.save(out, format="PNG")
    return out.getvalue()


# --- What the library stores ------------------------------------------------------------------


def _title(spec: PlatformSpec, item: JobItem, *, template_name: str = "") -> str:
    if item.tier:
        months = f"{item.tier} month{'s' if item.tier != 1 else ''}"
        return f"{spec.platform_label} {spec.label.lower()} · {months}"
    # A template's prompt stays on the server: without words of its own, the asset is named
    # for the template.
    words = item.text or template_name or item.prompt
    words = words if len(words) <= 48 else words[:47].rstrip() + "…"
    return f"{spec.platform_label} {spec.label.lower()} · {words}"


def _recipe(job: GenerationJob, spec: PlatformSpec, item: JobItem, result: RenderResult) -> dict[str, Any]:
    """What the asset keeps of how it was made, as its page, the API and downloads show it."""
    # A Quick Create template's prompt, styles and the engine's reading of them stay on the
    # server (the job's items keep them for refine, remix and regenerate): the asset's recipe
    # names the template instead.
    private = bool(job.template)
    recipe: dict[str, Any] = {
        "prompt": "" if private else item.prompt,
        "text": item.text,
        "subtext": item.subtext,
        "tier": item.tier,
        "tweaks": item.tweaks.to_json(),
        "negative_prompt": "" if private else item.negative_prompt,
        "seed": item.seed,
        "provider": result.provider,
        "model": result.model,
        "spec": spec.key,
        "brand": {k: v for k, v in job.brand_snapshot.items() if k != "logo_png"},
        "job": str(job.pk),
    }
    if result.motion is not None:
        # What moves and how: as made (the flash check may have slowed what was asked for).
        animation = ANIMATIONS.get(result.motion.animation)
        recipe["motion"] = {
            **result.motion.to_json(),
            "label": animation.label if animation else result.motion.animation,
            "asked": item.motion.to_json() if item.motion else None,
        }
    if private:
        recipe["template"] = {"key": job.template, "name": job.template_name}
    elif item.reading:
        recipe["reading"] = item.reading  # what the engine understood, shown beside the asset
    return recipe


def _check_json(check: Check) -> dict[str, Any]:
    return {
        "code": check.code,
        "ok": check.ok,
        "message": check.message,
        "value": check.value,
        "limit": check.limit,
        "severity": check.severity,
    }


def _store(
    job: GenerationJob,
    index: int,
    spec: PlatformSpec,
    item: JobItem,
    result: RenderResult,
    expires_at: dt.datetime | None,
) -> Asset:
    """Hand one rendered asset to the library, under its fixed id."""
    private = bool(job.template)
    note: dict[str, object] = {
        "instruction": item.instruction,
        "applied": list(item.applied),
        "already": list(item.already),
        "not_understood": item.not_understood,
        "left_out": list(item.left_out),
    }
    return asset_store(
        asset_id=output_id(job, index),
        owner_id=job.user_id,
        workspace_id=job.workspace_id,
        title=_title(spec, item, template_name=job.template_name),
        spec_key=spec.key,
        platform=spec.platform,
        asset_type=spec.asset_type,
        recipe=_recipe(job, spec, item, result),
        checks=[_check_json(c) for c in result.checks],
        prompt="" if private else item.prompt,
        files=[
            RenditionFile(
                label=f.label,
                width=f.width,
                height=f.height,
                format=f.format,
                data=f.data,
                checks=tuple(_check_json(c) for c in f.checks),
            )
            for f in result.files
        ],
        source_job_id=job.pk,
        source_item=index,
        brand_kit_id=job.brand_kit_id,
        brand_kit_name=str(job.brand_snapshot.get("name", ""))[:80],
        expires_at=expires_at,
        refines=item.refine_of,
        version_note=note if item.refine_of is not None else None,
    )
