"""The registry as the rest of the code reads it: names, previews and the file the settings name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from platforms import DEFAULT_PATH, PercentRect, platform_label, preview_for, registry, spec_get

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


def test_a_cover_previews_its_safe_area_and_the_bands_the_apps_cover_in_percent():
    preview = preview_for(spec_get("all.story_cover"))  # 1080×1920

    assert preview.family == "cover"
    assert preview.safe_zone == PercentRect(left=8.333, top=14.062, width=83.333, height=59.896)
    assert preview.keep_clear == (
        PercentRect(left=0.0, top=0.0, width=100.0, height=13.021),
        PercentRect(left=0.0, top=75.0, width=100.0, height=25.0),
    )


def test_an_avatar_previews_its_circle_and_an_emote_has_no_guides():
    assert preview_for(spec_get("youtube.profile_picture")).circle is True
    emote = preview_for(spec_get("twitch.emote"))
    assert (emote.family, emote.safe_zone, emote.keep_clear, emote.byte_cap) == ("emote", None, (), 25_000)


def test_one_big_upload_is_previewed_at_the_sizes_chat_shows_it():
    # Kick takes one 500 px emote and shows it at chat sizes; Twitch takes each size as a file.
    assert preview_for(spec_get("kick.emote")).chat_sizes == (112, 56, 28)
    assert preview_for(spec_get("twitch.emote")).chat_sizes == ()


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


def test_the_registry_and_the_engines_use_no_django():
    code = (
        "import sys, platforms, generation.engine.render, coach.engine.local; "
        "print(platforms.platform_label('kick'), 'django' in sys.modules)"
    )
    loaded = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "Kick False"
