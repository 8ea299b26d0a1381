"""The platform registry: every platform asset type's sizes, names, formats, limits and preview
guides, as data (``platforms.toml``) with its loader and typed values.

Plain Python at the bottom of the house: the render engine, generation, the library and the
coach all read platform facts from here, and nothing here imports an app or Django. Only
``registry()`` looks at Django's settings, when the running app has configured them (for the file
an operator points ``GENERATION_PLATFORMS_FILE`` at); without them the bundled file is read.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from .loader import DEFAULT_PATH, Registry, RegistryError, load_registry
from .preview import PercentRect, Preview, preview_for
from .types import AssetFamily, MotionSpec, PlatformSpec, Rect, Rendition

__all__ = [
    "DEFAULT_PATH",
    "AssetFamily",
    "MotionSpec",
    "PercentRect",
    "PlatformSpec",
    "Preview",
    "Rect",
    "Registry",
    "RegistryError",
    "Rendition",
    "load_registry",
    "platform_label",
    "preview_for",
    "registry",
    "registry_file",
    "spec_get",
]


def _configured_path() -> str:
    # Django's settings as the running app loaded them, without importing Django here: the
    # engines use this package on their own (benchmarks, scripts), where the bundled file is read.
    conf = sys.modules.get("django.conf")
    settings = getattr(conf, "settings", None)
    if settings is None or not settings.configured:
        return str(DEFAULT_PATH)
    return str(getattr(settings, "GENERATION_PLATFORMS_FILE", DEFAULT_PATH))


@functools.cache
def _registry_at(path: str) -> Registry:
    return load_registry(Path(path))


def registry() -> Registry:
    """The registry in the file the settings name, read once per process (per file, so a test
    that points the setting at another file reads that one)."""
    return _registry_at(_configured_path())


def registry_file() -> str:
    """The path of the file ``registry()`` reads."""
    return _configured_path()


def spec_get(key: str) -> PlatformSpec:
    """The spec for a registry key; KeyError when there is no such row."""
    return registry().get(key)


def platform_label(platform: str) -> str:
    """The name creators see for a platform id, e.g. "YouTube"."""
    return registry().platform_label(platform)
