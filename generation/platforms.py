"""The platform registry, loaded once from the data file named in settings."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .engine.registry import Registry, load_registry
from .engine.types import PlatformSpec


@functools.cache
def registry() -> Registry:
    return load_registry(Path(settings.GENERATION_PLATFORMS_FILE))


def spec_get(key: str) -> PlatformSpec:
    """The spec for a registry key; KeyError when there is no such row."""
    return registry().get(key)


@receiver(setting_changed)
def _reload_on_settings_change(setting: str, **_: Any) -> None:
    if setting == "GENERATION_PLATFORMS_FILE":
        registry.cache_clear()
