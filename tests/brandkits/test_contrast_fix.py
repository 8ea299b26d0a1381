"""The kit editor's one-click contrast fix: a colour that passes every pair it takes part in, or
a plain "no single colour does" instead of a fix that breaks another pair."""

from __future__ import annotations

import re

import pytest

from brandkits.contrast import contrast_report
from core import colors
from core.colors import contrast_ratio

pytestmark = pytest.mark.django_db


def table(auth_client, **colours: str) -> str:
    palette = {"primary": "#7C3AED", "secondary": "#DB2777", "accent": "#22D3EE"} | colours
    response = auth_client.get("/brand/contrast/", {f"{role}_color": hex_ for role, hex_ in palette.items()})
    assert response.status_code == 200
    return response.content.decode()


def offered(page: str) -> list[str]:
    return re.findall(r'data-color="(#[0-9A-F]{6})"', page)


def test_the_fix_passes_on_every_background_the_text_colour_is_set_on(auth_client):
    # Text #5A5A66 on #3A3A44 and on a dark primary: the nearest colour that passes on the
    # background alone (#A3A3B0) would still fail on the primary.
    palette = {"text": "#5A5A66", "background": "#3A3A44", "primary": "#40404A", "secondary": "#000000"}

    page = table(auth_client, **palette)

    fixes = set(offered(page))
    assert len(fixes) == 1
    [fix] = fixes
    assert fix != "#A3A3B0"
    for background in ("#3A3A44", "#40404A", "#000000"):
        assert contrast_ratio(fix, background) >= 4.5, background


def test_when_no_text_colour_reads_on_every_background_it_says_so(auth_client):
    # The kit: "Use #A3A3B0" fixed text on background and dropped text on secondary
    # from 4.71:1 to 1.73:1. A light secondary and a dark background leave no text colour that
    # passes on both.
    palette = {"text": "#5A5A66", "background": "#3A3A44", "secondary": "#D7D7D7"}
    assert round(contrast_ratio("#5A5A66", "#D7D7D7"), 1) == 4.7

    page = table(auth_client, **palette)

    assert "Use #A3A3B0" not in page
    assert offered(page) == []
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "No text colour reads on Background, Primary and Secondary at once" in text


def test_every_offered_fix_keeps_every_pair_it_touches_passing():
    for text in ("#5A5A66", "#777777", "#BBBBBB", "#E0245E"):
        for background in ("#3A3A44", "#FFFFFF", "#120A1F", "#777777"):
            palette = {
                "text": text,
                "background": background,
                "primary": "#7C3AED",
                "secondary": "#DB2777",
                "accent": "#22D3EE",
            }
            for row in contrast_report(palette):
                if row.suggestion:
                    fixed = palette | {row.text_role: row.suggestion}
                    touched = [r for r in contrast_report(fixed) if r.text_role == row.text_role]
                    assert all(r.passes for r in touched), (palette, row)


def test_nearest_passing_all_keeps_a_passing_colour_and_finds_the_window_between_two_backgrounds():
    assert colors.nearest_passing_all("#FFFFFF", ["#000000"]) == "#FFFFFF"
    # Text between black and white: only mid greys around 4.6:1 on both pass.
    fix = colors.nearest_passing_all("#555555", ["#000000", "#FFFFFF"])
    assert fix is not None
    assert contrast_ratio(fix, "#000000") >= 4.5
    assert contrast_ratio(fix, "#FFFFFF") >= 4.5
    assert colors.nearest_passing_all("#555555", ["#000000", "#FFFFFF"], target=7) is None
