"""Quick Create templates: "Starting soon screen, my brand, go".

Each template is a TOML file in ``GENERATION_TEMPLATES_DIR`` (``generation/data/templates/``):
what it makes (a registry row, maybe a pack), a few vibes (style presets), at most three fields
the creator fills in (title, game, date…), and the prompt and on-image words built from them.
An operator adds or edits a file and the gallery shows it on the next page load, no code change
or restart: the folder is re-read whenever a file in it changes. A file that does not hold
together is left out with a warning (in the log and in ``manage.py check``) so one typo never
takes the gallery down. Prompt and style text stay on the server: pages and the API show
names, descriptions, vibes and fields only.

Placeholders: ``{field_key}`` and ``{vibe}`` (the vibe's style words). A part in square
brackets, ``[for a {game} stream]``, is dropped when any placeholder inside it is empty.
"""

from __future__ import annotations

import logging
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from platforms import registry
from platforms.loader import Registry

from ..engine.motion.animations import choices
from ..items import MAX_PACK_ITEMS

logger = logging.getLogger(__name__)

MAX_FIELDS = 3
MAX_VIBES = 6
MAX_FIELD_CHARS = 80
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_OPTIONAL_NOTE = re.compile(r"\s*\(optional\)\s*$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
# Packs a template may make, and the asset family each needs.
PACK_FAMILIES = {"": None, "emote_pack": "emote", "badge_set": "badge", "panel_set": "panel"}


class TemplateError(ValueError):
    """A template file that does not hold together; the message names the problem."""


@dataclass(frozen=True)
class TemplateField:
    key: str
    label: str
    default: str = ""
    placeholder: str = ""
    help: str = ""
    max_length: int = 40
    required: bool = False


@dataclass(frozen=True)
class Vibe:
    key: str
    name: str
    description: str
    style: str  # words for the prompt; never shown


@dataclass(frozen=True)
class QuickTemplate:
    key: str
    name: str
    category: str
    description: str
    spec_key: str
    pack: str
    pack_items: tuple[str, ...]
    prompt: str
    text: str
    subtext: str
    negative_prompt: str
    fields: tuple[TemplateField, ...]
    vibes: tuple[Vibe, ...]
    order: int
    animation: str = ""  # animated asset types: how it moves ("": the type's default)

    @property
    def asset_count(self) -> int:
        """How many assets (so generations) one job from this template makes."""
        if not self.pack:
            return 1
        distinct = dict.fromkeys(item.strip() for item in self.pack_items if item.strip())
        return min(len(distinct), MAX_PACK_ITEMS)

    def vibe(self, key: str | None) -> Vibe:
        """The vibe with this key; the first one when the key is empty or unknown."""
        return next((vibe for vibe in self.vibes if vibe.key == key), self.vibes[0])

    def defaults(self) -> dict[str, str]:
        return {field.key: field.default for field in self.fields}

    def clean(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The creator's field values, tidied; raises TemplateValueError naming bad fields."""
        cleaned: dict[str, str] = {}
        errors: dict[str, str] = {}
        for field in self.fields:
            raw = values.get(field.key)
            value = " ".join(str(raw).split()) if raw is not None else field.default
            if len(value) > field.max_length:
                errors[field.key] = f"Keep {field.label.lower()} to {field.max_length} characters."
            elif field.required and not value:
                errors[field.key] = f"Fill in {field.label.lower()}."
            cleaned[field.key] = value
        if errors:
            raise TemplateValueError(errors)
        return cleaned

    def fill(self, vibe: Vibe, values: Mapping[str, str]) -> dict[str, str]:
        """The prompt and on-image words for these choices (values already cleaned)."""
        words = {**values, "vibe": vibe.style}
        return {
            "prompt": _fill(self.prompt, words),
            "text": _fill(self.text, words),
            "subtext": _fill(self.subtext, words),
            "negative_prompt": self.negative_prompt,
        }


class TemplateValueError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _fill(text: str, words: Mapping[str, str]) -> str:
    def optional(match: re.Match[str]) -> str:
        inner = match.group(1)
        keys = _PLACEHOLDER.findall(inner)
        return inner if all(words.get(key) for key in keys) else ""

    text = _OPTIONAL.sub(optional, text)
    text = _PLACEHOLDER.sub(lambda match: words.get(match.group(1), ""), text)
    return " ".join(text.split())


def _string(data: dict[str, Any], key: str, *, required: bool = True, limit: int = 2000) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise TemplateError(f"'{key}' must be text.")
    value = value.strip()
    if required and not value:
        raise TemplateError(f"'{key}' is missing.")
    if len(value) > limit:
        raise TemplateError(f"'{key}' is longer than {limit} characters.")
    return value


def parse_template(data: dict[str, Any], *, platforms: Registry) -> QuickTemplate:
    """One template from its TOML table, checked against the platform registry."""
    key = _string(data, "key", limit=60)
    if not _SLUG.match(key):
        raise TemplateError("'key' must be lowercase letters, digits and dashes, like 'starting-soon'.")
    spec_key = _string(data, "spec", limit=60)
    try:
        spec = platforms.get(spec_key)
    except KeyError:
        raise TemplateError(f"'spec' names no platform asset type: {spec_key!r}.") from None
    pack = _string(data, "pack", required=False)
    if pack not in PACK_FAMILIES:
        raise TemplateError(f"'pack' must be one of {', '.join(repr(p) for p in PACK_FAMILIES if p)}.")
    if PACK_FAMILIES[pack] not in (None, spec.family):
        raise TemplateError(f"A {pack} needs a {PACK_FAMILIES[pack]} asset type, not {spec_key}.")
    pack_items = data.get("pack_items", [])
    if not isinstance(pack_items, list) or not all(isinstance(i, (str, int)) for i in pack_items):
        raise TemplateError("'pack_items' must be a list of words or numbers.")
    if pack and not pack_items:
        raise TemplateError("A pack template needs 'pack_items'.")
    animation = _string(data, "animation", required=False, limit=30)
    if animation and (not spec.animated or animation not in {a.key for a in choices(spec)}):
        raise TemplateError(f"'animation' {animation!r} is not one {spec_key} can use.")

    fields = []
    for raw in data.get("fields", []):
        field_key = _string(raw, "key", limit=30)
        if not _SLUG.match(field_key) or field_key == "vibe":
            raise TemplateError(f"Field key {field_key!r} must be a lowercase word (and not 'vibe').")
        max_length = raw.get("max_length", 40)
        if not isinstance(max_length, int) or not 1 <= max_length <= MAX_FIELD_CHARS:
            raise TemplateError(f"Field {field_key!r}: 'max_length' must be 1 to {MAX_FIELD_CHARS}.")
        default = _string(raw, "default", required=False, limit=max_length)
        fields.append(
            TemplateField(
                key=field_key,
                # The form marks optional fields itself: a label that says so too would say it twice.
                label=_OPTIONAL_NOTE.sub("", _string(raw, "label", limit=40)),
                default=default,
                placeholder=_string(raw, "placeholder", required=False, limit=80),
                help=_string(raw, "help", required=False, limit=200),
                max_length=max_length,
                required=bool(raw.get("required", False)),
            )
        )
    if len(fields) > MAX_FIELDS:
        raise TemplateError(f"A template has at most {MAX_FIELDS} fields, this one has {len(fields)}.")
    if len({f.key for f in fields}) != len(fields):
        raise TemplateError("Two fields share a key.")

    vibes = [
        Vibe(
            key=_string(raw, "key", limit=30),
            name=_string(raw, "name", limit=40),
            description=_string(raw, "description", required=False, limit=200),
            style=_string(raw, "style", limit=400),
        )
        for raw in data.get("vibes", [])
    ]
    if not 1 <= len(vibes) <= MAX_VIBES:
        raise TemplateError(f"A template needs 1 to {MAX_VIBES} vibes.")
    if len({v.key for v in vibes}) != len(vibes) or not all(_SLUG.match(v.key) for v in vibes):
        raise TemplateError("Vibe keys must be distinct lowercase words.")

    template = QuickTemplate(
        key=key,
        name=_string(data, "name", limit=60),
        category=_string(data, "category", limit=40),
        description=_string(data, "description", limit=300),
        spec_key=spec_key,
        pack=pack,
        pack_items=tuple(str(item) for item in pack_items),
        prompt=_string(data, "prompt"),
        text=_string(data, "text", required=False, limit=200),
        subtext=_string(data, "subtext", required=False, limit=200),
        negative_prompt=_string(data, "negative_prompt", required=False),
        fields=tuple(fields),
        vibes=tuple(vibes),
        order=int(data.get("order", 100)),
        animation=animation,
    )
    known = {f.key for f in fields} | {"vibe"}
    for name in ("prompt", "text", "subtext"):
        unknown = set(_PLACEHOLDER.findall(getattr(template, name))) - known
        if unknown:
            raise TemplateError(f"'{name}' uses {{{sorted(unknown)[0]}}}, which is not a field.")
    return template


@dataclass(frozen=True)
class Catalog:
    templates: tuple[QuickTemplate, ...]
    problems: tuple[str, ...]  # "file.toml: what is wrong", for files left out

    def get(self, key: str) -> QuickTemplate:
        """The template with this key; KeyError when there is none."""
        for template in self.templates:
            if template.key == key:
                return template
        raise KeyError(key)

    def by_category(self) -> list[tuple[str, list[QuickTemplate]]]:
        groups: dict[str, list[QuickTemplate]] = {}
        for template in self.templates:
            groups.setdefault(template.category, []).append(template)
        return list(groups.items())


def load_catalog(folder: Path, *, platforms: Registry) -> Catalog:
    """Every ``*.toml`` template in ``folder``, sorted by order then name; bad files left out."""
    templates: list[QuickTemplate] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        try:
            with path.open("rb") as file:
                template = parse_template(tomllib.load(file), platforms=platforms)
            if template.key in seen:
                raise TemplateError(f"another file already uses the key {template.key!r}")
        except (OSError, tomllib.TOMLDecodeError, TemplateError) as error:
            problems.append(f"{path.name}: {error}")
            continue
        seen.add(template.key)
        templates.append(template)
    templates.sort(key=lambda t: (t.order, t.name))
    return Catalog(templates=tuple(templates), problems=tuple(problems))


_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], Catalog] | None = None


def _signature(folder: Path) -> tuple[Any, ...]:
    try:
        return (
            str(folder),
            *((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.toml"))),
        )
    except OSError:
        return (str(folder),)


def catalog() -> Catalog:
    """The templates as the folder holds them now (re-read only when a file changed)."""
    global _cached
    folder = Path(settings.GENERATION_TEMPLATES_DIR)
    signature = _signature(folder)
    with _lock:
        if _cached is None or _cached[0] != signature:
            loaded = load_catalog(folder, platforms=registry())
            for problem in loaded.problems:
                logger.warning("Quick Create template left out: %s", problem)
            _cached = (signature, loaded)
        return _cached[1]


def template_get(key: str) -> QuickTemplate:
    """A template by key; KeyError when there is no such template."""
    return catalog().get(key)


def template_name(key: str) -> str:
    """What creators call a template ("Starting soon"), even one taken out since."""
    try:
        return template_get(key).name
    except KeyError:
        return key.replace("-", " ").replace("_", " ").capitalize()
