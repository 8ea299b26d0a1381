"""Refresh the local engine's subject art from Microsoft's Fluent Emoji (flat style).

The art is committed under ``generation/data/art/fluent/`` so that a fresh machine needs
nothing but Python. This command rebuilds that folder from the ``fluentui-emoji`` npm package
(MIT): the flat SVG of every concept (the default skin tone of those that have several) and
``index.json``, which names each concept with its CLDR name, the emoji package's aliases and the
emoji itself, for the engine's word lookup.

    npm pack fluentui-emoji@1.3.0 && tar xzf fluentui-emoji-1.3.0.tgz
    .venv/bin/python manage.py refresh_art package/

Needs the ``emoji`` package (in requirements-dev.txt) for the CLDR names and aliases.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from generation.engine.art import ART_DIR

SKIN_TONES = ("-medium-light", "-medium-dark", "-light", "-medium", "-dark")


def _slug(cldr: str) -> str:
    """``:cat_face:`` → ``cat-face`` (the package's file names)."""
    name = cldr.strip(":").lower().replace("_", "-")
    name = re.sub(r"[^a-z0-9-]+", "-", name)
    return re.sub(r"-+", "-", name).strip("-")


def _emoji_names() -> dict[str, dict[str, Any]]:
    try:
        import emoji
    except ImportError as exc:  # pragma: no cover - a developer tool
        raise CommandError("Install the dev requirements first (the emoji package).") from exc
    names: dict[str, dict[str, Any]] = {}
    for char, data in emoji.EMOJI_DATA.items():
        slug = _slug(data["en"])
        if slug in names:
            continue
        aliases = sorted({_slug(alias) for alias in data.get("alias", [])} - {slug})
        names[slug] = {"emoji": char, "aliases": aliases}
    return names


class Command(BaseCommand):
    help = "Rebuild generation/data/art/fluent/ from an unpacked fluentui-emoji npm package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", type=Path, help="the unpacked npm package folder ('package/')")

    def handle(self, *args: Any, package: Path, **options: Any) -> None:
        flat = package / "icons" / "flat"
        licence = package / "LICENSE"
        if not flat.is_dir() or not licence.is_file():
            raise CommandError(f"{package} is not an unpacked fluentui-emoji package (no icons/flat).")
        names = _emoji_names()
        concepts: dict[str, dict[str, Any]] = {}
        sources: dict[str, str] = {}
        for path in sorted(flat.glob("*.svg")):
            stem = path.stem
            if stem.endswith(SKIN_TONES):
                continue  # one drawing per concept: the default (yellow) tone
            concept = stem.removesuffix("-default")
            known = names.get(concept, {})
            concepts[concept] = {"emoji": known.get("emoji", ""), "aliases": known.get("aliases", [])}
            sources[concept] = path.name
        target = ART_DIR / "svg"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for concept, source in sources.items():
            shutil.copyfile(flat / source, target / f"{concept}.svg")
        # One concept a line: diffs of a refresh stay readable.
        lines = [
            f"{json.dumps(name)}: {json.dumps(entry, ensure_ascii=False)}" for name, entry in concepts.items()
        ]
        (ART_DIR / "index.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
        version = json.loads((package / "package.json").read_text()).get("version", "?")
        self.stdout.write(f"{len(concepts)} concepts from fluentui-emoji {version} written to {ART_DIR}.")
