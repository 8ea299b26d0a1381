"""The platform registry: every asset type's sizes, formats and limits, loaded from TOML data.

An operator updates a platform's rules by editing ``platforms/platforms.toml`` (or a copy the
settings point at); ``load_registry`` refuses a file it cannot trust and says which row and
which field are wrong.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, get_args

from .types import AssetFamily, MotionSpec, PlatformSpec, Rect, Rendition

DEFAULT_PATH = Path(__file__).resolve().parent / "platforms.toml"

FAMILIES: frozenset[str] = frozenset(get_args(AssetFamily))
FORMATS: frozenset[str] = frozenset({"PNG", "JPEG", "GIF", "WEBP", "APNG", "WEBM"})
ALPHA_FORMATS: frozenset[str] = frozenset({"PNG", "GIF", "WEBP", "APNG", "WEBM"})
# The formats that can move, and the ones only an animated row (with a [motion] table) may name.
ANIMATED_FORMATS: frozenset[str] = frozenset({"GIF", "APNG", "WEBP", "WEBM"})
MOTION_ONLY_FORMATS: frozenset[str] = frozenset({"APNG", "WEBM"})

_REQUIRED = (
    "key",
    "platform",
    "platform_label",
    "asset_type",
    "label",
    "family",
    "renditions",
    "formats",
    "transparent",
)
_OPTIONAL = (
    "byte_cap",
    "circle",
    "safe_zone",
    "keep_clear",
    "transparent_areas",
    "legibility_px",
    "chat_sizes",
    "notes",
    "source",
    "checked",
    "motion",
    "publish",
    "upload_page",
)
# What AuraStream can set on a platform through its API, per asset type.
PUBLISH_TARGETS = {"youtube.thumbnail", "youtube.channel_banner"}


class RegistryError(ValueError):
    """The registry file is missing, unreadable or has a wrong row."""


@dataclass(frozen=True)
class Registry:
    """Every platform asset type, in file order."""

    specs: tuple[PlatformSpec, ...]
    path: Path | None = None

    def get(self, key: str) -> PlatformSpec:
        for spec in self.specs:
            if spec.key == key:
                return spec
        raise KeyError(f"no platform asset type {key!r} in the registry")

    def all(self) -> tuple[PlatformSpec, ...]:
        return self.specs

    def keys(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.specs)

    def platforms(self) -> tuple[tuple[str, str], ...]:
        """``(platform, platform_label)`` pairs in the order the file first names them."""
        seen: dict[str, str] = {}
        for spec in self.specs:
            seen.setdefault(spec.platform, spec.platform_label)
        return tuple(seen.items())

    def platform_label(self, platform: str) -> str:
        """The name creators see for a platform id ("youtube" -> "YouTube"); an id the file no
        longer names (an old asset's) reads as its own words."""
        return dict(self.platforms()).get(platform) or platform.replace("_", " ").title()

    def for_platform(self, platform: str) -> tuple[PlatformSpec, ...]:
        return tuple(spec for spec in self.specs if spec.platform == platform)

    def __iter__(self) -> Iterator[PlatformSpec]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, key: object) -> bool:
        return any(spec.key == key for spec in self.specs)


def load_registry(path: Path | str | None = None) -> Registry:
    """Read and validate the registry file (the bundled one when ``path`` is None)."""
    source = Path(path) if path is not None else DEFAULT_PATH
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise RegistryError(f"{source}: the platform registry file does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: not valid TOML: {exc}") from exc
    return parse_registry(data, origin=str(source), path=source)


def parse_registry(data: dict[str, Any], *, origin: str = "registry", path: Path | None = None) -> Registry:
    rows = data.get("asset")
    unknown_top = sorted(set(data) - {"asset"})
    if unknown_top:
        raise RegistryError(f"{origin}: unknown top-level key(s) {unknown_top}; rows are [[asset]] tables")
    if not isinstance(rows, list) or not rows:
        raise RegistryError(f"{origin}: no [[asset]] rows")
    specs: list[PlatformSpec] = []
    keys: set[str] = set()
    labels: dict[str, str] = {}
    for index, row in enumerate(rows, start=1):
        spec = _parse_row(row, index=index, origin=origin)
        where = f"{origin}: row {index} ({spec.key})"
        if spec.key in keys:
            raise RegistryError(f"{where}: field 'key': {spec.key!r} appears twice")
        keys.add(spec.key)
        known_label = labels.setdefault(spec.platform, spec.platform_label)
        if known_label != spec.platform_label:
            raise RegistryError(
                f"{where}: field 'platform_label': {spec.platform_label!r} differs from "
                f"{known_label!r} used by earlier {spec.platform!r} rows"
            )
        specs.append(spec)
    return Registry(specs=tuple(specs), path=path)


class _Row:
    """Typed field access for one row, raising errors that name the row and field."""

    def __init__(self, row: dict[str, Any], where: str) -> None:
        self.row = row
        self.where = where

    def fail(self, field: str, problem: str) -> RegistryError:
        return RegistryError(f"{self.where}: field {field!r} {problem}")

    def text(self, field: str, *, required: bool = True) -> str:
        value = self.row.get(field)
        if value is None:
            if required:
                raise self.fail(field, "is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(field, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def flag(self, field: str, default: bool | None = None) -> bool:
        value = self.row.get(field, default)
        if not isinstance(value, bool):
            raise self.fail(field, f"must be true or false, got {value!r}")
        return value

    def positive_int(self, field: str, value: Any = None, *, optional: bool = False) -> int | None:
        value = self.row.get(field) if value is None else value
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(field, f"must be a positive whole number, got {value!r}")
        return value

    def rect(self, field: str, value: Any, canvas: Rendition) -> Rect:
        if not isinstance(value, dict):
            raise self.fail(field, f"must be a table {{ x, y, width, height }}, got {value!r}")
        extra = sorted(set(value) - {"x", "y", "width", "height"})
        if extra:
            raise self.fail(field, f"has unknown key(s) {extra}")
        numbers: dict[str, int] = {}
        for name in ("x", "y", "width", "height"):
            number = value.get(name)
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise self.fail(field, f"needs a whole number {name} ≥ 0, got {number!r}")
            numbers[name] = number
        rect = Rect(**numbers)
        if rect.width == 0 or rect.height == 0:
            raise self.fail(field, "has no area")
        if rect.x + rect.width > canvas.width or rect.y + rect.height > canvas.height:
            raise self.fail(field, f"{rect} does not fit the {canvas.width}×{canvas.height} master canvas")
        return rect


def _parse_row(row: Any, *, index: int, origin: str) -> PlatformSpec:
    if not isinstance(row, dict):
        raise RegistryError(f"{origin}: row {index}: must be a table")
    key_hint = row.get("key") if isinstance(row.get("key"), str) else "?"
    r = _Row(row, f"{origin}: row {index} ({key_hint})")

    unknown = sorted(set(row) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise r.fail(unknown[0], "is not a registry field (typo?)")
    key = r.text("key")
    platform = r.text("platform")
    asset_type = r.text("asset_type")
    if key != f"{platform}.{asset_type}":
        raise r.fail("key", f"must be '<platform>.<asset_type>' ({platform}.{asset_type}), got {key!r}")

    family = r.text("family")
    if family not in FAMILIES:
        raise r.fail("family", f"must be one of {sorted(FAMILIES)}, got {family!r}")

    renditions = _renditions(r)
    master = renditions[0]

    formats_value = row.get("formats")
    if not isinstance(formats_value, list) or not formats_value:
        raise r.fail("formats", 'must be a non-empty list such as ["PNG"]')
    formats = tuple(str(item).upper() for item in formats_value)
    bad = [item for item in formats if item not in FORMATS]
    if bad:
        raise r.fail("formats", f"has unknown format(s) {bad}; use {sorted(FORMATS)}")

    transparent = r.flag("transparent")
    if transparent and formats[0] not in ALPHA_FORMATS:
        raise r.fail("formats", f"prefers {formats[0]}, which cannot keep the required transparency")

    legibility = r.positive_int("legibility_px", optional=True)
    if legibility is not None and legibility > master.width:
        raise r.fail("legibility_px", f"({legibility}) is larger than the master width {master.width}")

    chat_value = row.get("chat_sizes", [])
    if not isinstance(chat_value, list):
        raise r.fail("chat_sizes", "must be a list of sizes in pixels, largest first")
    chat_sizes = tuple(r.positive_int("chat_sizes", size) or 0 for size in chat_value)
    if list(chat_sizes) != sorted(chat_sizes, reverse=True):
        raise r.fail("chat_sizes", f"must be listed largest first, got {list(chat_sizes)}")

    checked = row.get("checked")
    if checked is not None and (not isinstance(checked, date) or hasattr(checked, "hour")):
        raise r.fail("checked", f"must be a date like 2026-11-26, got {checked!r}")

    def rect_list(field: str) -> tuple[Rect, ...]:
        value = row.get(field, [])
        if not isinstance(value, list):
            raise r.fail(field, "must be a list of { x, y, width, height } tables")
        return tuple(r.rect(field, item, master) for item in value)

    motion = _motion(r, formats)
    publish = r.text("publish", required=False)
    if publish and publish not in PUBLISH_TARGETS:
        raise r.fail("publish", f"must be one of {sorted(PUBLISH_TARGETS)}, got {publish!r}")
    upload_page = r.text("upload_page", required=False)
    if upload_page and not upload_page.startswith("https://"):
        raise r.fail("upload_page", f"must be an https:// address, got {upload_page!r}")
    safe_value = row.get("safe_zone")
    return PlatformSpec(
        key=key,
        platform=platform,
        platform_label=r.text("platform_label"),
        asset_type=asset_type,
        label=r.text("label"),
        family=family,  # type: ignore[arg-type]  # checked against FAMILIES above
        renditions=renditions,
        formats=formats,
        byte_cap=r.positive_int("byte_cap", optional=True),
        transparent=transparent,
        circle=r.flag("circle", False),
        safe_zone=None if safe_value is None else r.rect("safe_zone", safe_value, master),
        keep_clear=rect_list("keep_clear"),
        transparent_areas=rect_list("transparent_areas"),
        legibility_px=legibility,
        chat_sizes=chat_sizes,
        notes=" ".join(r.text("notes", required=False).split()),
        source=r.text("source", required=False),
        checked=checked,
        motion=motion,
        publish=publish,
        upload_page=upload_page,
    )


def _motion(r: _Row, formats: tuple[str, ...]) -> MotionSpec | None:
    """The row's ``motion = { fps, max_frames, max_seconds }``: only animated rows have one, and
    only they may name APNG or WebM; a WebM needs an image format beside it for previews."""
    value = r.row.get("motion")
    if value is None:
        still_only = sorted(set(formats) & MOTION_ONLY_FORMATS)
        if still_only:
            raise r.fail("formats", f"names {still_only}, which only an animated row (with motion) makes")
        return None
    if not isinstance(value, dict) or not {"fps", "max_frames", "max_seconds"} <= set(value) <= {
        "fps",
        "max_frames",
        "max_seconds",
        "fps_options",
    }:
        raise r.fail("motion", "must be a table { fps, max_frames, max_seconds } (and fps_options)")
    if not set(formats) <= ANIMATED_FORMATS:
        raise r.fail("formats", f"of an animated row must be among {sorted(ANIMATED_FORMATS)}")
    if formats == ("WEBM",):
        raise r.fail("formats", "need an image format (GIF, APNG or WEBP) beside WEBM for previews")
    fps = r.positive_int("motion", value["fps"])
    max_frames = r.positive_int("motion", value["max_frames"])
    seconds = value["max_seconds"]
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= 30:
        raise r.fail("motion", f"needs max_seconds between 0 and 30, got {seconds!r}")
    assert fps is not None
    assert max_frames is not None
    if fps > 60:
        raise r.fail("motion", f"needs fps of at most 60, got {fps}")
    options = value.get("fps_options", [])
    if not isinstance(options, list) or not all(
        r.positive_int("motion", rate) and rate <= 60 for rate in options
    ):
        raise r.fail("motion", f"needs fps_options as frame rates up to 60, got {options!r}")
    # Browsers slow GIF frames shorter than 20 ms down to 100 ms: over 50 fps a GIF-only row
    # can't play; beside a WebM its GIF keeps every other frame.
    image = next(fmt for fmt in formats if fmt != "WEBM")
    if image == "GIF" and "WEBM" not in formats and max([fps, *options]) > 50:
        raise r.fail(
            "motion", "plays GIF, which shows at most 50 frames a second (a WebM beside it may take 60)"
        )
    return MotionSpec(fps=fps, max_frames=max_frames, max_seconds=float(seconds), fps_options=tuple(options))


def _renditions(r: _Row) -> tuple[Rendition, ...]:
    value = r.row.get("renditions")
    if not isinstance(value, list) or not value:
        raise r.fail("renditions", "must be a non-empty list of { width, height, label } tables")
    renditions: list[Rendition] = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"width", "height", "label"}:
            raise r.fail("renditions", f"entries need exactly width, height and label, got {item!r}")
        width = r.positive_int("renditions", item.get("width"))
        height = r.positive_int("renditions", item.get("height"))
        label = item.get("label")
        if not isinstance(label, str) or not label:
            raise r.fail("renditions", f"entry {item!r} needs a label")
        assert width is not None
        assert height is not None
        renditions.append(Rendition(width=width, height=height, label=label))
    labels = [rendition.label for rendition in renditions]
    if len(set(labels)) != len(labels):
        raise r.fail("renditions", f"labels must be unique, got {labels}")
    master = renditions[0]
    for rendition in renditions[1:]:
        if rendition.width > master.width or rendition.height > master.height:
            raise r.fail("renditions", "must be listed largest first (the first is the master canvas)")
        if abs(rendition.width / rendition.height - master.width / master.height) > 0.02:
            raise r.fail("renditions", f"{rendition.label} has a different aspect ratio from the master")
    return tuple(renditions)
