"""The platform registry: every row of the platform spec sheet, validated as data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from platforms.loader import DEFAULT_PATH, RegistryError, load_registry

# Every row of PLATFORM_SPECS.md, with the pixel sizes of the files it needs.
EXPECTED: dict[str, list[tuple[int, int]]] = {
    "twitch.emote": [(112, 112), (56, 56), (28, 28)],
    "twitch.animated_emote": [(112, 112), (56, 56), (28, 28)],
    "twitch.sub_badge": [(72, 72), (36, 36), (18, 18)],
    "twitch.bits_badge": [(72, 72), (36, 36), (18, 18)],
    "twitch.channel_points_icon": [(112, 112), (56, 56), (28, 28)],
    "twitch.profile_picture": [(256, 256)],
    "twitch.profile_banner": [(1200, 480)],
    "twitch.offline_banner": [(1920, 1080)],
    "twitch.panel": [(320, 100)],
    "youtube.thumbnail": [(1280, 720)],
    "youtube.channel_banner": [(2560, 1440)],
    "youtube.profile_picture": [(800, 800)],
    "youtube.watermark": [(150, 150)],
    "youtube.channel_emote": [(480, 480), (48, 48)],
    "youtube.member_badge": [(128, 128), (32, 32)],
    "tiktok.profile_photo": [(720, 720)],
    "tiktok.live_emote": [(300, 300), (200, 200), (100, 100)],
    "kick.emote": [(500, 500)],
    "kick.avatar": [(512, 512)],
    "kick.banner": [(1280, 700)],
    "kick.offline_banner": [(1920, 1080)],
    "kick.panel": [(320, 100)],
    "stream.overlay": [(1920, 1080)],
    "stream.starting_soon": [(1920, 1080)],
    "stream.brb": [(1920, 1080)],
    "stream.ending": [(1920, 1080)],
    "all.story_cover": [(1080, 1920)],
    "all.clip_cover": [(1080, 1080)],
    "discord.server_icon": [(1024, 1024), (512, 512)],
    "discord.server_banner": [(960, 540)],
    "discord.emoji": [(128, 128)],
    "discord.sticker": [(320, 320)],
    "discord.role_icon": [(64, 64)],
    "discord.animated_emoji": [(128, 128)],
    "discord.animated_sticker": [(320, 320)],
    "7tv.animated_emote": [(128, 128)],
    "bttv.animated_emote": [(112, 112)],
    "stream.alert": [(720, 720)],
    "stream.animated_overlay": [(1920, 1080)],
}


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_every_platform_spec_row_is_present_with_its_sizes(registry):
    assert set(registry.keys()) == set(EXPECTED)
    for key, sizes in EXPECTED.items():
        spec = registry.get(key)
        assert [(r.width, r.height) for r in spec.renditions] == sizes, key


def test_every_row_is_sourced_dated_and_coherent(registry):
    for spec in registry:
        assert spec.source, spec.key
        assert spec.checked is not None, spec.key
        assert spec.checked >= date(2026, 11, 26), spec.key
        assert spec.notes, spec.key
        assert spec.key == f"{spec.platform}.{spec.asset_type}"
        if spec.transparent:
            assert spec.formats[0] in ("PNG", "GIF", "WEBP", "APNG", "WEBM"), spec.key
        if spec.animated:
            assert spec.image_format in ("GIF", "APNG", "WEBP"), spec.key


def test_stricter_values_are_kept_where_sources_conflict(registry):
    assert registry.get("twitch.emote").byte_cap == 25_000  # 25 KB per size beats 1 MB
    assert registry.get("twitch.sub_badge").byte_cap == 25_000
    assert registry.get("twitch.bits_badge").byte_cap * 3 <= 40_000  # three files under 40 KB
    assert registry.get("youtube.profile_picture").byte_cap == 2_000_000  # 2 MB beats 4 MB
    animated = registry.get("twitch.animated_emote")
    assert animated.formats == ("GIF",)
    assert animated.motion is not None
    assert animated.motion.max_frames == 60
    assert animated.byte_cap == 512_000  # 512 KB a size by hand beats 1 MB
    assert "at most 60 frames" in animated.notes


def test_safe_zones_and_ui_areas(registry):
    banner = registry.get("youtube.channel_banner")
    assert banner.safe_zone is not None
    assert (banner.safe_zone.width, banner.safe_zone.height) == (1546, 423)
    assert abs(banner.safe_zone.x * 2 + banner.safe_zone.width - 2560) <= 1
    assert abs(banner.safe_zone.y * 2 + banner.safe_zone.height - 1440) <= 1

    thumbnail = registry.get("youtube.thumbnail")
    (stamp,) = thumbnail.keep_clear
    assert stamp.x + stamp.width == 1280
    assert stamp.y + stamp.height == 720
    assert thumbnail.legibility_px == 120

    story = registry.get("all.story_cover")
    assert any(r.y == 0 for r in story.keep_clear)
    assert any(r.y + r.height == 1920 for r in story.keep_clear)

    overlay = registry.get("stream.overlay")
    assert overlay.transparent
    assert len(overlay.transparent_areas) >= 2

    assert registry.get("twitch.emote").legibility_px == 28
    assert registry.get("twitch.sub_badge").legibility_px == 18
    for spec in registry.for_platform("twitch"):
        if spec.family == "avatar":
            assert spec.circle


def test_lookup_and_ordering(registry):
    assert registry.get("twitch.emote").label == "Emote (static)"
    with pytest.raises(KeyError):
        registry.get("myspace.glitter")
    platforms = [platform for platform, _ in registry.platforms()]
    assert platforms[:4] == ["twitch", "youtube", "tiktok", "kick"]
    assert len(platforms) == len(set(platforms))
    assert {spec.platform for spec in registry.for_platform("discord")} == {"discord"}
    assert "kick.emote" in registry
    assert len(registry) == len(EXPECTED)


def test_default_path_is_the_bundled_file():
    assert DEFAULT_PATH.is_file()
    assert load_registry(DEFAULT_PATH).keys() == load_registry().keys()


def _one_row(**fields: str | None) -> str:
    row: dict[str, str | None] = {
        "key": '"test.emote"',
        "platform": '"test"',
        "platform_label": '"Test"',
        "asset_type": '"emote"',
        "label": '"Emote"',
        "family": '"emote"',
        "renditions": '[{ width = 112, height = 112, label = "112" }]',
        "formats": '["PNG"]',
        "transparent": "true",
    }
    row.update(fields)
    body = "\n".join(f"{name} = {value}" for name, value in row.items() if value is not None)
    return f"[[asset]]\n{body}\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "platforms.toml"
    path.write_text(text)
    return path


def test_an_operator_file_loads(tmp_path):
    registry = load_registry(_write(tmp_path, _one_row(byte_cap="25_000", checked="2026-11-26")))
    assert registry.get("test.emote").byte_cap == 25_000


@pytest.mark.parametrize(
    ("fields", "field_name", "hint"),
    [
        ({"family": '"sticker"'}, "family", "must be one of"),
        ({"byte_cap": "-5"}, "byte_cap", "positive whole number"),
        ({"formats": '["BMP"]'}, "formats", "unknown format"),
        ({"formats": '["JPEG"]'}, "formats", "transparency"),
        (
            {
                "renditions": '[{ width = 28, height = 28, label = "28" }, '
                '{ width = 112, height = 112, label = "112" }]'
            },
            "renditions",
            "largest first",
        ),
        ({"safe_zone": "{ x = 100, y = 0, width = 100, height = 50 }"}, "safe_zone", "does not fit"),
        ({"key": '"test.badge"'}, "key", "<platform>.<asset_type>"),
        ({"colour": '"red"'}, "colour", "not a registry field"),
        ({"label": None}, "label", "is missing"),
        ({"checked": '"yesterday"'}, "checked", "date"),
        ({"chat_sizes": "[28, 112]"}, "chat_sizes", "largest first"),
        ({"chat_sizes": "[112, 0]"}, "chat_sizes", "positive whole number"),
        ({"formats": '["APNG"]'}, "formats", "only an animated row"),
        ({"motion": "{ fps = 25 }"}, "motion", "{ fps, max_frames, max_seconds }"),
        (
            {"motion": "{ fps = 25, max_frames = 60, max_seconds = 2 }", "formats": '["PNG"]'},
            "formats",
            "animated row",
        ),
        (
            {"motion": "{ fps = 25, max_frames = 60, max_seconds = 2 }", "formats": '["WEBM"]'},
            "formats",
            "image format",
        ),
        (
            {"motion": "{ fps = 120, max_frames = 60, max_seconds = 2 }", "formats": '["GIF"]'},
            "motion",
            "fps",
        ),
        (
            {"motion": "{ fps = 55, max_frames = 60, max_seconds = 2 }", "formats": '["GIF"]'},
            "motion",
            "50 frames",
        ),
        (
            {
                "motion": "{ fps = 25, max_frames = 60, max_seconds = 2, fps_options = [60] }",
                "formats": '["GIF"]',
            },
            "motion",
            "a WebM beside it may take 60",
        ),
    ],
)
def test_a_broken_row_names_the_row_and_the_field(tmp_path, fields, field_name, hint):
    second = {"key": '"test.other"', "asset_type": '"other"', **fields}
    path = _write(tmp_path, _one_row() + "\n" + _one_row(**second))
    with pytest.raises(RegistryError) as error:
        load_registry(path)
    message = str(error.value)
    assert "row 2" in message
    assert f"'{field_name}'" in message
    assert hint in message


def test_duplicate_keys_and_bad_toml_are_refused(tmp_path):
    with pytest.raises(RegistryError, match="appears twice"):
        load_registry(_write(tmp_path, _one_row() + "\n" + _one_row()))
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(_write(tmp_path, "[[asset]\nkey = "))
    with pytest.raises(RegistryError, match="does not exist"):
        load_registry(tmp_path / "missing.toml")
    with pytest.raises(RegistryError, match="no \\[\\[asset\\]\\] rows"):
        load_registry(_write(tmp_path, "# empty\n"))
