"""The coach provider named in settings, resolved once, and the platform targets it may offer."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from platforms import registry
from platforms.types import PlatformSpec

from .engine.types import CoachProvider, TargetOption


@functools.cache
def coach_provider() -> CoachProvider:
    provider_class = import_string(settings.COACH_PROVIDER)
    return provider_class(**settings.COACH_PROVIDER_OPTIONS)


def _rules(spec: PlatformSpec) -> str:
    parts = [", ".join(spec.formats)]
    if spec.transparent:
        parts.append("transparent background")
    if spec.byte_cap:
        cap = spec.byte_cap
        size = f"{cap / 1_000_000:.3g} MB" if cap >= 1_000_000 else f"{cap / 1000:.3g} KB"
        parts.append(f"at most {size} a file")
    if spec.circle:
        parts.append("shown cropped to a circle")
    if spec.safe_zone is not None:
        zone = spec.safe_zone
        parts.append(f"text and logos inside the centred {zone.width}×{zone.height} safe area")
    if spec.keep_clear:
        parts.append("keep the bottom-right corner clear of the video length stamp")
    if spec.legibility_px:
        parts.append(f"must still read at {spec.legibility_px} px")
    rules = "; ".join(parts)
    return f"{rules}. {spec.notes}".strip() if spec.notes else f"{rules}."


def _size(spec: PlatformSpec) -> str:
    master = spec.master
    size = f"{master.width}×{master.height} px"
    others = sorted({r.width for r in spec.renditions[1:] if r.width != master.width}, reverse=True)
    return f"{size} (also {', '.join(str(w) for w in others)})" if others else size


@functools.cache
def coach_targets() -> tuple[TargetOption, ...]:
    """Every platform asset the coach may steer a creator towards, from the registry."""
    return tuple(
        TargetOption(
            platform=spec.platform,
            platform_label=spec.platform_label,
            asset_type=spec.asset_type,
            label=spec.label,
            family=spec.family,
            size=_size(spec),
            rules=_rules(spec),
        )
        for spec in registry().specs
    )


@receiver(setting_changed)
def _reset_on_settings_change(setting: str, **_: Any) -> None:
    if setting in ("COACH_PROVIDER", "COACH_PROVIDER_OPTIONS"):
        coach_provider.cache_clear()
    if setting == "GENERATION_PLATFORMS_FILE":
        coach_targets.cache_clear()
