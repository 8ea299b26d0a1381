"""Every write of the generation app: accepting jobs, running them, canceling them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import re
import secrets
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Milestone, Notification, User
from accounts.services import notify
from accounts.ux_services import milestone_reach, milestones_for_asset_count
from aurastream.db import acting_user, system_work
from aurastream.outages import BROKER_DOWN, DATABASE_DOWN, require_broker
from billing import entitlements
from billing.services import QuotaExceeded, refine_reserve, usage_charge, usage_release, usage_reserve
from brandkits.models import BrandKit, CreatorMedia
from brandkits.selectors import brand_kit_default
from library.models import FORMAT_EXTENSIONS, Asset, Rendition, rendition_path
from library.services import asset_version_add
from platforms import registry, spec_get
from platforms.types import PlatformSpec

from .brand import brand_default_for, brand_from_json, brand_from_kit, brand_to_json
from .engine.compose import CORNER_LOGO_FAMILIES, TEXT_SCALE_FAMILIES
from .engine.layout import understood
from .engine.providers.local import LocalArtProvider
from .engine.reading import HEX_RE, LAYOUTS, STYLE_WORDS
from .engine.refine import (
    BIGGER_TEXT,
    FIXED_TEXT,
    NO_CORNER_LOGO,
    TEXT_AT_ITS_LARGEST,
    Chip,
    Interpretation,
    chips_for,
    interpret,
    withdraw,
)
from .engine.render import render_asset, text_area
from .engine.types import Brief, ImageProvider, ProviderError, Reference, RenderResult, Stage, Tweaks
from .models import GenerationJob
from .providers import image_provider

logger = logging.getLogger(__name__)

__all__ = ["JobRequest", "QuotaExceeded", "job_cancel", "job_create", "job_remix", "job_retry", "job_run"]

MAX_VARIANTS = 4
MAX_PACK_ITEMS = 8
MAX_REFERENCES = 2
DEFAULT_BADGE_TIERS = (1, 2, 3, 6, 9, 12)


class JobCanceled(Exception):
    """The creator canceled the job; the worker stops between stages."""


class RetryableJobError(Exception):
    """A passing provider failure: the task may try again later."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobRequest:
    """What a creator asks for, before it becomes a job."""

    spec_key: str
    prompt: str
    text: str = ""
    subtext: str = ""
    negative_prompt: str = ""
    variants: int = 1
    pack: str = ""
    pack_items: Sequence[str] = ()
    seed: int | None = None
    brand_kit_id: int | None = None  # None: the creator's default kit, if they have one
    template: str = ""  # the Quick Create template's key, when it came from one
    # A refine: the one item to make (the refined asset's recipe plus tweaks), the asset it
    # refines, the instruction, and the brand snapshot the original was made with.
    refine_item: dict[str, Any] | None = None
    refine_of: uuid.UUID | None = None
    instruction: str = ""
    brand_snapshot: dict[str, Any] | None = None
    media_ids: Sequence[int] = ()  # up to two of the creator's own images to put in
    # Decided outside the words (a coach brief, Create's choices); "" / (): the words decide.
    layout: str = ""
    style: str = ""
    colours: Sequence[str] = ()


# --- Accepting a job ---------------------------------------------------------------------

_QUOTED = re.compile(r"[\"“”']([^\"“”']{1,24})[\"“”']")


def _idea_item(idea: str) -> dict[str, Any]:
    """One emote idea: quoted or short all-caps words are set as text, the rest is the subject."""
    idea = idea.strip()
    quoted = _QUOTED.search(idea)
    if quoted:
        return {"prompt": idea, "text": quoted.group(1).strip()}
    if len(idea) <= 6 and " " not in idea and idea.upper() == idea:
        return {"prompt": idea, "text": idea}
    return {"prompt": idea, "text": ""}


def _tier(value: object) -> int | None:
    """A badge tier as written ("6"), or None: only ASCII digits ("²" is a digit to str.isdigit
    but not to int), and at most four of them (int refuses thousands of digits)."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


STARTER_KIT_TYPES = (
    "profile_picture",
    "profile_banner",
    "channel_banner",
    "banner",
    "offline_banner",
    "panel",
)


def _starter_kit_specs(platform: str) -> list[PlatformSpec]:
    specs = [spec for spec in registry().for_platform(platform) if spec.asset_type in STARTER_KIT_TYPES]
    if not specs:
        raise ValidationError({"pack": starter_kit_missing(platform)})
    return specs


def starter_kit_missing(platform: str) -> str:
    """Why a starter kit can't be made for ``platform``, naming the platforms that have one."""
    labels = dict(registry().platforms())
    having = [
        labels[key]
        for key in labels
        if any(spec.asset_type in STARTER_KIT_TYPES for spec in registry().for_platform(key))
    ]
    choices = ", ".join(having[:-1]) + f" or {having[-1]}" if len(having) > 1 else "".join(having)
    return f"{labels.get(platform, platform)} has no starter kit: choose {choices}, or make a single asset."


def job_items(request: JobRequest) -> list[dict[str, Any]]:
    """Everything the job will make, one item per asset, each with its own seed."""
    if request.refine_item is not None:
        return [dict(request.refine_item)]
    spec = spec_get(request.spec_key)
    seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
    items: list[dict[str, Any]]
    if request.pack == GenerationJob.Pack.EMOTE_PACK:
        # Listed ideas keep the pack's description as the base of each emote.
        base = request.prompt.strip() if any(i.strip() for i in request.pack_items) else ""
        items = [
            {"spec": spec.key, **_idea_item(idea), "base": base}
            for idea in emote_ideas(request)[:MAX_PACK_ITEMS]
        ]
    elif request.pack == GenerationJob.Pack.BADGE_SET:
        written = [_tier(t) for t in request.pack_items]
        tiers = [t for t in written if t is not None] or list(DEFAULT_BADGE_TIERS)
        items = [
            {"spec": spec.key, "prompt": request.prompt, "text": "", "tier": tier}
            for tier in sorted(set(tiers))[:MAX_PACK_ITEMS]
        ]
    elif request.pack == GenerationJob.Pack.PANEL_SET:
        labels = [label.strip() for label in request.pack_items if label.strip()]
        items = [
            {"spec": spec.key, "prompt": request.prompt, "text": label[:40]}
            for label in labels[:MAX_PACK_ITEMS]
        ]
    elif request.pack == GenerationJob.Pack.STARTER_KIT:
        items = [
            {"spec": kit_spec.key, "prompt": request.prompt, "text": request.text}
            for kit_spec in _starter_kit_specs(spec.platform)
        ]
    else:
        items = [
            {"spec": spec.key, "prompt": request.prompt, "text": request.text}
            for _ in range(request.variants)
        ]
    for index, item in enumerate(items):
        item.setdefault("subtext", request.subtext.strip())
        item.setdefault("tier", None)
        item["negative_prompt"] = request.negative_prompt
        for name in ("layout", "style"):
            if getattr(request, name):
                item[name] = getattr(request, name)
        if request.colours:
            item["colours"] = list(request.colours)
        # Items share one seed space: the same recipe gives the same bytes, item by item.
        item["seed"] = seed + index
    return items


def emote_ideas(request: JobRequest) -> list[str]:
    """An emote pack's ideas: the listed items, or else the description read as a list
    ("GG, HYPE, love heart")."""
    return [i for i in request.pack_items if i.strip()] or [
        part for part in re.split(r"[,\n;]+", request.prompt) if part.strip()
    ]


def _validate(request: JobRequest) -> None:
    errors: dict[str, str] = {}
    try:
        spec = spec_get(request.spec_key)
    except KeyError:
        errors["spec_key"] = "Pick a platform and asset type from the list."
        spec = None
    prompt = request.prompt.strip()
    if not prompt and not request.pack_items:
        errors["prompt"] = "Describe what you want to make."
    elif len(prompt) > settings.GENERATION_MAX_PROMPT_CHARS:
        errors["prompt"] = f"Keep the description under {settings.GENERATION_MAX_PROMPT_CHARS} characters."
    if len(request.text) > 120:
        errors["text"] = "On-image text can be at most 120 characters."
    if len(request.subtext) > 120:
        errors["subtext"] = "The second line can be at most 120 characters."
    if not 1 <= request.variants <= MAX_VARIANTS:
        errors["variants"] = f"Choose between 1 and {MAX_VARIANTS} variants."
    if request.pack not in GenerationJob.Pack.values:
        errors["pack"] = "Unknown pack."
    elif spec is not None and request.pack == GenerationJob.Pack.EMOTE_PACK:
        if spec.family != "emote":
            errors["pack"] = "An emote pack needs an emote asset type."
        elif not any(i.strip() for i in request.pack_items) and len(emote_ideas(request)) < 2:
            # Nothing listed and a description that is not a list: a pack of one is a surprise.
            errors["pack_items"] = (
                "List the emotes for the pack (GG, HYPE, love heart…), or choose Single asset to make one."
            )
    elif spec is not None and request.pack == GenerationJob.Pack.BADGE_SET and spec.family != "badge":
        errors["pack"] = "A sub-badge set needs a badge asset type."
    elif spec is not None and request.pack == GenerationJob.Pack.PANEL_SET:
        if spec.family != "panel":
            errors["pack"] = "A panel set needs a panel asset type."
        elif not any(label.strip() for label in request.pack_items):
            errors["pack_items"] = "Name at least one panel."
    elif (
        spec is not None
        and request.pack == GenerationJob.Pack.STARTER_KIT
        and not any(
            kit_spec.asset_type in STARTER_KIT_TYPES for kit_spec in registry().for_platform(spec.platform)
        )
    ):
        errors["pack"] = starter_kit_missing(spec.platform)
    if request.pack and request.variants != 1:
        errors["variants"] = "Packs make one of each item; variants are for single assets."
    if len(request.media_ids) > MAX_REFERENCES:
        errors["media"] = f"Attach at most {MAX_REFERENCES} of your images."
    if request.seed is not None and not 0 <= request.seed < 2**31:
        errors["seed"] = "The seed must be a whole number from 0 to 2147483647."
    if request.layout and spec is not None and request.layout not in LAYOUTS.get(spec.family, ()):
        errors["layout"] = "Choose one of this asset type's layouts, or let the words decide."
    if request.style and request.style not in STYLE_WORDS:
        errors["style"] = "Choose one of the listed styles, or let the words decide."
    if len(request.colours) > 6 or not all(HEX_RE.fullmatch(str(c).strip()) for c in request.colours):
        errors["colours"] = "Colours are up to six hex codes such as #8E24AA."
    if errors:
        raise ValidationError(errors)


def job_cost(request: JobRequest) -> int:
    """How many generations the job uses: one per asset it makes."""
    _validate(request)
    return len(job_items(request))


def job_create(*, user: User, request: JobRequest, idempotency_key: str = "") -> tuple[GenerationJob, bool]:
    """Accept a job: validate, reserve its cost, store the recipe, queue it after commit.

    Returns (job, created). Repeating a request with the same Idempotency-Key returns the first
    job without reserving or queuing again. Raises ValidationError for bad input and
    billing.services.QuotaExceeded when the plan has no room; either way nothing is stored.
    """
    idempotency_key = idempotency_key.strip()
    if len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationError(
            {"idempotency_key": f"An Idempotency-Key is at most {MAX_IDEMPOTENCY_KEY} characters."}
        )
    fingerprint = request_fingerprint(request) if idempotency_key else ""
    if idempotency_key:
        existing = GenerationJob.objects.filter(user=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_request(existing, fingerprint), False
    _validate(request)
    # With the job queue down nothing is accepted (or reserved): the creator is told that
    # generation is paused rather than left with a job that can't start.
    require_broker()
    items = job_items(request)
    if request.refine_item is None:
        attached = media_json(user=user, media_ids=request.media_ids)
        for item in items:
            item["media"] = attached
    provider = image_provider()
    kit = brand_kit_for(user, request.brand_kit_id)
    if request.brand_snapshot is not None:
        brand = brand_from_json(request.brand_snapshot)
    else:
        brand = brand_from_kit(kit) if kit is not None else brand_default_for(user)
    for item in items:
        if "reading" in item:
            continue  # a refine keeps the reading (and so the composition) it was made with
        # The recipe keeps what the engine understood, to show beside the result.
        spec = spec_get(item["spec"])
        brief = brief_for({**item, "media": []})
        pictures = len(item.get("media") or [])  # counted, not read: the layout depends on them
        item["reading"] = understood(spec, brief, brand, item["seed"], pictures=pictures).to_json()
    job = GenerationJob(
        id=uuid.uuid4(),
        user=user,
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
        seed=items[0]["seed"],
        items=items,
        brand_snapshot=brand_to_json(brand),
        brand_kit_id=kit.pk if kit is not None else None,
        provider=provider.name,
        model=provider.model,
        queue="priority" if entitlements.uses_priority_queue(user) else "default",
        cost=len(items),
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
        # Sent to the broker when the transaction commits; if that fails, the sweep sends it.
        dispatched_at=timezone.now(),
        dispatches=1,
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
                refine_reserve(user=user, reference=job.usage_reference)
            else:
                usage_reserve(user=user, quantity=job.cost, reference=job.usage_reference)
            job.save(force_insert=True)
            transaction.on_commit(lambda: _enqueue(job))
    except IntegrityError:
        # A concurrent request with the same Idempotency-Key won the race.
        if idempotency_key:
            winner = GenerationJob.objects.get(user=user, idempotency_key=idempotency_key)
            return _same_request(winner, fingerprint), False
        raise
    return job, True


MAX_IDEMPOTENCY_KEY = 255
KEY_REUSED = "idempotency_key_reused"


def request_fingerprint(request: JobRequest) -> str:
    """A hash of everything a job request asks for: the same Idempotency-Key must come with the
    same request."""
    canonical = json.dumps(dataclasses.asdict(request), sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


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


def brand_kit_for(user: User, brand_kit_id: int | None) -> BrandKit | None:
    """The kit a job uses: the one chosen (the creator's own, else ValidationError) or the default."""
    if brand_kit_id is None:
        return brand_kit_default(user=user)
    kit = BrandKit.objects.filter(owner=user, pk=brand_kit_id).first()
    if kit is None:
        raise ValidationError({"brand_kit": "Choose one of your brand kits."})
    return kit


def _enqueue(job: GenerationJob) -> None:
    """Hand a committed job to the broker. When the broker refuses, the job is marked as not
    sent and the sweep sends it as soon as the broker is back: the request still succeeds."""
    if _publish(job):
        return
    try:
        with acting_user(job.user_id):
            GenerationJob.objects.filter(pk=job.pk, status=GenerationJob.Status.QUEUED).update(
                dispatched_at=None, dispatches=0
            )
    except DATABASE_DOWN:
        logger.warning("generation job %s: not sent and not marked; the sweep resends it later", job.pk)


def _publish(job: GenerationJob) -> bool:
    from .tasks import job_run_task

    try:
        job_run_task.apply_async(args=[str(job.pk)], queue=job.queue)
    except BROKER_DOWN as error:
        logger.warning("generation job %s could not be queued: %s", job.pk, error)
        return False
    return True


def _pack_items_of(job: GenerationJob) -> list[str]:
    if job.pack == GenerationJob.Pack.EMOTE_PACK:
        return [item.get("text") or item.get("prompt", "") for item in job.items]
    if job.pack == GenerationJob.Pack.BADGE_SET:
        return [str(item["tier"]) for item in job.items]
    if job.pack == GenerationJob.Pack.PANEL_SET:
        return [item.get("text", "") for item in job.items]
    return []


def _request_of(job: GenerationJob, *, seed: int | None) -> JobRequest:
    # Choices made outside the words (Create's layout and style, a coach brief's colours) are
    # recorded on every item alike.
    first = job.items[0] if job.items else {}
    return JobRequest(
        spec_key=job.spec_key,
        prompt=job.prompt,
        text=job.text,
        subtext=job.subtext,
        negative_prompt=job.negative_prompt,
        variants=job.variants,
        pack=job.pack,
        pack_items=_pack_items_of(job),
        template=job.template,
        seed=seed,
        # A kit deleted since falls back to the creator's default kit.
        brand_kit_id=job.brand_kit_id
        if job.brand_kit_id is not None
        and BrandKit.objects.filter(pk=job.brand_kit_id, owner_id=job.user_id).exists()
        else None,
        layout=first.get("layout") or "",
        style=first.get("style") or "",
        colours=tuple(first.get("colours") or ()),
    )


# --- The creator's own images ---------------------------------------------------------------


def media_json(*, user: User, media_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The creator's chosen images as a job records them; ValidationError for any not theirs."""
    if not media_ids:
        return []
    wanted = list(dict.fromkeys(int(pk) for pk in media_ids))
    found = {m.pk: m for m in CreatorMedia.objects.filter(owner=user, pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"media": "Choose from your own images."})
    return [
        {
            "id": m.pk,
            "role": m.role,
            "name": m.name,
            "cutout": m.kind == CreatorMedia.Kind.CUTOUT,
            "file": m.image.name,
        }
        for m in (found[pk] for pk in wanted)
    ]


def references_from(media: list[dict[str, Any]]) -> tuple[Reference, ...]:
    """The recorded images as the engine takes them; one deleted since is left out."""
    storage = CreatorMedia._meta.get_field("image").storage
    references = []
    for entry in media:
        try:
            with storage.open(entry["file"], "rb") as file:
                data = file.read()
        except (FileNotFoundError, OSError):
            logger.warning("A reference image is gone from storage: %s", entry.get("file"))
            continue
        references.append(
            Reference(role=entry["role"], name=entry["name"], image_png=data, cutout=entry["cutout"])
        )
    return tuple(references)


def brief_for(item: dict[str, Any]) -> Brief:
    """The engine's brief for one recorded job item."""
    return Brief(
        prompt=item["prompt"],
        text=item.get("text", ""),
        subtext=item.get("subtext", ""),
        negative_prompt=item.get("negative_prompt", ""),
        tier=item.get("tier"),
        tweaks=Tweaks.from_json(item.get("tweaks")),
        instruction=item.get("instruction", ""),
        references=references_from(item.get("media", [])),
        base=item.get("base", ""),
        # The composition recorded with the item (chosen, or settled when it was first made),
        # so a refine or a re-run draws the same one even if its images have gone since.
        layout=item.get("layout") or _recorded_layout(item),
        style=item.get("style") or "",
        colours=tuple(item.get("colours") or ()),
    )


def _recorded_layout(item: dict[str, Any]) -> str:
    reading = item.get("reading")
    layout = reading.get("layout") if isinstance(reading, dict) else ""
    return layout if isinstance(layout, str) else ""


def media_gone(media: list[dict[str, Any]]) -> list[str]:
    """The names of recorded images deleted since: a new version is made without them."""
    storage = CreatorMedia._meta.get_field("image").storage
    return [entry.get("name") or "an image" for entry in media if not storage.exists(entry["file"])]


# --- Refining a result ------------------------------------------------------------------------

REFINE_MAX_CHARS = 300
REFINE_HINT = (
    "Try one of the chips: brighter, more contrast, bigger text, swap to accent colour, darker background, "
    "move logo left or more glow."
)


@dataclass(frozen=True)
class RefineScope:
    """What a refine of one asset starts from: the job that made it, its item and tweaks, and
    the kinds of change its layout has no room for (tweak field → why)."""

    job: GenerationJob
    item: dict[str, Any]
    tweaks: Tweaks
    unavailable: dict[str, str]


def refine_scope(asset: Asset, *, job: GenerationJob | None = None) -> RefineScope | None:
    """The recipe ``asset`` was made from, or None when it wasn't made here (an upload, or a
    job that is gone). ``job``: the asset's job when the caller has it already."""
    if asset.source_job_id is None:
        return None
    if job is None or job.pk != asset.source_job_id:
        job = GenerationJob.objects.filter(pk=asset.source_job_id, user_id=asset.owner_id).first()
    if job is None or asset.source_item >= len(job.items):
        return None
    item = job.items[asset.source_item]
    try:
        family: str = spec_get(item["spec"]).family
    except KeyError:
        family = ""
    unavailable = {}
    if not (job.brand_snapshot or {}).get("logo_png") or family not in CORNER_LOGO_FAMILIES:
        unavailable["logo_side"] = NO_CORNER_LOGO
    if family not in TEXT_SCALE_FAMILIES:
        unavailable["text_scale"] = FIXED_TEXT
    return RefineScope(
        job=job, item=item, tweaks=Tweaks.from_json(item.get("tweaks")), unavailable=unavailable
    )


def refine_chips(asset: Asset, *, job: GenerationJob | None = None) -> tuple[Chip, ...]:
    """The quick changes that would change ``asset`` (none when it wasn't made here)."""
    scope = refine_scope(asset, job=job)
    return () if scope is None else chips_for(scope.tweaks, unavailable=scope.unavailable)


def _text_grows(scope: RefineScope, tweaks: Tweaks) -> bool:
    """Whether the words take more room with ``tweaks`` than now, on the local engine (two
    compositions, no files: a fraction of a render)."""
    item, provider = scope.item, LocalArtProvider()
    spec, brand = spec_get(item["spec"]), brand_from_json(scope.job.brand_snapshot)
    brief = brief_for(item)  # the creator's images are read once for both compositions

    def area(with_tweaks: Tweaks) -> int:
        return text_area(
            spec=spec,
            brief=dataclasses.replace(brief, tweaks=with_tweaks),
            brand=brand,
            seed=item["seed"],
            provider=provider,
        )

    return area(tweaks) > area(scope.tweaks)


def refine_request(*, asset: Asset, instruction: str) -> tuple[JobRequest, Interpretation]:
    """The job that makes ``asset`` again as asked: its own recipe and seed, the brand it was made
    with, and the instruction's tweaks on top of the ones it already has.

    Raises ValidationError (field ``instruction``) when the instruction is empty, too long, or
    changes nothing this server's engine can do."""
    instruction = " ".join(instruction.split())
    if not instruction:
        raise ValidationError({"instruction": f"Say what to change. {REFINE_HINT}"})
    if len(instruction) > REFINE_MAX_CHARS:
        raise ValidationError({"instruction": f"Keep it under {REFINE_MAX_CHARS} characters."})
    scope = refine_scope(asset)
    if scope is None:
        raise ValidationError({"instruction": "This asset wasn't made here, so it can't be refined."})
    job, item = scope.job, scope.item
    local = isinstance(image_provider(), LocalArtProvider)
    meaning = interpret(instruction, scope.tweaks, unavailable=scope.unavailable)
    if local and BIGGER_TEXT in meaning.applied and not _text_grows(scope, meaning.tweaks):
        meaning = withdraw(meaning, BIGGER_TEXT, scope.tweaks, TEXT_AT_ITS_LARGEST)
    if not meaning.changed and local:
        if meaning.already and not meaning.not_understood:
            message = " ".join(meaning.already) + " Nothing was changed."
        else:
            message = " ".join([*meaning.already, "Nothing in that is something the engine can change."])
            message += f" {REFINE_HINT}"
        raise ValidationError({"instruction": message})
    refined = {
        **item,
        "tweaks": meaning.tweaks.to_json(),
        "instruction": instruction,
        "applied": list(meaning.applied),
        "already": list(meaning.already),
        "not_understood": meaning.not_understood,
        "left_out": media_gone(item.get("media", [])),
        "refine_of": str(asset.pk),
    }
    request = JobRequest(
        spec_key=item["spec"],
        prompt=item["prompt"],
        text=item.get("text", ""),
        subtext=item.get("subtext", ""),
        negative_prompt=item.get("negative_prompt", ""),
        seed=item["seed"],
        template=job.template,
        refine_item=refined,
        refine_of=asset.pk,
        instruction=instruction,
        brand_snapshot=job.brand_snapshot,
        brand_kit_id=job.brand_kit_id
        if job.brand_kit_id is not None
        and BrandKit.objects.filter(pk=job.brand_kit_id, owner_id=job.user_id).exists()
        else None,
    )
    return request, meaning


def asset_refine(
    *, user: User, asset: Asset, instruction: str, idempotency_key: str = ""
) -> tuple[GenerationJob, bool]:
    """Start a job making a new version of ``asset`` as the instruction asks.

    Raises ValidationError, billing.services.RefineNotAllowed (the plan has no refines) or
    QuotaExceeded (included refines used up and no generations left)."""
    request, _meaning = refine_request(asset=asset, instruction=instruction)
    return job_create(user=user, request=request, idempotency_key=idempotency_key)


def _previous_image(item: dict[str, Any], provider: ImageProvider) -> bytes | None:
    """For a refine on an image model, the refined asset's largest file as PNG (the local engine
    redraws from the same seed instead and needs none)."""
    if not item.get("refine_of") or isinstance(provider, LocalArtProvider):
        return None
    rendition = Rendition.objects.filter(asset_id=item["refine_of"]).order_by("-width").first()
    if rendition is None:
        return None
    with rendition.file.open("rb") as file, Image.open(file) as image:
        image.load()
        out = io.BytesIO()
        image.save(out, format="PNG")
    return out.getvalue()


def job_regenerate_with_current_kit(*, job: GenerationJob) -> tuple[GenerationJob, bool]:
    """The same recipe and seed, with the brand kit as it is now (the old assets stay)."""
    return job_create(user=job.user, request=_request_of(job, seed=job.seed))


def job_remix(*, job: GenerationJob) -> tuple[GenerationJob, bool]:
    """The same request with a new seed."""
    return job_create(user=job.user, request=_request_of(job, seed=None))


def job_retry(*, job: GenerationJob) -> GenerationJob:
    """Run a failed or canceled job's exact recipe again, as a new job (staff action)."""
    new_job, _ = job_create(user=job.user, request=_request_of(job, seed=job.seed))
    return new_job


@transaction.atomic
def job_cancel(*, job: GenerationJob) -> GenerationJob:
    """Stop a queued or running job. The reservation is released; finished jobs are kept."""
    job = GenerationJob.objects.select_for_update().get(pk=job.pk)
    if job.is_finished:
        return job
    job.status = GenerationJob.Status.CANCELED
    job.finished_at = timezone.now()
    job.error = ""
    job.save(update_fields=["status", "finished_at", "error", "updated_at"])
    usage_release(reference=job.usage_reference)
    transaction.on_commit(lambda: _delete_outputs(job))
    return job


# --- Running a job (the worker) -----------------------------------------------------------


def _asset_id(job: GenerationJob, index: int) -> uuid.UUID:
    """Each output has a fixed id, so a retried job writes to the same storage names."""
    return uuid.uuid5(job.pk, f"item-{index}")


def _file_name(label: str, extension: str) -> str:
    return f"{label}.{extension}"


def _delete_outputs(job: GenerationJob) -> None:
    """Remove every asset (rows and files) a job stored, including half-written files."""
    storage = Rendition._meta.get_field("file").storage
    for index, item in enumerate(job.items):
        asset_id = _asset_id(job, index)
        # Often run after a commit, outside any transaction: it acts for the job's creator.
        with acting_user(job.user_id):
            Asset.objects.filter(pk=asset_id).delete()
        try:
            spec = spec_get(item["spec"])
        except KeyError:
            continue
        for rendition in spec.renditions:
            for fmt in spec.formats:
                name = _file_name(rendition.label, FORMAT_EXTENSIONS.get(fmt, "bin"))
                storage.delete(rendition_path(job.user_id, asset_id, name))


class AttemptSuperseded(Exception):
    """This attempt was taken for dead and the job handed to another: stop, touch nothing."""


def _job_progress(job: GenerationJob, *, stage: str, progress: int, attempt: str) -> None:
    """Record the stage in its own short transaction, so watchers see it at once (it is a sign
    of life too).

    Raises JobCanceled when the creator canceled the job, AttemptSuperseded when another
    attempt has taken it over.
    """
    now = timezone.now()
    with acting_user(job.user_id):
        updated = GenerationJob.objects.filter(
            pk=job.pk, status=GenerationJob.Status.RUNNING, claimed_by=attempt
        ).update(stage=stage, progress=progress, heartbeat_at=now, updated_at=now)
        if not updated:
            _raise_why_not_mine(job)


def _raise_why_not_mine(job: GenerationJob) -> None:
    status = GenerationJob.objects.values_list("status", flat=True).get(pk=job.pk)
    if status == GenerationJob.Status.CANCELED:
        raise JobCanceled
    raise AttemptSuperseded


class Heartbeat:
    """A thread that tells the sweep this attempt is alive, every GENERATION_HEARTBEAT_SECONDS,
    even while one stage (a slow provider call) takes long. It dies with its process, which is
    the point: a silent job is a dead worker's job."""

    def __init__(self, job: GenerationJob, attempt: str) -> None:
        self.job = job
        self.attempt = attempt
        self.interval = settings.GENERATION_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self) -> Heartbeat:
        if self.interval > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    with acting_user(self.job.user_id):
                        GenerationJob.objects.filter(
                            pk=self.job.pk, status=GenerationJob.Status.RUNNING, claimed_by=self.attempt
                        ).update(heartbeat_at=timezone.now())
                except DATABASE_DOWN as error:
                    logger.warning("generation job %s: heartbeat not written: %s", self.job.pk, error)
                    close_old_connections()
        finally:
            connection.close()  # this thread's own connection


ITEM_RENDER_SHARE = 0.9  # of each item's share of the progress bar; storing it takes the rest


def _job_user(job_id: uuid.UUID) -> int:
    """Whose job this is, for the worker to act for them: finding out is system work."""
    with system_work():
        return GenerationJob.objects.values_list("user_id", flat=True).get(pk=job_id)


def template_name(key: str) -> str:
    """What creators call a Quick Create template, even one taken out since."""
    from .quick import template_name as name  # quick.py reads this module's limits

    return name(key)


def _title(spec: PlatformSpec, item: dict[str, Any], *, template: str = "") -> str:
    if item.get("tier"):
        months = f"{item['tier']} month{'s' if item['tier'] != 1 else ''}"
        return f"{spec.platform_label} {spec.label.lower()} · {months}"
    # A template's prompt stays on the server: without words of its own, the asset is named
    # for the template.
    words = item.get("text") or (template_name(template) if template else item.get("prompt", ""))
    words = words if len(words) <= 48 else words[:47].rstrip() + "…"
    return f"{spec.platform_label} {spec.label.lower()} · {words}"


def _store(
    job: GenerationJob,
    index: int,
    spec: PlatformSpec,
    item: dict[str, Any],
    result: RenderResult,
    expires_at: dt.datetime | None,
) -> Asset:
    """Store one rendered asset: files under fixed names, then the rows, atomically."""
    asset_id = _asset_id(job, index)
    master = result.files[0]
    storage = Rendition._meta.get_field("file").storage
    # A Quick Create template's prompt, styles and the engine's reading of them stay on the
    # server (the job's items keep them for refine, remix and regenerate): the asset's recipe,
    # which its page, the API and downloads show, names the template instead.
    private = bool(job.template)
    recipe = {
        "prompt": "" if private else item["prompt"],
        "text": item.get("text", ""),
        "subtext": item.get("subtext", ""),
        "tier": item.get("tier"),
        "tweaks": item.get("tweaks", {}),
        "negative_prompt": "" if private else item.get("negative_prompt", ""),
        "seed": item["seed"],
        "provider": result.provider,
        "model": result.model,
        "spec": spec.key,
        "brand": {k: v for k, v in job.brand_snapshot.items() if k != "logo_png"},
        "job": str(job.pk),
    }
    if private:
        recipe["template"] = {"key": job.template, "name": template_name(job.template)}
    elif item.get("reading"):
        recipe["reading"] = item["reading"]  # what the engine understood, shown beside the asset
    asset = Asset(
        id=asset_id,
        owner_id=job.user_id,
        title=_title(spec, item, template=job.template),
        spec_key=spec.key,
        platform=spec.platform,
        asset_type=spec.asset_type,
        width=master.width,
        height=master.height,
        format=master.format,
        bytes=len(master.data),
        recipe=recipe,
        checks=[_check_json(c) for c in result.checks],
        source_job_id=job.pk,
        source_item=index,
        prompt="" if private else item["prompt"],
        brand_kit_id=job.brand_kit_id,
        brand_kit_name=str(job.brand_snapshot.get("name", ""))[:80],
        expires_at=expires_at,
    )
    parent = (
        Asset.objects.filter(pk=item["refine_of"], owner_id=job.user_id).first()
        if item.get("refine_of")
        else None
    )
    written: list[str] = []
    try:
        with transaction.atomic():
            asset.save(force_insert=True)
            if parent is not None:
                note = {
                    "instruction": item.get("instruction", ""),
                    "applied": item.get("applied", []),
                    "already": item.get("already", []),
                    "not_understood": item.get("not_understood", ""),
                    "left_out": item.get("left_out", []),
                }
                asset_version_add(asset=asset, parent=parent, note=note)
            for rendered in result.files:
                rendition = Rendition(
                    asset=asset,
                    label=rendered.label,
                    width=rendered.width,
                    height=rendered.height,
                    format=rendered.format,
                    bytes=len(rendered.data),
                    checks=[_check_json(c) for c in rendered.checks],
                )
                name = _file_name(rendered.label, rendered.extension)
                target = rendition.file.field.generate_filename(rendition, name)
                # A crashed attempt may have left this exact file: replace it, never add a copy.
                storage.delete(target)
                rendition.file.save(name, ContentFile(rendered.data), save=False)
                written.append(rendition.file.name)
                rendition.save(force_insert=True)
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    return asset


def _check_json(check: Any) -> dict[str, Any]:
    return {
        "code": check.code,
        "ok": check.ok,
        "message": check.message,
        "value": check.value,
        "limit": check.limit,
        "severity": check.severity,
    }


def _claim(job_id: uuid.UUID, user_id: int, attempt: str) -> GenerationJob | None:
    """Take the job for this attempt, or None when it is finished or another attempt that is
    still alive holds it (a duplicate delivery)."""
    with acting_user(user_id):
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return None
        if job.status == GenerationJob.Status.RUNNING and job.claimed_by not in ("", attempt):
            alive_since = timezone.now() - dt.timedelta(seconds=settings.GENERATION_LEASE_SECONDS)
            if job.heartbeat_at is not None and job.heartbeat_at >= alive_since:
                logger.info("generation job %s is being made by attempt %s", job_id, job.claimed_by)
                return None
        now = timezone.now()
        job.status = GenerationJob.Status.RUNNING
        job.stage = GenerationJob.Stage.PROMPTING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.claimed_by = attempt
        job.heartbeat_at = now
        job.notice = ""
        job.save(
            update_fields=[
                "status", "stage", "attempts", "started_at", "claimed_by", "heartbeat_at", "notice",
                "updated_at",
            ]
        )  # fmt: skip
        return job


def job_run(*, job_id: uuid.UUID, attempt: str = "") -> GenerationJob:
    """Make every item of the job, reporting each stage; idempotent under redelivery.

    ``attempt`` names this run (the Celery task id, the same across a task's own retries); a
    second delivery while a live attempt holds the job does nothing. Items already stored by
    an earlier attempt are kept; the reservation is charged once.
    """
    attempt = attempt or uuid.uuid4().hex
    user_id = _job_user(job_id)
    job = _claim(job_id, user_id, attempt)
    if job is None:
        with acting_user(user_id):
            return GenerationJob.objects.get(pk=job_id)
    with Heartbeat(job, attempt):
        return _job_make(job, user_id, attempt)


def _job_make(job: GenerationJob, user_id: int, attempt: str) -> GenerationJob:
    job_id = job.pk
    provider = image_provider()
    brand = brand_from_json(job.brand_snapshot)
    count = len(job.items)
    with acting_user(user_id):
        expires_at = entitlements.asset_expiry(job.user_id)
    try:
        for index, item in enumerate(job.items):
            with acting_user(user_id):
                if Asset.objects.filter(source_job_id=job.pk, source_item=index).exists():
                    continue
                previous_image = _previous_image(item, provider)
            spec = spec_get(item["spec"])
            brief = brief_for(item)
            last: dict[str, Any] = {"stage": None, "progress": -1}

            def report(stage: Stage, pct: int, index: int = index, last: dict[str, Any] = last) -> None:
                # The engine reports each item from 0 to 100. Each item has an equal share of
                # the first 95 % (saving the job to the library takes the last 5 %); rendering
                # fills 90 % of an item's share and storing it the rest, so the next item
                # always starts further along than the last one ended.
                done = index + ITEM_RENDER_SHARE * min(pct, 100) / 100
                overall = max(int(done * 95 / count), last["progress"])
                if stage != last["stage"] or overall - last["progress"] >= 5:
                    last.update(stage=stage, progress=overall)
                    _job_progress(job, stage=stage, progress=overall, attempt=attempt)

            _job_progress(
                job, stage=GenerationJob.Stage.PROMPTING, progress=int(index * 95 / count), attempt=attempt
            )
            result = render_asset(
                spec=spec,
                brief=brief,
                brand=brand,
                seed=item["seed"],
                provider=provider,
                on_progress=report,
                previous_image_png=previous_image,
            )
            storing = int((index + (1 + ITEM_RENDER_SHARE) / 2) * 95 / count)
            _job_progress(
                job,
                stage=GenerationJob.Stage.STORING,
                progress=max(storing, last["progress"]),
                attempt=attempt,
            )
            try:
                with acting_user(user_id):
                    _store(job, index, spec, item, result, expires_at)
            except IntegrityError:
                # Another attempt stored this item first: it has the job now.
                raise AttemptSuperseded from None
    except AttemptSuperseded:
        logger.info("generation job %s: attempt %s was superseded", job_id, attempt)
        with acting_user(user_id):
            return GenerationJob.objects.get(pk=job.pk)
    except JobCanceled:
        _delete_outputs(job)
        with acting_user(user_id):
            return GenerationJob.objects.get(pk=job.pk)
    except ProviderError as error:
        if error.retryable:
            raise RetryableJobError(error.message) from error
        return job_fail(job_id=job.pk, reason=error.message)

    with acting_user(user_id):
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.status != GenerationJob.Status.RUNNING:
            transaction.on_commit(lambda: _delete_outputs(job))
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
        _job_notify(job)
    return job


def _milestones_after(job: GenerationJob) -> None:
    """The creator's first asset, first pack, 10 and 100 assets (each reached once)."""
    made = Asset.objects.filter(owner_id=job.user_id, deleted_at__isnull=True).count()
    milestones_for_asset_count(user_id=job.user_id, asset_count=made)
    if job.pack:
        milestone_reach(user_id=job.user_id, kind=Milestone.Kind.FIRST_PACK)


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


def job_fail(*, job_id: uuid.UUID, reason: str) -> GenerationJob:
    """End a job as failed with a reason the creator can read; nothing stays charged or stored."""
    with acting_user(_job_user(job_id)):
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return job
        job.status = GenerationJob.Status.FAILED
        job.error = reason
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        usage_release(reference=job.usage_reference)
        transaction.on_commit(lambda: _delete_outputs(job))
        _job_notify(job)
    return job


# --- Nothing left behind (the sweep, every GENERATION_SWEEP_SECONDS) ----------------------

RESENT = "Still waiting for a worker: we sent it to the queue again."
RETRYING = "The worker making this stopped, so it's queued again (attempt {next} of {limit})."
GAVE_UP_WORKERS = (
    "Our workers stopped while making this, {limit} times, so we gave up. Nothing was charged; "
    "please try again."
)
GAVE_UP_QUEUE = "No worker was free to make this in time. Nothing was charged; please try again."


@dataclass
class SweepReport:
    sent: int = 0  # queued jobs (re)sent to the broker
    requeued: int = 0  # running jobs whose worker went silent, queued again
    failed: int = 0  # jobs given up on, failed and refunded
    broker_down: bool = False


def _resend_after(dispatches: int) -> dt.timedelta:
    """How long a sent job may wait unstarted before it is sent again: doubling, up to 10 min."""
    seconds = settings.GENERATION_REDISPATCH_SECONDS * 2 ** max(dispatches - 1, 0)
    return dt.timedelta(seconds=min(seconds, 600))


def jobs_sweep() -> SweepReport:
    """Leave no job behind: send queued jobs the broker never got or lost, queue again running
    jobs whose worker stopped writing its heartbeat, and fail (and refund) those that waited or
    died too often. Safe to run anywhere, any number of times at once: every change is
    conditional on the state it saw.
    """
    report = SweepReport()
    now = timezone.now()
    silent_since = now - dt.timedelta(seconds=settings.GENERATION_LEASE_SECONDS)
    with system_work():
        running = list(
            GenerationJob.objects.filter(status=GenerationJob.Status.RUNNING)
            .filter(
                Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True, updated_at__lt=silent_since)
            )
            .values_list("pk", flat=True)
        )
    for job_id in running:
        _requeue_silent(job_id, silent_since, report)
    with system_work():
        queued = list(
            GenerationJob.objects.filter(status=GenerationJob.Status.QUEUED).only(
                "pk", "user_id", "queue", "created_at", "dispatched_at", "dispatches"
            )
        )
    patience = now - dt.timedelta(seconds=settings.GENERATION_QUEUE_PATIENCE)
    for job in queued:
        if job.created_at < patience:
            job_fail(job_id=job.pk, reason=GAVE_UP_QUEUE)
            report.failed += 1
        elif report.broker_down:
            continue
        elif job.dispatched_at is None or job.dispatched_at < now - _resend_after(job.dispatches):
            _resend(job, report, notice=RESENT if job.dispatches else "")
    return report


def _requeue_silent(job_id: uuid.UUID, silent_since: dt.datetime, report: SweepReport) -> None:
    limit = settings.GENERATION_MAX_ATTEMPTS
    with system_work():
        job = (
            GenerationJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=GenerationJob.Status.RUNNING)
            .first()
        )
        if job is None or (job.heartbeat_at is not None and job.heartbeat_at >= silent_since):
            return  # finished, locked by its worker right now, or alive after all
        logger.warning("generation job %s: attempt %s went silent", job.pk, job.claimed_by)
        if job.attempts >= limit:
            give_up = True
        else:
            give_up = False
            job.status = GenerationJob.Status.QUEUED
            job.stage = GenerationJob.Stage.QUEUED
            job.claimed_by = ""
            job.dispatched_at = None
            job.dispatches = 0
            job.notice = RETRYING.format(next=job.attempts + 1, limit=limit)
            job.save(
                update_fields=[
                    "status", "stage", "claimed_by", "dispatched_at", "dispatches", "notice", "updated_at",
                ]
            )  # fmt: skip
    if give_up:
        job_fail(job_id=job.pk, reason=GAVE_UP_WORKERS.format(limit=limit))
        report.failed += 1
    else:
        report.requeued += 1
        _resend(job, report, notice=job.notice)


def _resend(job: GenerationJob, report: SweepReport, *, notice: str) -> None:
    if report.broker_down or not _publish(job):
        report.broker_down = True
        return
    report.sent += 1
    with system_work():
        changes: dict[str, Any] = {"dispatched_at": timezone.now(), "dispatches": F("dispatches") + 1}
        if notice:
            changes["notice"] = notice
        GenerationJob.objects.filter(pk=job.pk, status=GenerationJob.Status.QUEUED).update(**changes)


def job_wait_for_retry(*, job_id: uuid.UUID, notice: str) -> None:
    """Show a job as waiting again (its task retries later), with why, in words."""
    with acting_user(_job_user(job_id)):
        GenerationJob.objects.filter(pk=job_id, status=GenerationJob.Status.RUNNING).update(
            status=GenerationJob.Status.QUEUED,
            stage=GenerationJob.Stage.QUEUED,
            notice=notice,
            dispatched_at=timezone.now(),
            updated_at=timezone.now(),
        )
