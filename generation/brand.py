"""Brand kit snapshots as stored in a job's recipe (JSON) and as the engine takes them."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path
from typing import Any

from django.conf import settings

from accounts.models import User
from brandkits.models import BrandFont, BrandKit

from .engine.types import BrandSnapshot, Palette


def brand_default_for(user: User) -> BrandSnapshot:
    """The neutral kit a creator gets before they make a brand kit of their own."""
    return BrandSnapshot(name="AuraStream default", channel_name=user.display_name)


def _local_font_path(font: BrandFont) -> str:
    """Uploaded fonts as a local file the engine can open (S3 files are cached under var/)."""
    try:
        return font.file.path
    except NotImplementedError:
        cache = Path(settings.VAR_DIR) / "font-cache"
        cache.mkdir(parents=True, exist_ok=True)
        target = cache / Path(font.file.name).name
        if not target.exists():
            with font.file.open("rb") as source:
                target.write_bytes(source.read())
        return str(target)


def brand_from_kit(kit: BrandKit) -> BrandSnapshot:
    """Freeze a brand kit for one job: later edits to the kit never change what it makes."""
    logos = {logo.role: logo for logo in kit.logos.all()} if kit.pk else {}
    logo = logos.get("primary") or logos.get("icon") or logos.get("wordmark")
    logo_png = None
    if logo is not None:
        with logo.trimmed.open("rb") as trimmed:
            logo_png = trimmed.read()
    return BrandSnapshot(
        name=kit.name,
        palette=Palette(
            primary=kit.primary_color,
            secondary=kit.secondary_color,
            accent=kit.accent_color,
            background=kit.background_color,
            text=kit.text_color,
            extras=tuple(kit.extra_colors),
        ),
        heading_font=_local_font_path(kit.heading_font_file) if kit.heading_font_file else kit.heading_font,
        body_font=_local_font_path(kit.body_font_file) if kit.body_font_file else kit.body_font,
        logo_png=logo_png,
        art_style=kit.art_style,
        mood=kit.mood,
        keywords=tuple(kit.keywords),
        avoid=tuple(kit.avoid),
        voice=kit.voice,
        channel_name=kit.channel_name,
        tagline=kit.tagline,
        schedule=kit.schedule,
    )


def brand_to_json(brand: BrandSnapshot) -> dict[str, Any]:
    data = dataclasses.asdict(brand)
    data["logo_png"] = base64.b64encode(brand.logo_png).decode() if brand.logo_png else None
    data["palette"]["extras"] = list(brand.palette.extras)
    data["keywords"] = list(brand.keywords)
    data["avoid"] = list(brand.avoid)
    return data


def brand_from_json(data: dict[str, Any]) -> BrandSnapshot:
    data = dict(data)
    palette = dict(data.pop("palette", {}) or {})
    palette["extras"] = tuple(palette.get("extras") or ())
    logo = data.pop("logo_png", None)
    fields = {f.name for f in dataclasses.fields(BrandSnapshot)}
    known = {k: v for k, v in data.items() if k in fields}
    known["keywords"] = tuple(known.get("keywords") or ())
    known["avoid"] = tuple(known.get("avoid") or ())
    return BrandSnapshot(
        **known,
        palette=Palette(**palette),
        logo_png=base64.b64decode(logo) if logo else None,
    )
