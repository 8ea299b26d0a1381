"""What an AI image provider is told: the engine's reading of the request as structured lines
(subject, colours, style, composition), consistent with what the local engine composes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generation.engine.layout import understood
from generation.engine.prompt import build_art_prompt
from generation.engine.providers.local import LocalArtProvider
from generation.engine.reading import LAYOUT_LABELS, LAYOUTS
from generation.engine.render import render_asset
from generation.engine.types import BrandSnapshot, Brief, Palette
from platforms.loader import load_registry

REGISTRY = load_registry()
BRAND = BrandSnapshot(palette=Palette(primary="#123456", secondary="#ABCDEF", accent="#FF8800"))
THUMBNAIL = REGISTRY.get("youtube.thumbnail")
# The coach example as the coach now hands it over: fields, not a sentence.
CLUTCH = Brief(
    prompt="me winning a Valorant clutch",
    text="CLUTCH KING",
    style="neon",
    colours=("#008080", "#8E24AA"),
    layout="versus",
)


def lines_of(prompt: str) -> dict[str, str]:
    """The prompt's "Label: …" lines by label."""
    return dict(line.split(": ", 1) for line in prompt.splitlines() if ": " in line)


def test_the_coach_brief_reaches_the_model_as_structured_lines():
    lines = lines_of(build_art_prompt(THUMBNAIL, CLUTCH, BRAND))

    assert lines["Subject"] == "me winning a Valorant clutch."
    assert lines["Colours"].startswith("teal #008080, purple #8E24AA for the subject and accents")
    assert lines["Brand palette for small details only"].startswith("primary #123456")
    assert lines["Style"].startswith("neon — glowing neon")
    assert lines["Composition"] == (
        "versus split — two subjects facing each other, left and right, room at the top for the "
        "headline; a VS is added in the middle later."
    )


def test_a_composition_replaces_the_familys_default_placement():
    composed = build_art_prompt(THUMBNAIL, CLUTCH, BRAND)
    plain = build_art_prompt(THUMBNAIL, Brief(prompt="ranked grind"), BRAND)

    # The versus puts subjects on both sides: the big-subject default would contradict it.
    assert "on the right half" not in composed
    assert "bottom-right corner empty" in composed  # the platform's stamp still applies
    assert "Composition:" not in plain
    assert "one large focal subject on the right half" in plain


def test_the_subject_line_is_what_the_engine_draws():
    emote = REGISTRY.get("twitch.emote")

    prompt = build_art_prompt(emote, Brief(prompt="an angry purple cat wearing a crown, pixel art"), BRAND)

    lines = lines_of(prompt)
    assert lines["The creator asked for"] == "an angry purple cat wearing a crown, pixel art."
    assert lines["Subject"] == "a cat (purple #8E24AA), looking angry, wearing a crown."
    assert lines["Colours"].startswith("purple #8E24AA for the subject and accents")
    assert lines["Style"].startswith("pixel — pixel art")


def test_a_pack_idea_that_is_only_its_words_says_nothing_empty():
    emote = REGISTRY.get("twitch.emote")
    brief = Brief(prompt='"GG"', text="GG", base="a purple cat mascot with a crown")

    prompt = build_art_prompt(emote, brief, BRAND)

    assert "The creator asked for: ." not in prompt
    assert lines_of(prompt)["Subject"] == "a cat (purple #8E24AA), wearing a crown."


def test_on_image_words_never_reach_the_model():
    said = "YouTube thumbnail of me winning a Valorant clutch, neon purple and teal, text CLUTCH KING"

    prompt = build_art_prompt(THUMBNAIL, Brief(prompt=said), BRAND)

    assert "CLUTCH" not in prompt
    assert "text CLUTCH" not in prompt
    assert (
        lines_of(prompt)["Subject"]
        == "YouTube thumbnail of me winning a Valorant clutch, neon purple and teal."
    )


@pytest.mark.parametrize(
    ("key", "layout"),
    [
        (spec.key, name)
        for spec in (
            THUMBNAIL,
            REGISTRY.get("youtube.channel_banner"),
            REGISTRY.get("stream.starting_soon"),
            REGISTRY.get("twitch.panel"),
            REGISTRY.get("all.story_cover"),
            REGISTRY.get("all.clip_cover"),
        )
        for name in LAYOUTS[spec.family]
    ],
)
def test_every_layout_says_where_the_words_go(key: str, layout: str):
    spec = REGISTRY.get(key)

    composition = lines_of(build_art_prompt(spec, Brief(prompt="a fox", layout=layout), BRAND))["Composition"]

    assert composition.startswith(f"{LAYOUT_LABELS[layout]} — ")
    words = "label" if spec.family == "panel" else ("name" if spec.family == "banner" else "title|headline")
    assert any(word in composition for word in words.split("|")), composition


def test_a_mirrored_big_subject_leaves_the_right_for_the_headline():
    brief = Brief(prompt="a fox", layout="big_subject")

    plain = lines_of(build_art_prompt(THUMBNAIL, brief, BRAND))["Composition"]
    mirrored = lines_of(build_art_prompt(THUMBNAIL, replace(brief, variant=1), BRAND))["Composition"]

    assert "subject on the right" in plain
    assert "left 45 %" in plain
    assert "subject on the left" in mirrored
    assert "right half simple and calm for the headline" in mirrored


def test_a_tall_covers_split_stacks_the_subject_under_the_title():
    tall = build_art_prompt(REGISTRY.get("all.story_cover"), Brief(prompt="a fox", layout="split"), BRAND)
    square = build_art_prompt(REGISTRY.get("all.clip_cover"), Brief(prompt="a fox", layout="split"), BRAND)

    assert "subject in the lower half" in tall
    assert "subject on the left half" in square


def test_the_render_tells_the_model_the_composition_it_settled():
    brief = Brief(prompt="a fox in a forest", text="GG")

    result = render_asset(spec=THUMBNAIL, brief=brief, brand=BRAND, seed=5, provider=LocalArtProvider())

    settled = understood(THUMBNAIL, brief, BRAND, 5).layout
    assert f"Composition: {LAYOUT_LABELS[settled]} — " in result.prompt
    assert result.prompt.count("Composition: ") == 1
