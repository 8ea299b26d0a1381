"""The image provider named in settings (``IMAGE_PROVIDER``, an implementation in
``engine/providers/``), resolved once."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from ..engine.types import ImageProvider


@functools.cache
def image_provider() -> ImageProvider:
    provider_class = import_string(settings.IMAGE_PROVIDER)
    return provider_class(**settings.IMAGE_PROVIDER_OPTIONS)


@receiver(setting_changed)
def _reset_on_settings_change(setting: str, **_: Any) -> None:
    if setting in ("IMAGE_PROVIDER", "IMAGE_PROVIDER_OPTIONS"):
        image_provider.cache_clear()
