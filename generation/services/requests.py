"""What a creator asks for (``JobRequest``), checked once, and the items a job makes of it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from brandkits.models import BrandKit
from platforms import registry, spec_get
from platforms.types import PlatformSpec

from ..engine.motion.animations import ANIMATIONS, choices, default_for
from ..engine.reading import HEX_RE, LAYOUTS, STYLE_WORDS
from ..engine.types import SPEEDS, Motion
from ..items import MAX_PACK_ITEMS, JobItem
from ..models import GenerationJob

MAX_VARIANTS = 4
MAX_LOOPS = 10  # "play n times" on animated files; 0 loops forever
MAX_REFERENCES = 2
DEFAULT_BADGE_TIERS = (1, 2, 3, 6, 9, 12)


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
    # refines, the instruction, and the brand snapshot the original was made with. Animating
    # an existing asset also makes one given item (its recipe on an animated type), without
    # refine_of: a new asset, counted as a generation.
    refine_item: JobItem | None = None
    refine_of: uuid.UUID | None = None
    instruction: str = ""
    brand_snapshot: dict[str, object] | None = None
    media_ids: Sequence[int] = ()  # up to two of the creator's own images to put in
    # Decided outside the words (a coach brief, Create's choices); "" / (): the words decide.
    layout: str = ""
    style: str = ""
    colours: Sequence[str] = ()
    # Animated asset types: the animation ("": the type's default), its pace and how often it plays.
    animation: str = ""
    speed: str = ""  # a key of engine.types.SPEEDS; "": normal
    loops: int = 0  # 0: forever
    fps: int = 0  # 0: the type's own frame rate; alerts and overlays also take 60


_QUOTED = re.compile(r"[\"“”']([^\"“”']{1,24})[\"“”']")


def _idea_words(idea: str) -> tuple[str, str]:
    """One emote idea as (prompt, text): quoted or short all-caps words are set as text, the
    rest is the subject."""
    idea = idea.strip()
    quoted = _QUOTED.search(idea)
    if quoted:
        return idea, quoted.group(1).strip()
    if len(idea) <= 6 and " " not in idea and idea.upper() == idea:
        return idea, idea
    return idea, ""


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


def _pack_words(request: JobRequest, spec: PlatformSpec) -> list[tuple[str, str, str, int | None]]:
    """(spec key, prompt, text, tier) for each asset the request makes."""
    if request.pack == GenerationJob.Pack.EMOTE_PACK:
        ideas = emote_ideas(request)[:MAX_PACK_ITEMS]
        return [(spec.key, *_idea_words(idea), None) for idea in ideas]
    if request.pack == GenerationJob.Pack.BADGE_SET:
        written = [_tier(t) for t in request.pack_items]
        tiers = [t for t in written if t is not None] or list(DEFAULT_BADGE_TIERS)
        return [(spec.key, request.prompt, "", tier) for tier in sorted(set(tiers))[:MAX_PACK_ITEMS]]
    if request.pack == GenerationJob.Pack.PANEL_SET:
        labels = [label.strip() for label in request.pack_items if label.strip()]
        return [(spec.key, request.prompt, label[:40], None) for label in labels[:MAX_PACK_ITEMS]]
    if request.pack == GenerationJob.Pack.STARTER_KIT:
        kit_specs = _starter_kit_specs(spec.platform)
        return [(kit_spec.key, request.prompt, request.text, None) for kit_spec in kit_specs]
    return [(spec.key, request.prompt, request.text, None)] * request.variants


def job_items(request: JobRequest) -> list[JobItem]:
    """Everything the job will make, one item per asset, each with its own seed."""
    if request.refine_item is not None:
        return [request.refine_item]
    spec = spec_get(request.spec_key)
    seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
    # Listed ideas keep an emote pack's description as the base of each emote.
    listed = request.pack == GenerationJob.Pack.EMOTE_PACK and any(i.strip() for i in request.pack_items)
    return [
        JobItem(
            spec=spec_key,
            prompt=prompt,
            text=text,
            subtext=request.subtext.strip(),
            tier=tier,
            base=request.prompt.strip() if listed else "",
            negative_prompt=request.negative_prompt,
            layout=request.layout,
            style=request.style,
            colours=tuple(request.colours),
            motion=motion_for(request, spec_get(spec_key)),
            # Items share one seed space: the same recipe gives the same bytes, item by item.
            seed=seed + index,
        )
        for index, (spec_key, prompt, text, tier) in enumerate(_pack_words(request, spec))
    ]


def motion_for(request: JobRequest, spec: PlatformSpec) -> Motion | None:
    """The motion an item of ``spec`` gets from the request (None for still asset types)."""
    if not spec.animated:
        return None
    return Motion(
        animation=request.animation or default_for(spec),
        speed=SPEEDS.get(request.speed or "normal", 1.0),
        loops=request.loops,
        fps=request.fps,
    )


def _motion_errors(request: JobRequest, spec: PlatformSpec | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if spec is None:
        return errors
    if not spec.animated:
        if request.animation or request.fps:
            errors["animation"] = (
                f"{spec.platform_label} {spec.label.lower()} doesn't move: choose an animated asset type."
            )
        return errors
    offered = [animation.key for animation in choices(spec)]
    if request.animation and request.animation not in offered:
        known = ANIMATIONS.get(request.animation)
        errors["animation"] = (
            f"{known.label} can't be used on a {spec.label.lower()}: choose one of {', '.join(offered)}."
            if known
            else f"Choose an animation: {', '.join(offered)}."
        )
    if request.speed and request.speed not in SPEEDS:
        errors["speed"] = f"Choose a speed: {', '.join(SPEEDS)}."
    if not 0 <= request.loops <= MAX_LOOPS:
        errors["loops"] = f"Play it forever (0) or up to {MAX_LOOPS} times."
    assert spec.motion is not None
    if request.fps and request.fps not in spec.motion.rates:
        rates = " or ".join(str(rate) for rate in spec.motion.rates)
        errors["fps"] = f"{spec.platform_label} {spec.label.lower()} plays at {rates} frames a second."
    return errors


def emote_ideas(request: JobRequest) -> list[str]:
    """An emote pack's ideas: the listed items, or else the description read as a list
    ("GG, HYPE, love heart")."""
    return [i for i in request.pack_items if i.strip()] or [
        part for part in re.split(r"[,\n;]+", request.prompt) if part.strip()
    ]


def _pack_errors(request: JobRequest, spec: PlatformSpec | None) -> dict[str, str]:
    errors: dict[str, str] = {}
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
    return errors


def request_validate(request: JobRequest) -> None:
    """Check a request once, before anything is made of it; ValidationError names each field."""
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
    errors.update(_pack_errors(request, spec))
    errors.update(_motion_errors(request, spec))
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
    request_validate(request)
    return len(job_items(request))


def request_fingerprint(request: JobRequest) -> str:
    """A hash of everything a job request asks for: the same Idempotency-Key must come with the
    same request."""
    asked = dataclasses.asdict(dataclasses.replace(request, refine_item=None))
    asked["refine_item"] = request.refine_item.to_json() if request.refine_item is not None else None
    canonical = json.dumps(asked, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _pack_items_of(job: GenerationJob) -> list[str]:
    if job.pack == GenerationJob.Pack.EMOTE_PACK:
        return [item.text or item.prompt for item in job.item_list]
    if job.pack == GenerationJob.Pack.BADGE_SET:
        return [str(item.tier) for item in job.item_list]
    if job.pack == GenerationJob.Pack.PANEL_SET:
        return [item.text for item in job.item_list]
    return []


def kept_brand_kit_id(job: GenerationJob) -> int | None:
    """The job's brand kit, when its workspace still has it (else None: the default kit)."""
    if job.brand_kit_id is None:
        return None
    return (
        job.brand_kit_id
        if BrandKit.objects.filter(pk=job.brand_kit_id, workspace_id=job.workspace_id).exists()
        else None
    )


def item_request(job: GenerationJob, item: JobItem, **changes: Any) -> JobRequest:
    """The request that makes one of ``job``'s items again (a refine, an animation of its
    asset): its words and seed, the job's template, and the brand it was made with."""
    made = JobRequest(
        spec_key=item.spec,
        prompt=item.prompt,
        text=item.text,
        subtext=item.subtext,
        negative_prompt=item.negative_prompt,
        seed=item.seed,
        template=job.template,
        brand_snapshot=job.brand_snapshot,
        brand_kit_id=kept_brand_kit_id(job),
    )
    return dataclasses.replace(made, **changes)


def request_of(job: GenerationJob, *, seed: int | None) -> JobRequest:
    """The request that made ``job``, with ``seed`` (None: a new one)."""
    # Choices made outside the words (Create's layout and style, a coach brief's colours) are
    # recorded on every item alike.
    items = job.item_list
    first = items[0] if items else None
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
        brand_kit_id=kept_brand_kit_id(job),
        layout=first.layout if first else "",
        style=first.style if first else "",
        colours=first.colours if first else (),
        **_motion_request(first.motion if first else None),
    )


def _motion_request(motion: Motion | None) -> dict[str, Any]:
    """A recorded motion as the request fields that ask for it again."""
    if motion is None:
        return {}
    speed = next((name for name, value in SPEEDS.items() if value == motion.speed), "normal")
    return {"animation": motion.animation, "speed": speed, "loops": motion.loops, "fps": motion.fps}
