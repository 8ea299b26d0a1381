"""The registry as the rest of the code reads it: names, previews and the file the settings name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from platforms import DEFAULT_PATH, platform_label, registry, spec_get

REPO = Path(__file__).resolve().parents[2]


def test_platform_names_come_from_the_registry():
    assert [platform_label(p) for p in ("youtube", "tiktok", "stream", "all")] == [
        "YouTube",
        "TikTok",
        "Stream scenes",
        "Any platform",
    ]
    # An old asset's platform that the file no longer names still reads as words.
    assert platform_label("new_site") == "New Site"


def test_the_registry_is_the_file_the_settings_name(settings, tmp_path):
    edited = tmp_path / "platforms.toml"
    edited.write_text(
        DEFAULT_PATH.read_text().replace('platform_label = "Kick"', 'platform_label = "Kick.com"')
    )

    settings.GENERATION_PLATFORMS_FILE = str(edited)
    assert registry().path == edited
    assert platform_label("kick") == "Kick.com"
    assert spec_get("kick.emote").platform_label == "Kick.com"

    settings.GENERATION_PLATFORMS_FILE = str(DEFAULT_PATH)
    assert platform_label("kick") == "Kick"


def test_the_registry_and_the_engine_import_no_django():
    code = (
        "import sys, platforms, generation.engine.render, coach.engine.local; print('django' in sys.modules)"
    )
    loaded = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "False"
