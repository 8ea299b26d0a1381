"""The creator's own images in a job: recorded on each item when the job is accepted, read
into the engine's references when it runs."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from accounts.models import User
from brandkits.models import CreatorMedia

from ..engine.types import Reference
from ..items import ItemMedia

logger = logging.getLogger(__name__)


def media_json(*, user: User, media_ids: Sequence[int], workspace_id: int) -> tuple[ItemMedia, ...]:
    """The chosen images of the job's workspace as a job records them; ValidationError for any
    other."""
    if not media_ids:
        return ()
    wanted = list(dict.fromkeys(int(pk) for pk in media_ids))
    found = {m.pk: m for m in CreatorMedia.objects.filter(workspace_id=workspace_id, pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"media": "Choose from the images of the workspace you're working in."})
    return tuple(
        ItemMedia(
            id=m.pk,
            role=m.role,
            name=m.name,
            cutout=m.kind == CreatorMedia.Kind.CUTOUT,
            file=m.image.name,
        )
        for m in (found[pk] for pk in wanted)
    )


def references_from(media: Sequence[ItemMedia]) -> tuple[Reference, ...]:
    """The recorded images as the engine takes them; one deleted since is left out."""
    storage = CreatorMedia._meta.get_field("image").storage
    references = []
    for entry in media:
        try:
            with storage.open(entry.file, "rb") as file:
                data = file.read()
        except (FileNotFoundError, OSError):
            logger.warning("A reference image is gone from storage: %s", entry.file)
            continue
        references.append(Reference(role=entry.role, name=entry.name, image_png=data, cutout=entry.cutout))
    return tuple(references)


def media_gone(media: Sequence[ItemMedia]) -> list[str]:
    """The names of recorded images deleted since: a new version is made without them."""
    storage = CreatorMedia._meta.get_field("image").storage
    return [entry.name or "an image" for entry in media if not storage.exists(entry.file)]
