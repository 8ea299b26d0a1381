"""Brand kit snapshots as stored in a job's recipe (JSON) and as the engine takes them."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from accounts.models import User

from .engine.types import BrandSnapshot, Palette


def brand_default_for(user: User) -> BrandSnapshot:
    """The neutral kit a creator gets before they make a brand kit of their own."""
    return BrandSnapshot(name="AuraStream default", channel_name=user.display_name)


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
