"""Storing made assets: the generation job hands over the rows' values and the rendered files,
and the library writes them (files under fixed names, then the rows, atomically) or takes them
away again when the job that made them fails or is canceled."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from aurastream.db import acting_user

from ..models import FORMAT_EXTENSIONS, Asset, Rendition, rendition_path
from .versions import asset_version_add


def rendition_file_name(label: str, format: str) -> str:
    """A rendition's file name inside its asset's folder: ``<label>.<ext>``."""
    return f"{label}.{FORMAT_EXTENSIONS.get(format, 'bin')}"


@dataclass(frozen=True)
class RenditionFile:
    """One file of a made asset: its rendition label, size, format, bytes and checks."""

    label: str
    width: int
    height: int
    format: str  # "PNG" | "JPEG" | "GIF" | "WEBP"
    data: bytes
    checks: tuple[dict[str, Any], ...] = ()


def asset_store(
    *,
    asset_id: uuid.UUID,
    owner_id: int,
    workspace_id: int,
    title: str,
    spec_key: str,
    platform: str,
    asset_type: str,
    recipe: dict[str, Any],
    checks: list[dict[str, Any]],
    prompt: str,
    files: Sequence[RenditionFile],
    source_job_id: uuid.UUID,
    source_item: int,
    brand_kit_id: int | None,
    brand_kit_name: str,
    expires_at: dt.datetime | None,
    refines: uuid.UUID | None = None,
    version_note: dict[str, object] | None = None,
) -> Asset:
    """Store a made asset in its workspace, files (master first) and rows, all or nothing; a
    ``asset_id`` stored twice raises IntegrityError. ``refines``: the version it follows."""
    master = files[0]
    asset = Asset(
        id=asset_id,
        owner_id=owner_id,
        workspace_id=workspace_id,
        title=title,
        spec_key=spec_key,
        platform=platform,
        asset_type=asset_type,
        width=master.width,
        height=master.height,
        format=master.format,
        bytes=len(master.data),
        recipe=recipe,
        checks=checks,
        source_job_id=source_job_id,
        source_item=source_item,
        prompt=prompt,
        brand_kit_id=brand_kit_id,
        brand_kit_name=brand_kit_name,
        expires_at=expires_at,
    )
    parent = Asset.objects.filter(pk=refines, workspace_id=workspace_id).first() if refines else None
    storage = Rendition._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            asset.save(force_insert=True)
            if parent is not None:
                asset_version_add(asset=asset, parent=parent, note=version_note or {})
            for file in files:
                _rendition_save(asset, file, storage, written)
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    return asset


def _rendition_save(asset: Asset, file: RenditionFile, storage: Any, written: list[str]) -> None:
    """Write one file and its row; ``written`` learns the file's name before the row is saved."""
    rendition = Rendition(
        asset=asset,
        label=file.label,
        width=file.width,
        height=file.height,
        format=file.format,
        bytes=len(file.data),
        checks=list(file.checks),
    )
    name = rendition_file_name(file.label, file.format)
    target = rendition.file.field.generate_filename(rendition, name)
    # A crashed attempt may have left this exact file: replace it, never add a copy.
    storage.delete(target)
    rendition.file.save(name, ContentFile(file.data), save=False)
    written.append(rendition.file.name)
    rendition.save(force_insert=True)


def asset_discard(*, owner_id: int, asset_id: uuid.UUID, file_names: Sequence[str]) -> None:
    """Take away an asset whose job failed or was canceled: its row if it was stored, and any of
    ``file_names`` a crashed attempt may have half-written under its folder."""
    # Often run after a commit, outside any transaction: it acts for the asset's owner.
    with acting_user(owner_id):
        Asset.objects.filter(pk=asset_id).delete()
    storage = Rendition._meta.get_field("file").storage
    for name in file_names:
        storage.delete(rendition_path(owner_id, asset_id, name))
