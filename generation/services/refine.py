"""Refining a result: an instruction in words becomes tweaks on the asset's own recipe, made as
a new job whose asset joins the refined one's family."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from accounts.models import User
from aurastream import events
from library.models import Asset
from platforms import spec_get

from ..brand import brand_from_json
from ..engine.compose import CORNER_LOGO_FAMILIES, TEXT_SCALE_FAMILIES
from ..engine.motion import frames as framing
from ..engine.motion.animations import ANIMATIONS, default_for
from ..engine.providers.local import LocalArtProvider
from ..engine.refine import (
    BIGGER_TEXT,
    FASTER,
    FIXED_TEXT,
    MOTION_CHANGES,
    NO_AMOUNT,
    NO_CORNER_LOGO,
    PACE_AT_ITS_LIMIT,
    SLOWER,
    STILL,
    TEXT_AT_ITS_LARGEST,
    Chip,
    Interpretation,
    chips_for,
    interpret,
    withdraw,
)
from ..engine.render import text_area
from ..engine.types import Motion, Tweaks
from ..items import JobItem
from ..models import GenerationJob
from .jobs import job_create
from .making import brief_for
from .media import media_gone
from .provider import image_provider
from .requests import JobRequest, item_request

REFINE_MAX_CHARS = 300
REFINE_HINT = (
    "Try one of the chips: brighter, more contrast, bigger text, swap to accent colour, darker background, "
    "move logo left or more glow (animated assets: faster, slower, less or more movement)."
)


@dataclass(frozen=True)
class RefineScope:
    """What a refine of one asset starts from: the job that made it, its item and tweaks, and
    the kinds of change its layout has no room for (tweak field → why)."""

    job: GenerationJob
    item: JobItem
    tweaks: Tweaks
    unavailable: dict[str, str]


def refine_scope(asset: Asset, *, job: GenerationJob | None = None) -> RefineScope | None:
    """The recipe ``asset`` was made from, or None when it wasn't made here (an upload, or a
    job that is gone). ``job``: the asset's job when the caller has it already."""
    if asset.source_job_id is None:
        return None
    if job is None or job.pk != asset.source_job_id:
        job = GenerationJob.objects.filter(pk=asset.source_job_id, workspace_id=asset.workspace_id).first()
    if job is None or asset.source_item >= len(job.items):
        return None
    item = JobItem.from_json(job.items[asset.source_item])
    family: str
    try:
        spec = spec_get(item.spec)
        family, animated = spec.family, spec.animated
    except KeyError:
        family, animated = "", False
    unavailable = {}
    if not (job.brand_snapshot or {}).get("logo_png") or family not in CORNER_LOGO_FAMILIES:
        unavailable["logo_side"] = NO_CORNER_LOGO
    if family not in TEXT_SCALE_FAMILIES:
        unavailable["text_scale"] = FIXED_TEXT
    if not animated:
        unavailable["motion_speed"] = unavailable["motion_amount"] = STILL
    return RefineScope(job=job, item=item, tweaks=item.tweaks, unavailable=unavailable)


def refine_chips(asset: Asset, *, job: GenerationJob | None = None) -> tuple[Chip, ...]:
    """The quick changes that would change ``asset`` (none when it wasn't made here)."""
    scope = refine_scope(asset, job=job)
    if scope is None:
        return ()
    chips = chips_for(scope.tweaks, unavailable=scope.unavailable)
    return tuple(
        chip for chip in chips if _moves_differently(scope, interpret(chip.instruction, scope.tweaks))
    )


def _moves_differently(scope: RefineScope, meaning: Interpretation) -> bool:
    """Whether ``meaning``'s motion changes would change the frames: a loop already at the row's
    longest (or shortest) can't be slowed (or sped up), and spin, rainbow, sparkle and the text
    animations have no amount of movement to change. True when it changes no motion at all."""
    if not set(meaning.applied) & MOTION_CHANGES:
        return True
    item = scope.item
    try:
        spec = spec_get(item.spec)
    except KeyError:
        return False
    if spec.motion is None:
        return False
    # An item recorded without its motion moves as the type's default does.
    motion = item.motion or Motion(animation=default_for(spec))
    animation = ANIMATIONS.get(motion.animation)
    if animation is None:
        return False
    before = framing.timing(animation, motion, scope.tweaks, spec.motion)
    paced = dataclasses.replace(scope.tweaks, motion_speed=meaning.tweaks.motion_speed)
    if framing.timing(animation, motion, paced, spec.motion) != before:
        return True
    return animation.calms and meaning.tweaks.motion_amount != scope.tweaks.motion_amount


def _text_grows(scope: RefineScope, tweaks: Tweaks) -> bool:
    """Whether the words take more room with ``tweaks`` than now, on the local engine (two
    compositions, no files: a fraction of a render)."""
    item, provider = scope.item, LocalArtProvider()
    spec, brand = spec_get(item.spec), brand_from_json(scope.job.brand_snapshot)
    brief = brief_for(item)  # the creator's images are read once for both compositions

    def area(with_tweaks: Tweaks) -> int:
        return text_area(
            spec=spec,
            brief=dataclasses.replace(brief, tweaks=with_tweaks),
            brand=brand,
            seed=item.seed,
            provider=provider,
        )

    return area(tweaks) > area(scope.tweaks)


def _meaning(scope: RefineScope, instruction: str) -> Interpretation:
    """What the instruction changes; ValidationError when it changes nothing this server's
    engine can do."""
    local = isinstance(image_provider(), LocalArtProvider)
    meaning = interpret(instruction, scope.tweaks, unavailable=scope.unavailable)
    if local and BIGGER_TEXT in meaning.applied and not _text_grows(scope, meaning.tweaks):
        meaning = withdraw(meaning, BIGGER_TEXT, scope.tweaks, TEXT_AT_ITS_LARGEST)
    motion_only = bool(meaning.applied) and set(meaning.applied) <= MOTION_CHANGES
    for change in MOTION_CHANGES & set(meaning.applied):
        alone = interpret(change, scope.tweaks)
        if not _moves_differently(scope, alone):
            reason = PACE_AT_ITS_LIMIT if change in (FASTER, SLOWER) else NO_AMOUNT
            meaning = withdraw(meaning, change, scope.tweaks, reason)
    # Motion is the engine's whichever model drew the art: a motion change that changes nothing
    # is refused on every provider.
    if not meaning.changed and (local or motion_only):
        if meaning.already and not meaning.not_understood:
            message = " ".join(meaning.already) + " Nothing was changed."
        else:
            message = " ".join([*meaning.already, "Nothing in that is something the engine can change."])
            message += f" {REFINE_HINT}"
        raise ValidationError({"instruction": message})
    return meaning


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
    meaning = _meaning(scope, instruction)
    refined = dataclasses.replace(
        item,
        tweaks=meaning.tweaks,
        instruction=instruction,
        applied=tuple(meaning.applied),
        already=tuple(meaning.already),
        not_understood=meaning.not_understood,
        left_out=tuple(media_gone(item.media)),
        refine_of=asset.pk,
    )
    request = item_request(job, item, refine_item=refined, refine_of=asset.pk, instruction=instruction)
    return request, meaning


def asset_refine(
    *, user: User, asset: Asset, instruction: str, idempotency_key: str = ""
) -> tuple[GenerationJob, bool]:
    """Start a job making a new version of ``asset`` as the instruction asks.

    Raises ValidationError, billing.services.RefineNotAllowed (the plan has no refines) or
    QuotaExceeded (included refines used up and no generations left)."""
    request, _meaning = refine_request(asset=asset, instruction=instruction)
    job, created = job_create(
        user=user, request=request, idempotency_key=idempotency_key, workspace_id=asset.workspace_id
    )
    if created:
        events.record(
            events.REFINE, user=user, key=str(job.pk), asset_type=asset.asset_type, platform=asset.platform
        )
    return job, created
