"""Quick Create: a template, a vibe and a few words become a job, or a preview of it.

The preview is drawn by the offline local engine with the creator's brand kit and the same
seed the job will use, so with the local provider the first asset of the job is the preview.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from PIL import Image

from accounts.models import User
from platforms import spec_get
from workspaces.current import workspace_id_for

from ..brand import brand_default_for, brand_from_kit, brand_to_json
from ..engine.providers.local import LocalArtProvider
from ..engine.render import render_preview
from ..engine.types import Brief
from ..models import GenerationJob
from ..services import JobRequest, brand_kit_for, job_create, job_items, media_json, references_from
from .templates import QuickTemplate, TemplateValueError

PREVIEW_MAX_SIDE = 640
PREVIEW_CACHE_SECONDS = 60 * 60


def new_seed() -> int:
    return secrets.randbelow(2**31)


def template_request(
    *,
    template: QuickTemplate,
    vibe: str | None,
    values: Mapping[str, Any],
    seed: int | None = None,
    brand_kit_id: int | None = None,
    media_ids: Sequence[int] = (),
) -> JobRequest:
    """The job a template makes with these choices. Raises ValidationError naming the field."""
    if vibe and vibe not in {v.key for v in template.vibes}:
        raise ValidationError({"vibe": "Choose one of this template's vibes."})
    try:
        cleaned = template.clean(values)
    except TemplateValueError as error:
        raise ValidationError(error.errors) from None
    words = template.fill(template.vibe(vibe), cleaned)
    return JobRequest(
        spec_key=template.spec_key,
        prompt=words["prompt"],
        text=words["text"][:120],
        subtext=words["subtext"][:120],
        negative_prompt=words["negative_prompt"],
        pack=template.pack,
        pack_items=template.pack_items,
        seed=seed,
        brand_kit_id=brand_kit_id,
        template=template.key,
        media_ids=tuple(media_ids),
        animation=template.animation,
    )


def job_from_template(
    *,
    user: User,
    template: QuickTemplate,
    vibe: str | None,
    values: Mapping[str, Any],
    seed: int | None = None,
    brand_kit_id: int | None = None,
    media_ids: Sequence[int] = (),
    idempotency_key: str = "",
) -> tuple[GenerationJob, bool]:
    """Start the template's job in one step (see ``services.job_create`` for what it raises)."""
    request = template_request(
        template=template, vibe=vibe, values=values, seed=seed, brand_kit_id=brand_kit_id, media_ids=media_ids
    )
    return job_create(user=user, request=request, idempotency_key=idempotency_key)


def template_preview(*, user: User, request: JobRequest) -> bytes:
    """A PNG of the job's first asset as the local engine draws it, at most 640 px a side.

    Cached per brand kit version and choices, so a gallery of previews renders each once.
    """
    workspace_id = workspace_id_for(user.pk)
    kit = brand_kit_for(user, request.brand_kit_id, workspace_id=workspace_id)
    brand = brand_from_kit(kit) if kit is not None else brand_default_for(user)
    seed = request.seed if request.seed is not None else 0
    item = job_items(dataclasses.replace(request, seed=seed))[0]
    media = media_json(user=user, media_ids=request.media_ids, workspace_id=workspace_id)
    item = dataclasses.replace(item, media=media)
    key_source = json.dumps(
        {"item": item.to_json(), "brand": brand_to_json(brand), "side": PREVIEW_MAX_SIDE},
        sort_keys=True,
        default=str,
    )
    cache_key = "quick-preview:" + hashlib.sha256(key_source.encode()).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None:
        return bytes(cached)
    spec = spec_get(item.spec)
    brief = Brief(
        prompt=item.prompt,
        text=item.text,
        subtext=item.subtext,
        negative_prompt=item.negative_prompt,
        tier=item.tier,
        references=references_from(item.media),
    )
    image = render_preview(spec=spec, brief=brief, brand=brand, seed=item.seed, provider=LocalArtProvider())
    scale = PREVIEW_MAX_SIDE / max(image.size)
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    data = out.getvalue()
    cache.set(cache_key, data, PREVIEW_CACHE_SECONDS)
    return data
