"""Animating an existing design: an asset's own recipe made again on an animated asset type.

The new asset is the same design (the same words, seed, brand snapshot, style and colours, the
creator's images when they still have them) on, say, Twitch's animated emote row, moved by the
chosen animation. It is a new asset, not a version, and counts as one generation; the plan
must include motion (``billing.entitlements.motion_allowance``).
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError

from accounts.models import User
from library.models import Asset
from platforms import registry, spec_get
from platforms.types import PlatformSpec

from ..models import GenerationJob
from .jobs import job_create
from .media import media_gone
from .refine import refine_scope
from .requests import JobRequest, item_request, motion_for

# A still design can move on an animated type whose layout suits it: chat art (emotes, icons,
# badges, avatars) becomes an animated emote, sticker or alert; an overlay an animated overlay.
SUITS: dict[str, frozenset[str]] = {
    "emote": frozenset({"emote", "icon"}),
    "icon": frozenset({"emote", "icon"}),
    "badge": frozenset({"emote", "icon"}),
    "avatar": frozenset({"emote", "icon"}),
    "overlay": frozenset({"overlay"}),
}


def animate_targets(asset: Asset) -> list[PlatformSpec]:
    """The animated asset types ``asset``'s design can be made on (none for an animated asset
    itself, a family with nothing to animate, or an asset not made here)."""
    try:
        spec = spec_get(asset.spec_key)
    except KeyError:
        return []
    if spec.animated or asset.source_job_id is None:
        return []
    families = SUITS.get(spec.family, frozenset())
    return [target for target in registry() if target.animated and target.family in families]


def animate_request(
    *, asset: Asset, spec_key: str, animation: str, speed: str, loops: int, fps: int = 0
) -> JobRequest:
    """The job that makes ``asset``'s design again on ``spec_key``, moving as asked.

    Raises ValidationError (``spec_key``) for a type the design can't move on or an asset that
    wasn't made here; ``job_create`` checks the animation, speed and plays like any request's."""
    scope = refine_scope(asset)
    if scope is None:
        raise ValidationError({"spec_key": "This asset wasn't made here, so it can't be animated."})
    if spec_key not in {target.key for target in animate_targets(asset)}:
        raise ValidationError({"spec_key": "Choose one of the animated types this design can move on."})
    job, item = scope.job, scope.item
    request = item_request(
        job, item, spec_key=spec_key, animation=animation, speed=speed, loops=loops, fps=fps
    )
    gone = set(media_gone(item.media))
    made = dataclasses.replace(
        item,
        spec=spec_key,
        # Layouts belong to a family; the animated type's own is used. The reading is made
        # again for it when the job is accepted.
        layout="" if spec_get(spec_key).family != spec_get(item.spec).family else item.layout,
        reading=None,
        media=tuple(entry for entry in item.media if entry.name not in gone),
        motion=None,
        tweaks=dataclasses.replace(item.tweaks, motion_speed=1.0, motion_amount=1.0),
        refine_of=None,
        instruction="",
        applied=(),
        already=(),
        not_understood="",
        left_out=tuple(gone),
    )
    made = dataclasses.replace(made, motion=motion_for(request, spec_get(spec_key)))
    return dataclasses.replace(request, refine_item=made)


def asset_animate(
    *,
    user: User,
    asset: Asset,
    spec_key: str,
    animation: str = "",
    speed: str = "",
    loops: int = 0,
    fps: int = 0,
    idempotency_key: str = "",
) -> tuple[GenerationJob, bool]:
    """Start a job making ``asset``'s design move. Raises ValidationError, MotionNotAllowed
    (the plan has no motion) or QuotaExceeded (no generations left); nothing is stored then."""
    request = animate_request(
        asset=asset, spec_key=spec_key, animation=animation, speed=speed, loops=loops, fps=fps
    )
    return job_create(
        user=user, request=request, idempotency_key=idempotency_key, workspace_id=asset.workspace_id
    )
