"""The engine's reading of prompts: what it will draw, in which colours, style and layout."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from generation.engine import reading

ROOT = Path(__file__).resolve().parents[2]


def _benchmark():
    spec = importlib.util.spec_from_file_location("reading_benchmark", ROOT / "benchmarks" / "reading.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_read_right_nine_times_in_ten():
    verdicts = _benchmark().score()
    assert len(verdicts) >= 150
    right = sum(v.ok for v in verdicts)
    assert right / len(verdicts) >= 0.9, [v.entry["prompt"] for v in verdicts if not v.ok]


def test_a_mascot_with_a_crown_in_purple():
    got = reading.read("a purple cat mascot with a crown", family="emote")
    assert got.subjects == ("cat",)
    assert [a.concept for a in got.accessories] == ["crown"]
    assert got.accessories[0].place == "head"
    assert got.colours == (("purple", "#8E24AA"),)
    assert reading.art_concept(got, "emote") == "cat-face"


def test_the_coach_example_reads_without_leftovers():
    got = reading.read(
        "YouTube thumbnail of me winning a Valorant clutch, neon purple and teal, text CLUTCH KING",
        family="thumbnail",
    )
    assert got.hexes == ("#8E24AA", "#008080")
    assert got.styles == ("neon",)
    assert got.text == "CLUTCH KING"
    assert got.subjects == ()  # the creator is the subject: their photo, not a drawing
    assert "valorant" in got.unused  # said, not silently dropped


def test_a_pack_item_keeps_the_pack_description():
    base = "a purple cat mascot with a crown"
    for idea, extra in (("GG", None), ("HYPE", "fire"), ("love heart", "red-heart")):
        got = reading.read(idea, family="emote", base=base)
        assert got.subjects == ("cat",)
        concepts = [a.concept for a in got.accessories]
        assert concepts[0] == "crown"
        if extra:
            assert extra in concepts
        assert got.hexes == ("#8E24AA",)


@pytest.mark.parametrize(
    ("prompt", "family", "layout"),
    [
        ("Valorant vs CS2 which is better", "thumbnail", "versus"),
        ("top 5 horror games", "thumbnail", "top_list"),
        ("day 1 vs day 100 hardcore", "thumbnail", "before_after"),
        ("reacting to my old clips", "thumbnail", "reaction"),
        ("just the title, text SEASON 2", "thumbnail", "title_card"),
        ("tiled pattern of little ghosts", "banner", "pattern"),
        ("a fox on the left side", "scene", "split"),
        ("a fox cat", "thumbnail", ""),
    ],
)
def test_layout_intents(prompt, family, layout):
    assert reading.read(prompt, family=family).layout == layout


def test_expressions_change_the_drawing_or_add_an_effect():
    cat = reading.read("rage cat", family="emote")
    assert cat.expression == "angry"
    assert reading.art_concept(cat, "emote") == "pouting-cat"
    frog = reading.read("rage frog", family="emote")
    concept = reading.art_concept(frog, "emote")
    assert concept == "frog"
    assert "anger-symbol" in [a.concept for a in reading.effects(frog, concept)]
    assert reading.read("pog", family="emote").subjects == ("face-screaming-in-fear",)


def test_what_is_avoided_is_not_drawn():
    got = reading.read("a cat with a crown", family="emote", avoid="crown")
    assert got.subjects == ("cat",)
    assert got.accessories == ()


def test_the_reading_round_trips_through_the_recipe():
    got = reading.read("neon teal dog with sunglasses, text GG EZ", family="emote")
    assert reading.Reading.from_json(got.to_json()) == got
    rows = dict(got.lines())
    assert rows["Subject"] == "dog"
    assert rows["Colours"] == "teal #008080"


def test_mood_and_weather_words_are_used_not_reported_unused():
    got = reading.read("ranked grind cat on a rainy day", family="thumbnail")
    assert got.mood == "hype"
    assert got.weather == "rain"
    assert not {"ranked", "grind", "rainy"} & set(got.unused)
    rows = dict(got.lines())
    assert rows["Mood"] == "hype"
    assert rows["Weather"] == "rain"
    # The words set on the asset set its mood too.
    assert reading.read("a cat", family="thumbnail", text="CLUTCH KING").mood == "hype"
    # A style word already says it: no second row.
    assert "Mood" not in dict(reading.read("cozy cat", family="emote").lines())
